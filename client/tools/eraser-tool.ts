import { shapeAt } from '../model/shape-at.ts';
import type { Point } from '../model/plane.ts';
import { cancelOnEscape, HIT_TOLERANCE_PX, type BoardPointerEvent, type Tool, type ToolContext } from './tool.ts';

type EraserState = { name: 'idle' } | { name: 'erasing'; ids: Set<string>; last: Point };

/** Spacing of the hit tests between two pointer samples, in screen pixels. */
const STEP_PX = 4;

/**
 * Eraser: idle → erasing → idle. Every unlocked shape the pointer passes over is collected and
 * shown in the draft as erased; all of them are deleted on release, in one transaction (one undo step).
 */
export function createEraserTool(ctx: ToolContext): Tool {
  let state: EraserState = { name: 'idle' };

  const sweep = (erasing: Extract<EraserState, { name: 'erasing' }>, event: BoardPointerEvent): void => {
    const tolerance = (HIT_TOLERANCE_PX * 2) / event.scale;
    const distance = Math.hypot(event.x - erasing.last.x, event.y - erasing.last.y) * event.scale;
    const steps = Math.max(1, Math.ceil(distance / STEP_PX));
    let grew = false;
    // Fast moves skip over thin shapes; test points in between as well.
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      const hit = shapeAt(ctx.board, { x: erasing.last.x + (event.x - erasing.last.x) * t, y: erasing.last.y + (event.y - erasing.last.y) * t }, tolerance);
      if (hit !== null && !erasing.ids.has(hit.id)) {
        erasing.ids.add(hit.id);
        grew = true;
      }
    }
    erasing.last = { x: event.x, y: event.y };
    if (grew) ctx.draft.setErased(new Set(erasing.ids));
  };

  return {
    id: 'eraser',
    get state() {
      return state.name;
    },
    pointerDown(event) {
      const erasing: EraserState = { name: 'erasing', ids: new Set(), last: { x: event.x, y: event.y } };
      state = erasing;
      const hit = shapeAt(ctx.board, event, (HIT_TOLERANCE_PX * 2) / event.scale);
      if (hit !== null) {
        erasing.ids.add(hit.id);
        ctx.draft.setErased(new Set(erasing.ids));
      }
    },
    pointerMove(event) {
      if (state.name === 'erasing') sweep(state, event);
    },
    pointerUp(event) {
      if (state.name !== 'erasing') return;
      const erasing = state;
      sweep(erasing, event);
      state = { name: 'idle' };
      ctx.draft.setErased(null);
      ctx.board.deleteShapes(erasing.ids);
    },
    cancel() {
      if (state.name === 'idle') return;
      state = { name: 'idle' };
      ctx.draft.setErased(null);
    },
    keyDown: cancelOnEscape,
  };
}
