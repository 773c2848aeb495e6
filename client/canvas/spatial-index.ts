import type { Bounds } from '../model/plane.ts';

/** Side of a grid cell, in board units: a few shapes' worth, so a view touches tens to hundreds of cells. */
const CELL = 512;
/** A shape over more cells than this is kept in one list checked on every query instead. */
const MAX_CELLS = 64;

/** Which shapes may touch a region: a uniform grid over the board, so culling skips far-off shapes unseen. */
export interface SpatialIndex {
  set(id: string, bounds: Bounds): void;
  delete(id: string): void;
  /** Ids whose bounds may intersect `region` (a superset; check the bounds to be exact). */
  query(region: Bounds): Set<string>;
  clear(): void;
}

export function createSpatialIndex(): SpatialIndex {
  const cells = new Map<string, Set<string>>();
  const keysOf = new Map<string, string[]>();
  const big = new Set<string>();

  const range = (b: Bounds): [number, number, number, number] => [
    Math.floor(b.x / CELL),
    Math.floor(b.y / CELL),
    Math.floor((b.x + b.width) / CELL),
    Math.floor((b.y + b.height) / CELL),
  ];

  const remove = (id: string): void => {
    big.delete(id);
    for (const key of keysOf.get(id) ?? []) {
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
      const keys: string[] = [];
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const key = `${cx},${cy}`;
          let cell = cells.get(key);
          if (cell === undefined) cells.set(key, (cell = new Set()));
          cell.add(id);
          keys.push(key);
        }
      }
      keysOf.set(id, keys);
    },
    delete: remove,
    query(region) {
      const found = new Set(big);
      const [x0, y0, x1, y1] = range(region);
      // A region far wider than the board would visit mostly empty cells: walk the cells instead.
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size) {
        for (const [key, cell] of cells) {
          const [cx, cy] = key.split(',').map(Number) as [number, number];
          if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1) for (const id of cell) found.add(id);
        }
        return found;
      }
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const cell = cells.get(`${cx},${cy}`);
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
