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
 * A draws, B draws, A undoes → only A's shape goes; A and B type into one note, A undoes → only
 * A's characters go.
 */
export interface History {
  undo(): boolean;
  redo(): boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  onChange(listener: (state: HistoryState) => void): () => void;
  close(): void;
}

/** A typing burst ends after this long without a keystroke: the next one starts a new undo step. */
export const TYPING_BURST_PAUSE_MS = 1000;

const TYPING_META = Symbol('easel.typing');

/**
 * Marks a transaction as typing into a text, within `session` (any value, compared by identity;
 * one per editing session). Consecutive typing transactions of one session, each less than
 * TYPING_BURST_PAUSE_MS after the last, are one undo step; anything else is a step of its own.
 * Call inside the transaction (`doc.transact((tr) => markTyping(tr, session))` nests into it).
 */
export function markTyping(transaction: Y.Transaction, session: unknown): void {
  transaction.meta.set(TYPING_META, session);
}

export interface HistoryOptions {
  /** Defaults to TYPING_BURST_PAUSE_MS. */
  burstPauseMs?: number;
  /** Clock for the burst pause (tests). */
  now?: () => number;
}

export function createHistory(doc: Y.Doc, options: HistoryOptions = {}): History {
  const burstPauseMs = options.burstPauseMs ?? TYPING_BURST_PAUSE_MS;
  const now = options.now ?? Date.now;
  const shapes = getShapesMap(doc);
  const trackedOrigins = new Set<unknown>([LOCAL_ORIGIN, IMPORT_ORIGIN]);
  // The session and time of the last typing transaction, while a burst may still go on.
  let burst: { session: unknown; at: number } | null = null;

  const tracked = (transaction: Y.Transaction): boolean => trackedOrigins.has(transaction.origin) && (transaction.changedParentTypes as Map<unknown, unknown>).has(shapes);
  // Runs before the UndoManager sees a transaction: anything but the next keystroke of the
  // current burst starts a new step.
  const beforeCapture = (transaction: Y.Transaction): void => {
    if (!tracked(transaction)) return;
    const session = transaction.meta.get(TYPING_META);
    const continues = session !== undefined && burst !== null && burst.session === session && now() - burst.at <= burstPauseMs;
    if (!continues) manager.stopCapturing();
  };
  // Runs after: a command other than typing is never merged into by what follows it.
  const afterCapture = (transaction: Y.Transaction): void => {
    if (!tracked(transaction)) return;
    const session = transaction.meta.get(TYPING_META);
    if (session === undefined) {
      burst = null;
      manager.stopCapturing();
    } else {
      burst = { session, at: now() };
    }
  };
  doc.on('afterTransaction', beforeCapture);
  const manager = new Y.UndoManager(shapes, {
    trackedOrigins,
    // Whether a transaction joins the step before it is decided above (stopCapturing), not by
    // the UndoManager's wall-clock window: each board command is already one transaction (a whole
    // stroke, a whole drag), and merging commands that happen to fall close together would make
    // undo take back two acts.
    captureTimeout: Number.POSITIVE_INFINITY,
  });
  doc.on('afterTransaction', afterCapture);

  const changes = createEmitter<HistoryState>();
  const emit = (): void => changes.emit({ canUndo: manager.canUndo(), canRedo: manager.canRedo() });
  // Typing after an undo or redo starts a new step rather than joining the one just popped.
  const onPopped = (): void => {
    burst = null;
    manager.stopCapturing();
    emit();
  };
  const events = ['stack-item-added', 'stack-cleared'] as const;
  for (const event of events) manager.on(event, emit);
  manager.on('stack-item-popped', onPopped);

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
      manager.off('stack-item-popped', onPopped);
      doc.off('afterTransaction', beforeCapture);
      doc.off('afterTransaction', afterCapture);
      changes.clear();
      manager.destroy();
    },
  };
}
