import type * as Y from 'yjs';
import { setShapeText, shapeText, textAnchor } from '../../shared/doc.ts';
import type { PresenceTyping } from '../../shared/presence.ts';
import { hasText, shapeDef, type Shape } from '../../shared/schema.ts';
import { ReadOnlyError, type Board } from './board.ts';
import { createEmitter } from './emitter.ts';
import { markTyping } from './history.ts';
import type { NewTextShape, ShapePatch } from './shape.ts';
import { mapIndexThroughDelta, type TextDelta } from './text-delta.ts';

/** A shape with text being typed into: a new one (not in the document yet) or an existing one. */
export type EditTarget = { isNew: boolean; shape: NewTextShape };

/** Whether a shape whose text is blank is still something (a note's card) rather than nothing (a text): see ShapeDef.text. */
const keepsBlank = (shape: Pick<Shape, 'type'>): boolean => shapeDef(shape.type)?.text?.keepBlank === true;

/** The text of the stored shape `id`, if it is there and has text. */
const storedText = (board: Board, id: string): string | undefined => {
  const shape = board.get(id);
  return shape !== undefined && hasText(shape) ? shape.text : undefined;
};

/** The text being edited was changed by someone else (or by this user's undo) while it was open. */
export interface OutsideTextChange {
  /** The whole text now. */
  text: string;
  /** Where an index of the text before the change is now: a caret stays next to what it was next to. */
  mapIndex(index: number): number;
}

/**
 * Which text is being edited in place, if any, and the typing itself. Every keystroke goes to the
 * shape's Y.Text at once (LOCAL_ORIGIN, marked as typing so that undo takes back one burst of
 * typing at a time), so others see it as it is typed and two people typing into one note both
 * keep their characters.
 */
export interface TextEditing {
  readonly target: EditTarget | null;
  /** Starts editing; whatever was being edited before is finished first. */
  begin(target: EditTarget): void;
  /** The text being edited as it is now, with everyone's typing. */
  text(): string;
  /**
   * Writes the text as typed now, as the smallest edit; `caret` (the caret's index in `text`)
   * tells where among equal characters it was typed. A new text shape is added with its first
   * non-blank character, a new note with its first character.
   */
  setText(text: string, caret?: number): void;
  /** The local selection in the text (anchor and head, the caret), published for the others. */
  setSelection(anchor: number, head: number): void;
  /** Where this user is typing, for presence; null when not editing. */
  typing(): PresenceTyping | null;
  onTypingChange(listener: (typing: PresenceTyping | null) => void): () => void;
  /** Someone else changed the text being edited. */
  onOutsideChange(listener: (change: OutsideTextChange) => void): () => void;
  /**
   * Stops editing, with `text` written first if given. A new note with nothing typed is added
   * empty (a card shows); a new text with nothing typed never was; a text shape left blank is
   * deleted.
   */
  finish(text?: string): void;
  /** Stops editing; what was typed stays, a new note with nothing typed is not added. */
  cancel(): void;
  onChange(listener: (target: EditTarget | null) => void): () => void;
  close(): void;
}

/**
 * What a shape changes so that `text` fits in it (a box grows taller), or null when it fits: the
 * shape utils answer it (ShapeText.fit), and the composition root hands it in, as this model sits
 * below the registry.
 */
export type FitText = (shape: NewTextShape, text: string) => ShapePatch | null;

export interface TextEditingOptions {
  /** Applied with every keystroke, in its transaction; without it shapes keep their size. */
  fit?: FitText;
}

