import type { Board, ShapePatch } from '../../model/board.ts';

/**
 * Locks the selected shapes, or unlocks them if all are locked already. Locked shapes cannot be
 * picked, moved, resized or erased; they stay selectable with Select all so they can be unlocked.
 * Undo: one step. Returns false if nothing is selected.
 */
export function toggleLock(ctx: { board: Board; selection: { ids(): ReadonlySet<string> } }): boolean {
  const shapes = [...ctx.selection.ids()].map((id) => ctx.board.get(id)).filter((s) => s !== undefined);
  if (shapes.length === 0) return false;
  const lock = shapes.some((shape) => !shape.locked);
  ctx.board.updateShapes(new Map<string, ShapePatch>(shapes.map((shape) => [shape.id, { locked: lock }])));
  return true;
}
