import * as Y from 'yjs';
import { getShapesMap } from '../../shared/doc.ts';
import { IMPORT_ORIGIN, LOCAL_ORIGIN } from '../../shared/origins.ts';
import { createEmitter } from './emitter.ts';

/** What the undo and redo buttons need to know. */
export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * The local user's undo history. Only transactions with LOCAL_ORIGIN (and IMPORT_ORIGIN, an
 * import being the user's own act) are tracked, so undo never takes back what another user did:
 * A draws, B draws, A undoes → only A's shape goes.
 */
export interface History {
  undo(): boolean;
  redo(): boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  onChange(listener: (state: HistoryState) => void): () => void;
  close(): void;
}

export function createHistory(doc: Y.Doc): History {
  const manager = new Y.UndoManager(getShapesMap(doc), {
    trackedOrigins: new Set<unknown>([LOCAL_ORIGIN, IMPORT_ORIGIN]),
    // Each board command is already one transaction (a whole stroke, a whole drag); merging
    // commands that happen to fall within a time window would make undo take back two acts.
    captureTimeout: 0,
  });
  const changes = createEmitter<HistoryState>();
  const emit = (): void => changes.emit({ canUndo: manager.canUndo(), canRedo: manager.canRedo() });
  const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
  for (const event of events) manager.on(event, emit);

  return {
    undo: () => manager.undo() !== null,
    redo: () => manager.redo() !== null,
    get canUndo() {
      return manager.canUndo();
    },
    get canRedo() {
      return manager.canRedo();
    },
    onChange: (listener) => changes.on(listener),
    close() {
      for (const event of events) manager.off(event, emit);
      changes.clear();
      manager.destroy();
    },
  };
}