export function createTextEditing(board: Board, options: TextEditingOptions = {}): TextEditing {
  const fit: FitText = options.fit ?? (() => null);
  const doc = board.doc;
  let target: EditTarget | null = null;
  // Identifies this editing session to the history: typing in one session is merged in bursts,
  // never with typing in another.
  let session: object | null = null;
  // The Y.Text being watched for others' typing, and whether a change to it is our own write.
  let watched: { text: Y.Text; off: () => void } | null = null;
  let writing = false;
  let selection: { anchor: number; head: number } | null = null;
  let typing: PresenceTyping | null = null;
  const changes = createEmitter<EditTarget | null>();
  const typingChanges = createEmitter<PresenceTyping | null>();
  const outsideChanges = createEmitter<OutsideTextChange>();

  const publishTyping = (): void => {
    let next: PresenceTyping | null = null;
    if (target !== null && !target.isNew && selection !== null) {
      const anchor = textAnchor(doc, target.shape.id, selection.anchor);
      const head = textAnchor(doc, target.shape.id, selection.head);
      if (anchor !== null && head !== null) next = { id: target.shape.id, anchor, head };
    }
    if (next === null && typing === null) return;
    typing = next;
    typingChanges.emit(next);
  };

  const unwatch = (): void => {
    watched?.off();
    watched = null;
  };
  /** Tells the editor the text changed as a whole: the caret keeps its index, within the text. */
  const replacedBy = (value: string): void => {
    if (target === null || value === target.shape.text) return;
    target.shape.text = value;
    outsideChanges.emit({ text: value, mapIndex: (index) => Math.min(index, value.length) });
  };
  /** Follows the Y.Text of the shape being edited (a plain string has none until typed into). */
  const watch = (): void => {
    const text = target === null || target.isNew ? null : shapeText(doc, target.shape.id);
    if (text === (watched?.text ?? null)) return;
    unwatch();
    if (text !== null) {
      const onText = (event: Y.YTextEvent): void => {
        if (writing) return;
        const delta = event.delta as TextDelta;
        const value = text.toString();
        if (target !== null) target.shape.text = value;
        outsideChanges.emit({ text: value, mapIndex: (index) => mapIndexThroughDelta(delta, index) });
      };
      text.observe(onText);
      watched = { text, off: () => text.unobserve(onText) };
    }
  };

  /** One typing transaction of this session; false if the board turned view only meanwhile. */
  const type = (write: () => void): boolean => {
    const current = session;
    writing = true;
    try {
      board.batch(() =>
        doc.transact((transaction) => {
          markTyping(transaction, current);
          write();
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ReadOnlyError) return false;
      throw error;
    } finally {
      writing = false;
    }
  };

  const set = (next: EditTarget | null): void => {
    unwatch();
    target = next;
    session = next === null ? null : {};
    selection = null;
    watch();
    publishTyping();
    changes.emit(next);
  };

  const offBoard = board.onChange(({ ids }) => {
    if (target === null || target.isNew || !ids.has(target.shape.id)) return;
    // Someone else deleted the shape being edited: there is nothing left to write into.
    if (!board.has(target.shape.id)) return set(null);
    watch();
    // A text put in place whole, not typed (someone else migrating the same string at once, a
    // bot writing a string): the editor shows it as it is now.
    if (!writing) {
      const now = watched?.text.toString() ?? storedText(board, target.shape.id);
      if (now !== undefined) replacedBy(now);
    }
  });

  const setText = (text: string, caret?: number): void => {
    const editing = target;
    if (editing === null) return;
    editing.shape.text = text;
    if (editing.isNew) {
      if (text.trim() === '' && !keepsBlank(editing.shape)) return;
      Object.assign(editing.shape, fit(editing.shape, text));
      // The first keystroke adds the shape, and is the start of the first burst: one undo takes
      // back the shape with what was typed in that burst.
      if (!type(() => board.addShape({ ...editing.shape, text }))) return set(null);
      editing.isNew = false;
      watch();
      return;
    }
    if (!board.has(editing.shape.id)) return;
    const id = editing.shape.id;
    const grow = (): void => {
      const stored = board.get(id);
      const patch = stored !== undefined && hasText(stored) ? fit(stored, text) : null;
      if (patch === null) return;
      // The same transaction as the keystroke: one undo takes back the typing and the growth.
      board.updateShapes(new Map([[id, patch]]));
      // The editor is laid over the shape as it is now.
      Object.assign(editing.shape, patch);
    };
    // The server refused this page's writes (it is view only now): nothing typed can be kept.
    if (!type(() => (setShapeText(doc, id, text, caret), grow()))) return set(null);
    // A plain string (a bot's, not migrated) became a Y.Text with this keystroke.
    watch();
  };

  return {
    get target() {
      return target;
    },
    begin(next) {
      if (target !== null) this.finish();
      set({ isNew: next.isNew, shape: { ...next.shape } });
    },
    text() {
      if (target === null) return '';
      if (target.isNew) return target.shape.text;
      return watched?.text.toString() ?? storedText(board, target.shape.id) ?? target.shape.text;
    },
    setText,
    setSelection(anchor, head) {
      if (target === null) return;
      if (selection?.anchor === anchor && selection.head === head) return;
      selection = { anchor, head };
      publishTyping();
    },
    typing: () => typing,
    onTypingChange: (listener) => typingChanges.on(listener),
    onOutsideChange: (listener) => outsideChanges.on(listener),
    finish(typed) {
      const editing = target;
      if (editing === null) return;
      if (typed !== undefined) setText(typed);
      set(null);
      const { shape, isNew } = editing;
      if (isNew) {
        // A note keeps its card even with nothing typed; a text with nothing typed was never added.
        if (keepsBlank(shape)) board.addShape({ ...shape, text: typed ?? shape.text });
        return;
      }
      // Read the document, not what this page typed: someone else may be typing into it too.
      if (!keepsBlank(shape) && storedText(board, shape.id)?.trim() === '') board.deleteShapes([shape.id]);
    },
    cancel() {
      if (target !== null) set(null);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      offBoard();
      unwatch();
      changes.clear();
      typingChanges.clear();
      outsideChanges.clear();
    },
  };
}
