import type { Bounds } from '../model/plane.ts';

/** Side of a grid cell, in board units: a few shapes' worth, so a view touches tens to hundreds of cells. */
const CELL = 512;
/** A shape over more cells than this is kept in one list checked on every query instead. */
const MAX_CELLS = 64;
/**
 * A cell is keyed by one number, its column and row packed with an offset: the board spans
 * ±(maxCoordinate + maxSize) = ±11,000,000 units, ±21,485 cells, inside ±2^15. Numbers, not
 * "x,y" strings: building the index for a 50,000-shape board as it opens spent most of its time
 * making and hashing those strings.
 */
const OFFSET = 1 << 15;
const SPAN = 1 << 16;
const cellKey = (cx: number, cy: number): number => (cx + OFFSET) * SPAN + (cy + OFFSET);

/** Which shapes may touch a region: a uniform grid over the board, so culling skips far-off shapes unseen. */
export interface SpatialIndex {
  set(id: string, bounds: Bounds): void;
  delete(id: string): void;
  /** Ids whose bounds may intersect `region` (a superset; check the bounds to be exact). */
  query(region: Bounds): Set<string>;
  clear(): void;
}

export function createSpatialIndex(): SpatialIndex {
  const cells = new Map<number, Set<string>>();
  // Most shapes sit in one cell: its key alone, no array.
  const keysOf = new Map<string, number | number[]>();
  const big = new Set<string>();

  const range = (b: Bounds): [number, number, number, number] => [
    Math.floor(b.x / CELL),
    Math.floor(b.y / CELL),
    Math.floor((b.x + b.width) / CELL),
    Math.floor((b.y + b.height) / CELL),
  ];

  const remove = (id: string): void => {
    big.delete(id);
    const keys = keysOf.get(id);
    if (keys === undefined) return;
    for (const key of typeof keys === 'number' ? [keys] : keys) {
      const cell = cells.get(key);
      cell?.delete(id);
      if (cell?.size === 0) cells.delete(key);
    }
    keysOf.delete(id);
  };

  return {
    set(id, bounds) {
      remove(id);
      const [x0, y0, x1, y1] = range(bounds);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS) {
        big.add(id);
        return;
      }
      const keys: number[] = [];
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const key = cellKey(cx, cy);
          let cell = cells.get(key);
          if (cell === undefined) cells.set(key, (cell = new Set()));
          cell.add(id);
          keys.push(key);
        }
      }
      keysOf.set(id, keys.length === 1 ? keys[0]! : keys);
    },
    delete: remove,
    query(region) {
      const found = new Set(big);
      const [x0, y0, x1, y1] = range(region);
      // A region far wider than the board would visit mostly empty cells: walk the cells instead.
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size) {
        for (const [key, cell] of cells) {
          const cx = Math.floor(key / SPAN) - OFFSET;
          const cy = (key % SPAN) - OFFSET;
          if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1) for (const id of cell) found.add(id);
        }
        return found;
      }
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const cell = cells.get(cellKey(cx, cy));
          if (cell !== undefined) for (const id of cell) found.add(id);
        }
      }
      return found;
    },
    clear() {
      cells.clear();
      keysOf.clear();
      big.clear();
    },
  };
}
