import type { Board } from './board.ts';
import { createEmitter } from './emitter.ts';
import { inGroup } from './groups.ts';

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
  /**
   * The group the user has entered (double-clicked into), whose members a click picks one by one,
   * or null. It is left as soon as the selection holds a shape outside it or nothing.
   */
  readonly entered: string | null;
  /** Enters `group` (null: leaves any) and selects `ids` at once. */
  enter(group: string | null, ids: Iterable<string>): void;
  onChange(listener: (ids: ReadonlySet<string>) => void): () => void;
  close(): void;
}

/**
 * Creates a selection that follows the board: a selected shape deleted by someone else (or
 * turned invalid) just leaves the selection, and whatever the user is doing carries on. The same
 * goes for the entered group: ungrouped by someone else, it is left.
 */
export function createSelection(board: Board): Selection {
  let current: ReadonlySet<string> = new Set();
  let entered: string | null = null;
  const changes = createEmitter<ReadonlySet<string>>();

  /** The entered group, if the selection `ids` is still inside it. */
  const stillEntered = (group: string | null, ids: ReadonlySet<string>): string | null => {
    if (group === null || ids.size === 0) return null;
    for (const id of ids) {
      const shape = board.get(id);
      if (shape === undefined || !inGroup(shape, group)) return null;
    }
    return group;
  };

  const replace = (next: Set<string>, group: string | null = entered): void => {
    const nextEntered = stillEntered(group, next);
    if (nextEntered === entered && next.size === current.size && [...next].every((id) => current.has(id))) return;
    current = next;
    entered = nextEntered;
    changes.emit(current);
  };

  const offBoard = board.onChange(({ ids }) => {
    let changed = false;
    for (const id of ids) if (current.has(id)) changed = true;
    if (changed) replace(new Set([...current].filter((id) => board.has(id))));
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
    get entered() {
      return entered;
    },
    enter(group, ids) {
      replace(new Set([...ids].filter((id) => board.has(id))), group);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      offBoard();
      changes.clear();
    },
  };
}
