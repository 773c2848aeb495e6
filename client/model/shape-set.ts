import { compareShapeOrder } from '../../shared/doc.ts';
import type { Shape } from '../../shared/schema.ts';
import type { BoardChange } from './board.ts';
import { createEmitter } from './emitter.ts';
import type { ShapeSource } from './shape.ts';

/**
 * A fixed set of shapes that is not a document: what the renderer draws for a past version. It
 * reads like a board (get, ordered, onChange), so the renderer draws it through the same shape
 * registry as the live board, and it is never written to.
 */
export interface ShapeSet extends ShapeSource {
  /** Puts these shapes in place of the ones held; listeners hear of every id in either. */
  replace(shapes: readonly Shape[]): void;
  onChange(listener: (change: BoardChange) => void): () => void;
  close(): void;
}

export function createShapeSet(initial: readonly Shape[] = []): ShapeSet {
  let byId = new Map<string, Shape>();
  let ordered: Shape[] = [];
  const changes = createEmitter<BoardChange>();
  const take = (shapes: readonly Shape[]): void => {
    byId = new Map(shapes.map((shape) => [shape.id, shape]));
    ordered = [...byId.values()].sort(compareShapeOrder);
  };
  take(initial);
  return {
    get: (id) => byId.get(id),
    ordered: () => ordered,
    replace(shapes) {
      const ids = new Set(byId.keys());
      take(shapes);
      for (const id of byId.keys()) ids.add(id);
      changes.emit({ ids, origin: null, local: false });
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
      byId.clear();
      ordered = [];
    },
  };
}
