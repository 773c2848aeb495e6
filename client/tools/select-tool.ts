import { shapeAt } from '../model/shape-at.ts';
import { deleteSelection } from './delete-selection.ts';
import { DRAG_THRESHOLD_PX, HIT_TOLERANCE_PX, type BoardPointerEvent, type Tool, type ToolContext } from './tool.ts';

/** What a press that ends without a drag does to the selection (decided on release, so a drag of a multi-selection keeps it). */
type OnClick = 'none' | 'select-only' | 'deselect';

type SelectState =
  | { name: 'idle' }
  | { name: 'pointing'; origin: BoardPointerEvent; hitId: string | null; onClick: OnClick }
  | { name: 'dragging'; origin: BoardPointerEvent; ids: ReadonlySet<string>; dx: number; dy: number };

/**
 * Select and move: idle → pointing → dragging → idle. A click selects (Shift adds or removes),
 * a click on empty board clears, a drag moves the selection. While dragging only the draft's
 * translation changes; the move is written on release as one transaction (one undo step).
 */
export function createSelectTool(ctx: ToolContext): Tool {
  let state: SelectState = { name: 'idle' };

  const endDrag = (): void => {
    ctx.draft.setTranslation(null);
  };

  return {
    id: 'select',
    get state() {
      return state.name;
    },
    pointerDown(event) {
      const hit = shapeAt(ctx.board, event, HIT_TOLERANCE_PX / event.scale);
      let onClick: OnClick = 'none';
      if (hit === null) {
        if (!event.shiftKey) ctx.selection.clear();
      } else if (event.shiftKey) {
        if (ctx.selection.has(hit.id)) onClick = 'deselect';
        else ctx.selection.add(hit.id);
      } else if (ctx.selection.has(hit.id)) {
        onClick = 'select-only';
      } else {
        ctx.selection.set([hit.id]);
      }
      state = { name: 'pointing', origin: event, hitId: hit?.id ?? null, onClick };
    },
    pointerMove(event) {
      if (state.name === 'pointing') {
        if (state.hitId === null) return;
        const travel = Math.hypot(event.x - state.origin.x, event.y - state.origin.y) * event.scale;
        if (travel < DRAG_THRESHOLD_PX) return;
        const ids = new Set([...ctx.selection.ids()].filter((id) => ctx.board.get(id)?.locked === false));
        if (ids.size === 0) return;
        state = { name: 'dragging', origin: state.origin, ids, dx: 0, dy: 0 };
      }
      if (state.name !== 'dragging') return;
      state.dx = event.x - state.origin.x;
      state.dy = event.y - state.origin.y;
      ctx.draft.setTranslation({ ids: state.ids, dx: state.dx, dy: state.dy });
    },
    pointerUp(event) {
      const previous = state;
      state = { name: 'idle' };
      if (previous.name === 'dragging') {
        endDrag();
        const dx = event.x - previous.origin.x;
        const dy = event.y - previous.origin.y;
        // Shapes deleted meanwhile by someone else are skipped by moveShapes.
        ctx.board.moveShapes(previous.ids, dx, dy);
      } else if (previous.name === 'pointing' && previous.hitId !== null) {
        if (previous.onClick === 'select-only') ctx.selection.set([previous.hitId]);
        else if (previous.onClick === 'deselect') ctx.selection.remove(previous.hitId);
      }
    },
    cancel() {
      if (state.name === 'dragging') endDrag();
      state = { name: 'idle' };
    },
    keyDown(event) {
      if (event.key === 'Delete' || event.key === 'Backspace') {
        if (state.name === 'dragging') this.cancel();
        return deleteSelection(ctx) > 0;
      }
      if (event.key === 'Escape') {
        if (state.name === 'dragging') this.cancel();
        else ctx.selection.clear();
        return true;
      }
      return false;
    },
  };
}
