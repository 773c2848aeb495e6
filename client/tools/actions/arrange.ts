import { indicesBetween } from '../../../shared/doc.ts';
import type { Board, ShapePatch } from '../../model/board.ts';
import type { Selection } from '../../model/selection.ts';

export type ArrangeMove = 'forward' | 'backward' | 'front' | 'back';

/**
 * Changes the z-order of the selected (unlocked) shapes. Undo: one step. Only the moved shapes
 * get new fractional indices, chosen between their new neighbours, so a concurrent reorder of
 * other shapes merges instead of conflicting. Returns false if nothing moved.
 */
export function arrangeSelection(ctx: { board: Board; selection: Selection }, move: ArrangeMove): boolean {
  const { board, selection } = ctx;
  const ordered = board.ordered();
  const moving = new Set([...selection.ids()].filter((id) => board.get(id)?.locked === false));
  if (moving.size === 0) return false;
  const ids = ordered.map((shape) => shape.id);
  let next: string[];
  switch (move) {
    case 'front':
      next = [...ids.filter((id) => !moving.has(id)), ...ids.filter((id) => moving.has(id))];
      break;
    case 'back':
      next = [...ids.filter((id) => moving.has(id)), ...ids.filter((id) => !moving.has(id))];
      break;
    case 'forward':
      next = [...ids];
      // From the top down, each selected shape hops over the unselected one just above it.
      for (let i = next.length - 2; i >= 0; i--) {
        if (moving.has(next[i]!) && !moving.has(next[i + 1]!)) [next[i], next[i + 1]] = [next[i + 1]!, next[i]!];
      }
      break;
    case 'backward':
      next = [...ids];
      for (let i = 1; i < next.length; i++) {
        if (moving.has(next[i]!) && !moving.has(next[i - 1]!)) [next[i], next[i - 1]] = [next[i - 1]!, next[i]!];
      }
      break;
  }
  if (next.every((id, i) => id === ids[i])) return false;
  board.updateShapes(reindex(board, next, moving));
  return true;
}

/**
 * New indices for the `moving` shapes so that sorting by index gives `order`. Shapes that are not
 * moving keep their relative order in `order`, so each run of moving shapes sits between two
 * fixed neighbours and gets fresh indices between theirs.
 */
function reindex(board: Board, order: readonly string[], moving: ReadonlySet<string>): Map<string, ShapePatch> {
  const patches = new Map<string, ShapePatch>();
  let i = 0;
  while (i < order.length) {
    if (!moving.has(order[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end < order.length && moving.has(order[end]!)) end++;
    const below = i > 0 ? (board.get(order[i - 1]!)?.index ?? null) : null;
    let above = end < order.length ? (board.get(order[end]!)?.index ?? null) : null;
    // Two shapes inserted at once by two users can share an index; there is no key between them.
    if (below !== null && above !== null && below >= above) above = null;
    const keys = indicesBetween(below, above, end - i);
    for (let k = i; k < end; k++) patches.set(order[k]!, { index: keys[k - i]! });
    i = end;
  }
  return patches;
}
