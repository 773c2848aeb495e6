/**
 * Typing as it happens: the editing model writes each keystroke to the shape's Y.Text, shows
 * others' typing to the editor with the caret mapped, publishes the caret as anchors, and the
 * history takes back one burst of one user's typing at a time.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { shapeText, textAnchorIndex } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type StickyShape } from '../../shared/schema.ts';
import { createBoard, type Board } from '../../client/model/board.ts';
import { createHistory, TYPING_BURST_PAUSE_MS, type History } from '../../client/model/history.ts';
import { createTextEditing, type OutsideTextChange, type TextEditing } from '../../client/model/text-editing.ts';

const NOTE: Omit<StickyShape, 'index'> = { ...DEFAULT_STYLE, id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, rotation: 0, locked: false, text: 'note', width: 200, height: 200 };

interface User {
  doc: Y.Doc;
  board: Board;
  editing: TextEditing;
  history: History;
  /** Advances this user's clock (the history's burst pause reads it). */
  wait(ms: number): void;
  /** Types `chars` one keystroke at a time at `at`, 100 ms apart, the way the textarea reports them. */
  typeAt(at: number, chars: string): void;
  text(): string;
  close(): void;
}

function user(): User {
  const doc = new Y.Doc();
  const board = createBoard(doc);
  let clock = 1_000_000;
  const history = createHistory(doc, { now: () => clock });
  const editing = createTextEditing(board);
  const text = (): string => (board.get('n') as StickyShape | undefined)?.text ?? '';
  return {
    doc,
    board,
    editing,
    history,
    wait: (ms) => void (clock += ms),
    typeAt(at, chars) {
      let value = editing.text();
      for (const [i, char] of [...chars].entries()) {
        clock += 100;
        value = value.slice(0, at + i) + char + value.slice(at + i);
        editing.setText(value, at + i + 1);
      }
    },
    text,
    close() {
      editing.close();
      history.close();
      board.close();
    },
  };
}

/** Two users and a link between them that carries updates as they happen, or holds them while cut. */
function twoUsers() {
  const a = user();
  const b = user();
  let connected = true;
  const relay = (from: Y.Doc, to: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (connected && origin !== REMOTE_ORIGIN) Y.applyUpdate(to, update, REMOTE_ORIGIN);
  };
  a.doc.on('update', relay(a.doc, b.doc));
  b.doc.on('update', relay(b.doc, a.doc));
  const reconnect = (): void => {
    connected = true;
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), REMOTE_ORIGIN);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), REMOTE_ORIGIN);
  };
  return { a, b, cut: () => void (connected = false), reconnect };
}

describe('typing into the document', () => {
  test('each keystroke reaches the other user as it is typed', () => {
    const { a, b } = twoUsers();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    const seen: string[] = [];
    b.board.onChange(() => seen.push(b.text()));
    a.typeAt(4, ' hi');
    assert.deepEqual(seen, ['note ', 'note h', 'note hi']);
    assert.equal(a.editing.target?.shape.id, 'n', 'A is still typing');
    a.close();
    b.close();
  });

  test('a new note is added with its first keystroke; one with nothing typed is added empty when editing ends', () => {
    const { a, b } = twoUsers();
    a.editing.begin({ isNew: true, shape: { ...NOTE, text: '' } });
    assert.equal(b.board.size, 0);
    a.typeAt(0, 'x');
    assert.equal(b.text(), 'x');
    a.editing.finish();
    a.editing.begin({ isNew: true, shape: { ...NOTE, id: 'empty', text: '' } });
    a.editing.finish();
    assert.equal((b.board.get('empty') as StickyShape | undefined)?.text, '', 'the card stays, as before');
    a.close();
    b.close();
  });

  test('both type into one note at once: both keep every character, and each caret stays in its place', () => {
    const { a, b, cut, reconnect } = twoUsers();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    b.editing.begin({ isNew: false, shape: { ...NOTE } });
    // B's editor: a caret after "note", moved by A's typing as the textarea would move it.
    let caretB = 4;
    b.editing.onOutsideChange((change: OutsideTextChange) => {
      caretB = change.mapIndex(caretB);
    });
    a.typeAt(0, 'A1 ');
    assert.equal(caretB, 7, 'B’s caret moved along with A’s typing before it');
    b.typeAt(caretB, ' B1');
    cut();
    a.typeAt(3, 'A2 ');
    b.typeAt(caretB + 3, ' B2');
    reconnect();
    assert.equal(a.text(), 'A1 A2 note B1 B2');
    assert.equal(b.text(), a.text());
    assert.equal(b.editing.text(), a.text(), 'B’s editor shows A’s typing');
    a.close();
    b.close();
  });

  test('the caret is published as anchors the other user resolves to the same place, while the text changes', () => {
    const { a, b } = twoUsers();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    const published: unknown[] = [];
    a.editing.onTypingChange((typing) => published.push(typing));
    a.editing.setSelection(1, 3);
    const typing = a.editing.typing();
    assert.ok(typing !== null);
    assert.equal(typing.id, 'n');
    const wire = JSON.parse(JSON.stringify(typing)) as typeof typing;
    assert.deepEqual([textAnchorIndex(b.doc, 'n', wire.anchor), textAnchorIndex(b.doc, 'n', wire.head)], [1, 3]);
    b.editing.begin({ isNew: false, shape: { ...NOTE } });
    b.typeAt(0, '>> ');
    assert.deepEqual([textAnchorIndex(b.doc, 'n', wire.anchor), textAnchorIndex(b.doc, 'n', wire.head)], [4, 6], 'the selection moved with the text');
    a.editing.finish();
    assert.equal(a.editing.typing(), null);
    assert.equal(published.at(-1), null, 'finishing stops publishing');
    a.close();
    b.close();
  });

  test('someone else deleting the note ends the editing session', () => {
    const { a, b } = twoUsers();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    b.board.deleteShapes(['n']);
    assert.equal(a.editing.target, null);
    a.close();
    b.close();
  });

  test('a bot’s plain-string text is shown, and typing into it works and reaches the other user', () => {
    const { a, b } = twoUsers();
    a.board.addShape(NOTE);
    b.doc.transact(() => {
      const entry = b.doc.getMap<Y.Map<unknown>>('shapes').get('n')!;
      entry.set('text', 'bot says');
    }, REMOTE_ORIGIN);
    // Written by "the bot" on B's side with a foreign origin: relay it as the server would.
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), REMOTE_ORIGIN);
    assert.equal(a.text(), 'bot says');
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    assert.equal(a.editing.text(), 'bot says');
    a.typeAt(8, '!');
    assert.equal(b.text(), 'bot says!');
    assert.ok(shapeText(b.doc, 'n') instanceof Y.Text);
    // The bot writes a string over it while A is still typing: A's editor shows it.
    const shown: string[] = [];
    a.editing.onOutsideChange(({ text }) => shown.push(text));
    b.doc.transact(() => b.doc.getMap<Y.Map<unknown>>('shapes').get('n')!.set('text', 'bot again'), REMOTE_ORIGIN);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), REMOTE_ORIGIN);
    assert.deepEqual(shown, ['bot again']);
    assert.equal(a.editing.text(), 'bot again');
    a.close();
    b.close();
  });
});

