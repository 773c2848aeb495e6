import type { BoxShape } from '../../shared/schema.ts';
import type { DistributiveOmit } from '../model/board.ts';
import { newShapeId } from '../model/ids.ts';
import { MIN_BOX_PX, roundCoordinate, type BoardPointerEvent, type Tool, type ToolContext, type ToolId } from './tool.ts';

type BoxState =
  | { name: 'idle' }
  /** Pressed, not yet moved far enough to be a drag: releasing here is a click and makes nothing. */
  | { name: 'pointing'; origin: BoardPointerEvent }
  | { name: 'dragging'; origin: BoardPointerEvent; id: string };

/**
 * Rectangle, ellipse and diamond: idle → pointing → dragging → idle. The box follows the pointer in the
 * draft from any drag direction (Shift makes it square) and is written once, on pointer up.
 */
export function createBoxTool(ctx: ToolContext, id: Extract<ToolId, 'rectangle' | 'ellipse' | 'diamond'>, type: BoxShape['type']): Tool {
  let state: BoxState = { name: 'idle' };

  const toShape = (shapeId: string, origin: BoardPointerEvent, event: BoardPointerEvent): DistributiveOmit<BoxShape, 'index'> => {
    let dx = event.x - origin.x;
    let dy = event.y - origin.y;
    if (event.shiftKey) {
      const side = Math.max(Math.abs(dx), Math.abs(dy));
      dx = Math.sign(dx || 1) * side;
      dy = Math.sign(dy || 1) * side;
    }
    const x = roundCoordinate(Math.min(origin.x, origin.x + dx));
    const y = roundCoordinate(Math.min(origin.y, origin.y + dy));
    return {
      ...ctx.style(),
      id: shapeId,
      type,
      x,
      y,
      width: roundCoordinate(Math.abs(dx)),
      height: roundCoordinate(Math.abs(dy)),
      rotation: 0,
      locked: false,
    };
  };

  const isTiny = (origin: BoardPointerEvent, event: BoardPointerEvent): boolean =>
    Math.abs(event.x - origin.x) * event.scale < MIN_BOX_PX && Math.abs(event.y - origin.y) * event.scale < MIN_BOX_PX;

  return {
    id,
    get state() {
      return state.name;
    },
    pointerDown(event) {
      state = { name: 'pointing', origin: event };
    },
    pointerMove(event) {
      if (state.name === 'pointing') {
        if (isTiny(state.origin, event)) return;
        state = { name: 'dragging', origin: state.origin, id: newShapeId() };
      }
      if (state.name === 'dragging') ctx.draft.setShape(toShape(state.id, state.origin, event));
    },
    pointerUp(event) {
      const previous = state;
      state = { name: 'idle' };
      if (previous.name !== 'dragging') return;
      ctx.draft.setShape(null);
      if (isTiny(previous.origin, event)) return;
      ctx.board.addShape(toShape(previous.id, previous.origin, event));
    },
    cancel() {
      if (state.name === 'idle') return;
      state = { name: 'idle' };
      ctx.draft.setShape(null);
    },
    keyDown(event) {
      if (event.key === 'Escape' && state.name !== 'idle') {
        this.cancel();
        return true;
      }
      return false;
    },
  };
}
