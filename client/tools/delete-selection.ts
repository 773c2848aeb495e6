import type { ToolContext } from './tool.ts';

/** Deletes the selected shapes in one local transaction and empties the selection; returns how many. */
export function deleteSelection(ctx: Pick<ToolContext, 'board' | 'selection'>): number {
  const ids = [...ctx.selection.ids()];
  if (ids.length === 0) return 0;
  ctx.board.deleteShapes(ids);
  ctx.selection.clear();
  return ids.length;
}
