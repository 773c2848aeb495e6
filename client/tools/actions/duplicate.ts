import { hasBoundEnds, type Shape } from '../../../shared/schema.ts';
import type { Board } from '../../model/board.ts';
import type { NewShape } from '../../model/shape.ts';
import { newShapeId } from '../../model/ids.ts';
import { framedCopies, withFrameChildren } from '../../model/frames.ts';
import { copiedGroupIds } from '../../model/groups.ts';
import type { Selection } from '../../model/selection.ts';

/** How far a copy lands from its original, in board units, so it is visibly a copy. */
export const COPY_OFFSET = 16;

/**
 * Adds copies of `shapes` (in their z-order, above everything) moved by (dx, dy), with new ids;
 * arrows between copied shapes are bound to the copies, bindings to shapes left behind are
 * dropped. A frame's children copied with it are in its copy; any other copy lands in the frame
 * under it (client/model/frames.ts). Copied groups are new groups, nested as the originals;
 * `keepGroup` (the group the user has entered) and those around it are kept, so copies made
 * inside a group stay in it. Undo: one step. Returns the new ids.
 */
export function addCopies(board: Board, shapes: readonly Shape[] | readonly NewShape[], dx: number, dy: number, keepGroup: string | null = null): string[] {
  const ids = new Map(shapes.map((shape) => [shape.id, newShapeId()]));
  const groups = copiedGroupIds(shapes, keepGroup, newShapeId);
  const created: string[] = [];
  const copies: NewShape[] = [];
  board.batch(() => {
    for (const shape of shapes) {
      const { index: _index, groupIds: _groupIds, ...rest } = shape as Shape;
      const copy = { ...rest, id: ids.get(shape.id)!, x: shape.x + dx, y: shape.y + dy, locked: false } as NewShape;
      const groupIds = groups.get(shape.id);
      if (groupIds !== undefined) copy.groupIds = groupIds;
      if (hasBoundEnds(copy)) {
        copy.startBinding = copy.startBinding !== null ? (ids.get(copy.startBinding) ?? null) : null;
        copy.endBinding = copy.endBinding !== null ? (ids.get(copy.endBinding) ?? null) : null;
      }
      copies.push(copy);
    }
    // Frames first: a child is stored from its frame's origin.
    for (const copy of framedCopies(board, shapes, copies, ids)) created.push(board.addShape(copy).id);
  });
  return created;
}

/** Duplicates the selection next to itself and selects the copies. Undo: one step. */
export function duplicateSelection(ctx: { board: Board; selection: Pick<Selection, 'ids' | 'set' | 'entered'> }): boolean {
  const shapes = withFrameChildren(ctx.board, ctx.board.ordered().filter((shape) => ctx.selection.ids().has(shape.id)));
  if (shapes.length === 0) return false;
  ctx.selection.set(addCopies(ctx.board, shapes, COPY_OFFSET, COPY_OFFSET, ctx.selection.entered));
  return true;
}