describe('undo per typing burst', () => {
  test('one undo takes back one burst: not a character, not the whole session', () => {
    const a = user();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    a.typeAt(4, ' one');
    a.wait(TYPING_BURST_PAUSE_MS + 500);
    a.typeAt(8, ' two');
    a.editing.finish();
    assert.equal(a.text(), 'note one two');
    assert.ok(a.history.undo());
    assert.equal(a.text(), 'note one', 'the second burst went as one');
    assert.ok(a.history.undo());
    assert.equal(a.text(), 'note');
    assert.ok(a.history.redo());
    assert.equal(a.text(), 'note one');
    a.close();
  });

  test('a new editing session and another command each end a burst; commands are still one step each', () => {
    const a = user();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    a.typeAt(4, ' one');
    a.editing.finish();
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    a.typeAt(8, ' two');
    a.board.moveShapes(['n'], 10, 0);
    a.typeAt(12, ' three');
    a.editing.finish();
    assert.ok(a.history.undo());
    assert.equal(a.text(), 'note one two');
    assert.ok(a.history.undo());
    assert.equal(a.board.get('n')?.x, 0, 'the move was its own step');
    assert.equal(a.text(), 'note one two');
    assert.ok(a.history.undo());
    assert.equal(a.text(), 'note one');
    assert.ok(a.history.undo());
    assert.equal(a.text(), 'note');
    assert.ok(a.history.undo());
    assert.equal(a.board.size, 0);
    a.close();
  });

  test('typing after an undo starts a new step rather than joining the one undone', () => {
    const a = user();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    a.typeAt(4, 'X');
    a.history.undo();
    a.history.redo();
    a.typeAt(5, 'Y');
    a.history.undo();
    assert.equal(a.text(), 'noteX');
    a.close();
  });

  test('two users type into one note at once; undo of one user’s typing leaves the other’s', () => {
    const { a, b } = twoUsers();
    a.board.addShape(NOTE);
    a.editing.begin({ isNew: false, shape: { ...NOTE } });
    b.editing.begin({ isNew: false, shape: { ...NOTE } });
    // Keystrokes interleave: A at the start, B at the end.
    for (const [i, char] of [...'AAA'].entries()) {
      a.typeAt(i, char);
      b.typeAt(b.editing.text().length, 'B');
    }
    assert.equal(a.text(), 'AAAnoteBBB');
    a.editing.finish();
    b.editing.finish();
    assert.ok(a.history.undo());
    assert.equal(a.text(), 'noteBBB', 'A’s burst went, B’s typing stayed');
    assert.equal(b.text(), 'noteBBB');
    assert.ok(b.history.undo());
    assert.equal(b.text(), 'note');
    assert.ok(a.history.undo(), 'A can still undo adding the note');
    assert.equal(b.board.size, 0);
    a.close();
    b.close();
  });
});
