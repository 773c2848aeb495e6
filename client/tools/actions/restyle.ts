import type { ShapeStyle } from '../../../shared/schema.ts';
import type { Board, ShapePatch } from '../../model/board.ts';

/**
 * Applies style fields to the selected shapes. Undo: one step. Returns false if nothing was
 * selected. Locked shapes keep their style: locking freezes a shape entirely.
 */
export function restyleSelection(ctx: { board: Board; selection: { ids(): ReadonlySet<string> } }, patch: Partial<ShapeStyle>): boolean {
  const patches = new Map<string, ShapePatch>();
  for (const id of ctx.selection.ids()) {
    const shape = ctx.board.get(id);
    if (shape !== undefined && !shape.locked) patches.set(id, patch);
  }
  if (patches.size === 0) return false;
  ctx.board.updateShapes(patches);
  return true;
}
