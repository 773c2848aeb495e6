import { SHAPE_LIMITS, type InkShape } from '../../../shared/schema.ts';
import { newShapeId } from '../../model/ids.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { createPressureSource, type PressureSource } from '../../tools/pressure.ts';
import { cancelOnEscape, roundCoordinate, type BoardPointerEvent, type ShapeToolContext, type Tool } from '../../tools/tool.ts';
import type { ShapeTool } from '../shape-util.ts';

type PenState =
  | { name: 'idle' }
  | { name: 'drawing'; id: string; pressure: PressureSource; /** absolute [x, y, p, …] */ points: number[] };

/** Points closer than this on screen add nothing visible and only grow the stroke. */
const MIN_POINT_DISTANCE_PX = 0.75;

/**
 * Freehand ink: idle → drawing → idle. The stroke lives in the draft while it is drawn and is
 * written to the document once, on pointer up, as one immutable points array.
 */
export function createPenTool(ctx: ShapeToolContext): Tool {
  let state: PenState = { name: 'idle' };

  const addPoint = (drawing: Extract<PenState, { name: 'drawing' }>, event: BoardPointerEvent, force: boolean): void => {
    const { points } = drawing;
    if (points.length / 3 >= SHAPE_LIMITS.maxPoints) return;
    const n = points.length;
    if (!force && n >= 3 && Math.hypot(event.x - points[n - 3]!, event.y - points[n - 2]!) * event.scale < MIN_POINT_DISTANCE_PX) return;
    points.push(event.x, event.y, Math.round(drawing.pressure.next(event) * 1000) / 1000);
  };

  const toShape = (drawing: Extract<PenState, { name: 'drawing' }>): NewShapeOf<InkShape> => {
    const { points } = drawing;
    let minX = Infinity;
    let minY = Infinity;
    for (let i = 0; i < points.length; i += 3) {
      minX = Math.min(minX, points[i]!);
      minY = Math.min(minY, points[i + 1]!);
    }
    const x = roundCoordinate(minX);
    const y = roundCoordinate(minY);
    const relative: number[] = new Array(points.length);
    for (let i = 0; i < points.length; i += 3) {
      relative[i] = roundCoordinate(points[i]! - x);
      relative[i + 1] = roundCoordinate(points[i + 1]! - y);
      relative[i + 2] = points[i + 2]!;
    }
    return { ...ctx.style(), id: drawing.id, type: 'ink', x, y, rotation: 0, locked: false, points: relative };
  };

  return {
    id: 'pen',
    get state() {
      return state.name;
    },
    pointerDown(event) {
      const drawing: PenState = { name: 'drawing', id: newShapeId(), pressure: createPressureSource(), points: [] };
      addPoint(drawing, event, true);
      state = drawing;
      ctx.draft.setShape(toShape(drawing));
    },
    pointerMove(event) {
      if (state.name !== 'drawing') return;
      const before = state.points.length;
      addPoint(state, event, false);
      if (state.points.length !== before) ctx.draft.setShape(toShape(state));
    },
    pointerUp(event) {
      if (state.name !== 'drawing') return;
      const drawing = state;
      state = { name: 'idle' };
      addPoint(drawing, event, false);
      ctx.draft.setShape(null);
      ctx.board.addShape(ctx.placeInFrame(toShape(drawing)));
    },
    cancel() {
      if (state.name === 'idle') return;
      state = { name: 'idle' };
      ctx.draft.setShape(null);
    },
    keyDown: cancelOnEscape,
  };
}

/** The pen (P): draws ink. */
export const inkTool: ShapeTool<'pen'> = {
  id: 'pen',
  label: 'Pen',
  key: 'p',
  icon: '<path d="M15.6 4.4a2 2 0 0 1 2.8 0l1.2 1.2a2 2 0 0 1 0 2.8L8.5 19.5 4 20l.5-4.5z"/><path d="M13.5 6.5l4 4"/>',
  cursor: 'crosshair',
  create: createPenTool,
};
