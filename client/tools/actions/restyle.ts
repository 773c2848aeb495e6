import type { Board, ShapePatch } from '../../model/board.ts';
import type { StylePatch } from '../../model/style-state.ts';

/**
 * Applies style fields to the selected shapes, each shape taking only the fields its type has (an
 * arrow's kind is not written on a rectangle: the gate gives every shape all fields of its type,
 * so `key in shape` tells). Undo: one step. Returns false if no selected shape took any field.
 * Locked shapes keep their style: locking freezes a shape entirely.
 */
export function restyleSelection(ctx: { board: Board; selection: { ids(): ReadonlySet<string> } }, patch: StylePatch): boolean {
  const patches = new Map<string, ShapePatch>();
  for (const id of ctx.selection.ids()) {
    const shape = ctx.board.get(id);
    if (shape === undefined || shape.locked) continue;
    const own = Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined && key in shape));
    if (Object.keys(own).length > 0) patches.set(id, own as ShapePatch);
  }
  if (patches.size === 0) return false;
  ctx.board.updateShapes(patches);
  return true;
}
