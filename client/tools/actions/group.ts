import type { Board } from '../../model/board.ts';
import { groupPatches, ungroupPatches } from '../../model/groups.ts';
import { newShapeId } from '../../model/ids.ts';
import type { Selection } from '../../model/selection.ts';

type GroupContext = { board: Board; selection: Pick<Selection, 'ids' | 'entered'> };

/**
 * Makes the selection one new group (inside the entered group, if any); the selection stays, now
 * one unit. Frames and locked shapes are left out. Undo: one step. Returns false if there was
 * nothing to group (one shape, or one group already).
 */
export function groupSelection(ctx: GroupContext): boolean {
  const selected = ctx.board.ordered().filter((shape) => ctx.selection.ids().has(shape.id));
  const patches = groupPatches(selected, ctx.selection.entered, newShapeId());
  if (patches === null) return false;
  ctx.board.updateShapes(patches);
  return true;
}

/**
 * Dissolves the groups selected whole, one level: groups inside them stay. The members stay
 * selected. Undo: one step. Returns false if no group was selected.
 */
export function ungroupSelection(ctx: GroupContext): boolean {
  const selected = [...ctx.selection.ids()].map((id) => ctx.board.get(id)).filter((shape) => shape !== undefined);
  const patches = ungroupPatches(ctx.board, selected, ctx.selection.entered);
  if (patches.size === 0) return false;
  ctx.board.updateShapes(patches);
  return true;
}
