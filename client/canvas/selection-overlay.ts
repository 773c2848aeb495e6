import Konva from 'konva';
import type { Board } from '../model/board.ts';
import type { Draft } from '../model/draft.ts';
import { shapeBounds } from '../model/geometry.ts';
import type { Selection } from '../model/selection.ts';
import { SELECTION_PADDING_PX, selectionHandles } from '../model/selection-handles.ts';
import type { Shape } from '../../shared/schema.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import type { Viewport } from './stage.ts';

export interface SelectionOverlayOptions {
  board: Board;
  selection: Selection;
  draft: Draft;
  layer: Konva.Layer;
  viewport(): Viewport;
  onViewportChange(listener: (viewport: Viewport) => void): () => void;
  createScheduler?: (work: () => void) => FrameScheduler;
}

export interface SelectionOverlay {
  flush(): void;
  close(): void;
}

export const SELECTION_COLOR = '#4a6cf7';
/** Side of a resize handle, in screen pixels. */
const HANDLE_PX = 8;

/**
 * Outlines the selected shapes, draws the resize and rotate handles around them and the marquee,
 * following a drag, resize or rotation as it happens. Redrawn whole: a selection is small next to
 * the board. It owns one group in the overlay layer, so other overlays (the laser) can share it.
 */
export function createSelectionOverlay(options: SelectionOverlayOptions): SelectionOverlay {
  const { board, selection, draft, layer } = options;
  const group = new Konva.Group({ listening: false });
  layer.add(group);
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => {
    // With nothing selected and nothing drawn, a pan or zoom has nothing to move here.
    if (selection.ids().size === 0 && draft.marquee === null && !group.hasChildren()) return;
    group.destroyChildren();
    const scale = options.viewport().scale;
    const pad = SELECTION_PADDING_PX / scale;
    const translation = draft.translation;
    const shown: Shape[] = [];
    for (const id of selection.ids()) {
      const stored = board.get(id);
      if (stored === undefined) continue;
      const moved = translation !== null && translation.ids.has(id);
      const shape = { ...stored, ...draft.overrides?.get(id) } as Shape;
      if (moved) {
        shape.x += translation.dx;
        shape.y += translation.dy;
      }
      shown.push(shape);
      const bounds = shapeBounds(shape);
      group.add(outline(bounds.x - pad, bounds.y - pad, bounds.width + 2 * pad, bounds.height + 2 * pad, scale, shape.locked));
    }
    const editable = shown.filter((shape) => !shape.locked);
    const handles = selectionHandles(editable, scale);
    if (handles !== null && draft.marquee === null) {
      const { bounds, points } = handles;
      if (editable.length > 1) group.add(outline(bounds.x, bounds.y, bounds.width, bounds.height, scale, false));
      group.add(new Konva.Line({ points: [points.rotate.x, points.rotate.y, bounds.x + bounds.width / 2, bounds.y], stroke: SELECTION_COLOR, strokeWidth: 1, strokeScaleEnabled: false, listening: false }));
      const side = HANDLE_PX / scale;
      for (const [name, p] of Object.entries(points)) {
        const attrs = { fill: '#ffffff', stroke: SELECTION_COLOR, strokeWidth: 1.5, strokeScaleEnabled: false, listening: false, perfectDrawEnabled: false };
        group.add(name === 'rotate' ? new Konva.Circle({ ...attrs, x: p.x, y: p.y, radius: side / 2 + 0.5 / scale }) : new Konva.Rect({ ...attrs, x: p.x - side / 2, y: p.y - side / 2, width: side, height: side }));
      }
    }
    const marquee = draft.marquee;
    if (marquee !== null) {
      group.add(new Konva.Rect({ ...marquee, fill: 'rgba(74, 108, 247, 0.08)', stroke: SELECTION_COLOR, strokeWidth: 1, strokeScaleEnabled: false, listening: false }));
    }
    layer.batchDraw();
  });
  const offs = [
    selection.onChange(() => scheduler.schedule()),
    draft.onChange((change) => (change.translation || change.overrides || change.marquee) && scheduler.schedule()),
    board.onChange(({ ids }) => {
      for (const id of ids) {
        if (selection.has(id)) return scheduler.schedule();
      }
    }),
    options.onViewportChange(() => scheduler.schedule()),
  ];
  return {
    flush: () => scheduler.flush(),
    close() {
      for (const off of offs) off();
      scheduler.close();
      group.destroy();
    },
  };
}

function outline(x: number, y: number, width: number, height: number, scale: number, locked: boolean): Konva.Rect {
  return new Konva.Rect({
    x,
    y,
    width,
    height,
    stroke: locked ? '#9aa0a6' : SELECTION_COLOR,
    strokeWidth: 1.5,
    dash: locked ? [4 / scale, 3 / scale] : [],
    // Constant on screen whatever the zoom.
    strokeScaleEnabled: false,
    cornerRadius: 2 / scale,
    listening: false,
    perfectDrawEnabled: false,
  });
}
