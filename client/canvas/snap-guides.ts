import Konva from 'konva';
import type { SnapState } from '../model/snap-state.ts';
import type { SnapGuide } from '../model/snapping.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import type { Viewport } from './stage.ts';

export interface SnapGuidesOptions {
  snap: SnapState;
  /** The overlay layer: never exported, never in the document. */
  layer: Konva.Layer;
  viewport(): Viewport;
  createScheduler?: (work: () => void) => FrameScheduler;
}

/** Guides are this colour: apart from the selection's blue, so a snap reads as a snap. */
export const GUIDE_COLOR = '#e03131';
/** Half the length of the bars at the ends of a gap guide (screen px). */
const TICK_PX = 4;

/**
 * Draws the guides the gesture in progress is snapped to (client/model/snapping.ts) on the overlay
 * layer, in one group of its own: thin lines of constant width on screen, whatever the zoom.
 */
export function createSnapGuides(options: SnapGuidesOptions): { close(): void } {
  const { snap, layer } = options;
  const group = new Konva.Group({ listening: false, name: 'snap-guides' });
  layer.add(group);
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => {
    group.destroyChildren();
    const tick = TICK_PX / options.viewport().scale;
    for (const guide of snap.guides) for (const points of guideLines(guide, tick)) group.add(line(points));
    layer.batchDraw();
  });
  const off = snap.onChange((change) => change.guides && scheduler.schedule());
  return {
    close() {
      off();
      scheduler.close();
      group.destroy();
    },
  };
}

/** The polylines that draw a guide: the line itself, and for a gap a bar across each end. */
function guideLines(guide: SnapGuide, tick: number): number[][] {
  const { from, to } = guide;
  const main = [from.x, from.y, to.x, to.y];
  if (guide.kind === 'align') return [main];
  const across = from.y === to.y ? { x: 0, y: tick } : { x: tick, y: 0 };
  return [main, ...[from, to].map((p) => [p.x - across.x, p.y - across.y, p.x + across.x, p.y + across.y])];
}

function line(points: number[]): Konva.Line {
  return new Konva.Line({ points, stroke: GUIDE_COLOR, strokeWidth: 1, strokeScaleEnabled: false, listening: false, perfectDrawEnabled: false });
}
