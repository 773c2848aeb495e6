import type { Board } from './board.ts';
import { createEmitter } from './emitter.ts';

/** The local user's selected shape ids. Session state: never written to the document. */
export interface Selection {
  ids(): ReadonlySet<string>;
  has(id: string): boolean;
  readonly size: number;
  /** Replaces the selection; ids not on the board are dropped. */
  set(ids: Iterable<string>): void;
  add(id: string): void;
  remove(id: string): void;
  toggle(id: string): void;
  clear(): void;
  onChange(listener: (ids: ReadonlySet<string>) => void): () => void;
  close(): void;
}

/**
 * Creates a selection that follows the board: a selected shape deleted by someone else (or
 * turned invalid) just leaves the selection, and whatever the user is doing carries on.
 */
export function createSelection(board: Board): Selection {
  let current: ReadonlySet<string> = new Set();
  const changes = createEmitter<ReadonlySet<string>>();

  const replace = (next: Set<string>): void => {
    if (next.size === current.size && [...next].every((id) => current.has(id))) return;
    current = next;
    changes.emit(current);
  };

  const offBoard = board.onChange(({ ids }) => {
    let gone = false;
    for (const id of ids) if (current.has(id) && !board.has(id)) gone = true;
    if (gone) replace(new Set([...current].filter((id) => board.has(id))));
  });

  return {
    ids: () => current,
    has: (id) => current.has(id),
    get size() {
      return current.size;
    },
    set(ids) {
      replace(new Set([...ids].filter((id) => board.has(id))));
    },
    add(id) {
      if (board.has(id) && !current.has(id)) replace(new Set([...current, id]));
    },
    remove(id) {
      if (current.has(id)) replace(new Set([...current].filter((other) => other !== id)));
    },
    toggle(id) {
      if (current.has(id)) this.remove(id);
      else this.add(id);
    },
    clear() {
      replace(new Set());
    },
    onChange: (listener) => changes.on(listener),
    close() {
      offBoard();
      changes.clear();
    },
  };
}
