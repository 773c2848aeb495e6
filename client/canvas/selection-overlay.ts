import Konva from 'konva';
import type { Board } from '../model/board.ts';
import type { Draft } from '../model/draft.ts';
import { shapeBounds } from '../model/geometry.ts';
import { groupMembers, inGroup, selectionUnits } from '../model/groups.ts';
import { unionBounds } from '../model/transform.ts';
import type { Selection } from '../model/selection.ts';
import { SELECTION_PADDING_PX, bendHandle, selectionHandles } from '../model/selection-handles.ts';
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
 * Outlines the selected shapes (a group selected whole as one dashed box around its members, the
 * group the user has entered as a grey dashed box), draws the resize and rotate handles around them and the marquee,
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
    const asShown = (stored: Shape): Shape => {
      const shape = { ...stored, ...draft.overrides?.get(stored.id) } as Shape;
      if (translation !== null && translation.ids.has(stored.id)) {
        shape.x += translation.dx;
        shape.y += translation.dy;
      }
      return shape;
    };
    for (const id of selection.ids()) {
      const stored = board.get(id);
      if (stored !== undefined) shown.push(asShown(stored));
    }
    const entered = selection.entered;
    if (entered !== null) {
      const box = unionBounds(groupMembers(board, entered).map(asShown));
      if (box !== null) group.add(outline(box.x - 2 * pad, box.y - 2 * pad, box.width + 4 * pad, box.height + 4 * pad, scale, 'entered'));
    }
    const units = selectionUnits(shown, entered);
    for (const unit of units) {
      // A group alone in the selection is outlined by the box its handles sit on.
      if (unit.group !== null && units.length === 1 && unit.shapes.some((shape) => !shape.locked)) continue;
      const bounds = unit.group === null ? shapeBounds(unit.shapes[0]!) : unionBounds(unit.shapes)!;
      const look = unit.shapes.every((shape) => shape.locked) ? 'locked' : unit.group !== null ? 'group' : 'shape';
      group.add(outline(bounds.x - pad, bounds.y - pad, bounds.width + 2 * pad, bounds.height + 2 * pad, scale, look));
    }
    const editable = shown.filter((shape) => !shape.locked);
    const handles = selectionHandles(editable, scale);
    if (handles !== null && draft.marquee === null) {
      const { bounds, points } = handles;
      if (editable.length > 1) group.add(outline(bounds.x, bounds.y, bounds.width, bounds.height, scale, 'shape'));
      group.add(new Konva.Line({ points: [points.rotate.x, points.rotate.y, bounds.x + bounds.width / 2, bounds.y], stroke: SELECTION_COLOR, strokeWidth: 1, strokeScaleEnabled: false, listening: false }));
      const side = HANDLE_PX / scale;
      for (const [name, p] of Object.entries(points)) {
        const attrs = { fill: '#ffffff', stroke: SELECTION_COLOR, strokeWidth: 1.5, strokeScaleEnabled: false, listening: false, perfectDrawEnabled: false };
        group.add(name === 'rotate' ? new Konva.Circle({ ...attrs, x: p.x, y: p.y, radius: side / 2 + 0.5 / scale }) : new Konva.Rect({ ...attrs, x: p.x - side / 2, y: p.y - side / 2, width: side, height: side }));
      }
    }
    const bend = draft.marquee === null ? bendHandle(editable) : null;
    if (bend !== null) {
      // A curved arrow's bend handle: a filled dot at its curve's middle.
      group.add(new Konva.Circle({ x: bend.x, y: bend.y, radius: HANDLE_PX / scale / 2 + 1 / scale, fill: SELECTION_COLOR, stroke: '#ffffff', strokeWidth: 1.5, strokeScaleEnabled: false, listening: false, perfectDrawEnabled: false }));
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
      const entered = selection.entered;
      for (const id of ids) {
        if (selection.has(id)) return scheduler.schedule();
        // The entered group's box follows its members that are not selected too.
        const shape = entered !== null ? board.get(id) : undefined;
        if (entered !== null && shape !== undefined && inGroup(shape, entered)) return scheduler.schedule();
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

/** How an outline looks: a shape's, a group's selected whole, a locked one's, the entered group's. */
type OutlineLook = 'shape' | 'group' | 'locked' | 'entered';

/** Dash lengths in screen pixels; none for a plain outline. */
const DASHES: Record<OutlineLook, readonly number[]> = { shape: [], group: [6, 3], locked: [4, 3], entered: [2, 3] };

function outline(x: number, y: number, width: number, height: number, scale: number, look: OutlineLook): Konva.Rect {
  return new Konva.Rect({
    x,
    y,
    width,
    height,
    stroke: look === 'shape' || look === 'group' ? SELECTION_COLOR : '#9aa0a6',
    strokeWidth: 1.5,
    dash: DASHES[look].map((n) => n / scale),
    // Constant on screen whatever the zoom.
    strokeScaleEnabled: false,
    cornerRadius: 2 / scale,
    listening: false,
    perfectDrawEnabled: false,
  });
}
