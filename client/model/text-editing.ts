import type { StickyShape, TextShape } from '../../shared/schema.ts';
import type { Board, DistributiveOmit } from './board.ts';
import { createEmitter } from './emitter.ts';

/** A text or sticky being typed into: a new one (not in the document yet) or an existing one. */
export type EditTarget = { isNew: boolean; shape: DistributiveOmit<TextShape, 'index'> | DistributiveOmit<StickyShape, 'index'> };

/**
 * Which text is being edited in place, if any. Session state: the document sees the text once,
 * when editing finishes, so one edit is one undo step and other users never see half a word.
 */
export interface TextEditing {
  readonly target: EditTarget | null;
  /** Starts editing; whatever was being edited before is finished first. */
  begin(target: EditTarget): void;
  /** Keeps the text typed so far (not written until finish). */
  setText(text: string): void;
  /**
   * Writes `text`: a new text shape is added (nothing if empty); an existing one is updated, and
   * a text shape emptied is deleted. A sticky keeps its card even when empty. One undo step.
   */
  finish(text?: string): void;
  /** Stops editing without writing. */
  cancel(): void;
  onChange(listener: (target: EditTarget | null) => void): () => void;
  close(): void;
}

export function createTextEditing(board: Board): TextEditing {
  let target: EditTarget | null = null;
  const changes = createEmitter<EditTarget | null>();
  const set = (next: EditTarget | null): void => {
    target = next;
    changes.emit(next);
  };
  const offBoard = board.onChange(({ ids }) => {
    // Someone else deleted the shape being edited: there is nothing left to write into.
    if (target !== null && !target.isNew && ids.has(target.shape.id) && !board.has(target.shape.id)) set(null);
  });
  return {
    get target() {
      return target;
    },
    begin(next) {
      if (target !== null) this.finish();
      set({ isNew: next.isNew, shape: { ...next.shape } });
    },
    setText(text) {
      if (target !== null) target.shape.text = text;
    },
    finish(typed) {
      const editing = target;
      if (editing === null) return;
      set(null);
      const { shape, isNew } = editing;
      const text = typed ?? shape.text;
      const empty = text.trim() === '';
      if (isNew) {
        if (!empty || shape.type === 'sticky') board.addShape({ ...shape, text });
      } else if (empty && shape.type === 'text') {
        board.deleteShapes([shape.id]);
      } else if (board.get(shape.id)) {
        board.updateShapes(new Map([[shape.id, { text }]]));
      }
    },
    cancel() {
      if (target !== null) set(null);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      offBoard();
      changes.clear();
    },
  };
}

