import type { NewShape } from './board.ts';
import { createEmitter } from './emitter.ts';

/** Shapes shown moved by a delta while a drag is in progress; the doc is written on drop. */
export interface Translation {
  readonly ids: ReadonlySet<string>;
  readonly dx: number;
  readonly dy: number;
}

/** The parts of a draft that changed, so a listener redraws only what it owns. */
export interface DraftChange {
  shape: boolean;
  translation: boolean;
}

/**
 * What the local user is in the middle of doing, kept out of the document until it is committed:
 * the shape being drawn and the translation of a drag. Remote changes never touch it, so a stroke
 * or a drag carries on whatever arrives from the network.
 */
export interface Draft {
  readonly shape: NewShape | null;
  readonly translation: Translation | null;
  setShape(shape: NewShape | null): void;
  setTranslation(translation: Translation | null): void;
  clear(): void;
  onChange(listener: (change: DraftChange) => void): () => void;
  close(): void;
}

export function createDraft(): Draft {
  let shape: NewShape | null = null;
  let translation: Translation | null = null;
  const changes = createEmitter<DraftChange>();
  return {
    get shape() {
      return shape;
    },
    get translation() {
      return translation;
    },
    setShape(next) {
      if (next === shape) return;
      shape = next;
      changes.emit({ shape: true, translation: false });
    },
    setTranslation(next) {
      if (next === translation) return;
      translation = next;
      changes.emit({ shape: false, translation: true });
    },
    clear() {
      const change = { shape: shape !== null, translation: translation !== null };
      shape = null;
      translation = null;
      if (change.shape || change.translation) changes.emit(change);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
