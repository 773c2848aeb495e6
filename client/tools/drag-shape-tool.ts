import type { NewShape } from '../model/shape.ts';
import { newShapeId } from '../model/ids.ts';
import { cancelOnEscape, type BoardPointerEvent, type ShapeToolContext, type Tool } from './tool.ts';

type DragShapeState =
  | { name: 'idle' }
  /** Pressed, not yet moved far enough to be a drag: releasing here is a click and makes nothing. */
  | { name: 'pointing'; origin: BoardPointerEvent }
  | { name: 'dragging'; origin: BoardPointerEvent; id: string };

/** What one drag-drawn shape kind supplies to the machine. */
export interface DragShape {
  /** Whether the pointer at `event` is still too close to the press at `origin` to make a shape. */
  isTiny(origin: BoardPointerEvent, event: BoardPointerEvent): boolean;
  /** The shape drawn from `origin` to `event`; `final` is true for the one written on release. */
  toShape(id: string, origin: BoardPointerEvent, event: BoardPointerEvent, final: boolean): NewShape;
}

/**
 * The tools that draw one shape by dragging (rectangle, ellipse, diamond, line, arrow):
 * idle → pointing → dragging → idle. The shape follows the pointer in the draft and is written
 * once, on pointer up; a press released before it was a drag, or a drag that ends tiny, makes
 * nothing. A shape drawn inside a frame is added as its child.
 */
export function createDragShapeTool(ctx: ShapeToolContext, id: string, shape: DragShape): Tool {
  let state: DragShapeState = { name: 'idle' };

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
        if (shape.isTiny(state.origin, event)) return;
        state = { name: 'dragging', origin: state.origin, id: newShapeId() };
      }
      if (state.name === 'dragging') ctx.draft.setShape(shape.toShape(state.id, state.origin, event, false));
    },
    pointerUp(event) {
      const previous = state;
      state = { name: 'idle' };
      if (previous.name !== 'dragging') return;
      ctx.draft.setShape(null);
      if (shape.isTiny(previous.origin, event)) return;
      ctx.board.addShape(ctx.placeInFrame(shape.toShape(previous.id, previous.origin, event, true)));
    },
    cancel() {
      if (state.name === 'idle') return;
      state = { name: 'idle' };
      ctx.draft.setShape(null);
    },
    keyDown: cancelOnEscape,
  };
}
