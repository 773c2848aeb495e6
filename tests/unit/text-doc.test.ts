/**
 * The text of text and sticky shapes in the document: a Y.Text per shape (schema version 2), the
 * gate still reading plain strings (older boards, bots), the migration, minimal edits that merge
 * concurrent typing, fresh texts for copies, and anchors for carets.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  applyTextDiff,
  ensureMeta,
  getMetaMap,
  getShapesMap,
  migrateStringTexts,
  readAllShapes,
  readSchemaVersion,
  readShapeFromDoc,
  setShapeText,
  shapeText,
  textAnchor,
  textAnchorIndex,
  textDiff,
  updateShape,
  writeShape,
} from '../../shared/doc.ts';
import { LOCAL_ORIGIN, MIGRATION_ORIGIN, REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, SCHEMA_VERSION, SHAPE_LIMITS, type Shape, type StickyShape, type TextShape, NO_LABEL } from '../../shared/schema.ts';
import { createBoard } from '../../client/model/board.ts';
import { createHistory } from '../../client/model/history.ts';
import { createSelection } from '../../client/model/selection.ts';
import { duplicateSelection } from '../../client/tools/actions/duplicate.ts';
import { parseShapes, serializeShapes } from '../../client/model/clipboard-data.ts';
import { mapIndexThroughDelta, type TextDelta } from '../../client/model/text-delta.ts';

const note = (id: string, text: string, index = 'a0'): StickyShape => ({ ...DEFAULT_STYLE, id, type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, rotation: 0, index, locked: false, text, width: 200, height: 200 });
const label = (id: string, text: string, index = 'a1'): TextShape => ({ ...DEFAULT_STYLE, id, type: 'text', x: 0, y: 0, rotation: 0, index, locked: false, text, width: 0 });

/** Exchanges what each doc lacks, as the provider would. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE_ORIGIN);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE_ORIGIN);
}

/** A shape written the way schema version 1 (or a bot) wrote it: every field plain, text a string. */
function writeLegacy(doc: Y.Doc, shape: Shape): void {
  const entry = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(shape)) if (key !== 'id') entry.set(key, value);
  getShapesMap(doc).set(shape.id, entry);
}

/** Makes `text` read `next` at once, the way typing one keystroke does. */
function type(doc: Y.Doc, id: string, next: string, caret?: number): void {
  doc.transact(() => setShapeText(doc, id, next, caret), LOCAL_ORIGIN);
}

describe('text in the document', () => {
  test('text and notes are written as a Y.Text and read back as strings, here and on another doc', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      writeShape(doc, note('n', 'a note'));
      writeShape(doc, label('t', 'a label'));
    }, LOCAL_ORIGIN);
    assert.ok(getShapesMap(doc).get('n')?.get('text') instanceof Y.Text);
    assert.ok(shapeText(doc, 't') instanceof Y.Text);
    assert.deepEqual(readAllShapes(doc), [note('n', 'a note'), label('t', 'a label')]);
    const other = new Y.Doc();
    sync(doc, other);
    assert.deepEqual(readAllShapes(other), readAllShapes(doc));
    assert.equal(shapeText(other, 'n')?.toString(), 'a note');
  });

  test('a plain string text (an older board, a bot) is still read; typing into it makes it a Y.Text', () => {
    const doc = new Y.Doc();
    doc.transact(() => writeLegacy(doc, note('n', 'from a bot')), LOCAL_ORIGIN);
    assert.deepEqual(readShapeFromDoc(doc, 'n'), { ok: true, shape: note('n', 'from a bot') });
    assert.equal(shapeText(doc, 'n'), null, 'no Y.Text until migrated or typed into');
    type(doc, 'n', 'from a bot!');
    assert.equal(shapeText(doc, 'n')?.toString(), 'from a bot!');
    // A bot writing a string later over a Y.Text is read too.
    doc.transact(() => getShapesMap(doc).get('n')!.set('text', 'bot again'), LOCAL_ORIGIN);
    assert.equal((readShapeFromDoc(doc, 'n') as { shape: StickyShape }).shape.text, 'bot again');
  });

  test('texts merged past the length limit are cut, not refused (the note must not vanish)', () => {
    const doc = new Y.Doc();
    doc.transact(() => writeShape(doc, note('n', 'x'.repeat(SHAPE_LIMITS.maxTextLength))), LOCAL_ORIGIN);
    doc.transact(() => shapeText(doc, 'n')!.insert(0, 'more'), REMOTE_ORIGIN);
    const read = readShapeFromDoc(doc, 'n');
    assert.ok(read.ok && read.shape.type === 'sticky');
    assert.equal(read.shape.text.length, SHAPE_LIMITS.maxTextLength);
  });

  test('updateShape edits a text in place, so a concurrent edit elsewhere in it survives', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.transact(() => writeShape(a, note('n', 'middle')), LOCAL_ORIGIN);
    sync(a, b);
    const fromA: Partial<StickyShape> = { text: 'the middle' };
    const fromB: Partial<StickyShape> = { text: 'middle part', x: 5 };
    a.transact(() => updateShape(a, 'n', fromA), LOCAL_ORIGIN);
    b.transact(() => updateShape(b, 'n', fromB), LOCAL_ORIGIN);
    sync(a, b);
    for (const doc of [a, b]) assert.equal(shapeText(doc, 'n')?.toString(), 'the middle part');
  });
});

describe('migration to schema version 2', () => {
  test('string texts become Y.Texts in one migration transaction; the version goes up; nothing to undo', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      getMetaMap(doc).set('schemaVersion', 1);
      writeLegacy(doc, note('n', 'old note'));
      writeLegacy(doc, label('t', 'old label'));
      writeLegacy(doc, { ...DEFAULT_STYLE, id: 'r', type: 'rect', ...NO_LABEL, x: 0, y: 0, rotation: 0, index: 'a2', locked: false, width: 1, height: 1 });
    }, REMOTE_ORIGIN);
    const before = readAllShapes(doc);
    const history = createHistory(doc);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    assert.equal(migrateStringTexts(doc), 2);
    assert.deepEqual(origins, [MIGRATION_ORIGIN], 'one transaction');
    assert.ok(shapeText(doc, 'n') instanceof Y.Text && shapeText(doc, 't') instanceof Y.Text);
    assert.equal(readSchemaVersion(doc), SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION, 3);
    assert.deepEqual(readAllShapes(doc), before, 'the board reads the same');
    assert.equal(history.canUndo, false, 'a migration is not the user’s to undo');
    assert.equal(migrateStringTexts(doc), 0);
    assert.equal(origins.length, 1, 'a migrated board is left alone');
    history.close();
  });

  test('a migration reaches another client, and typing after it merges', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.transact(() => writeLegacy(a, note('n', 'hello')), REMOTE_ORIGIN);
    sync(a, b);
    migrateStringTexts(a);
    sync(a, b);
    assert.ok(shapeText(b, 'n') instanceof Y.Text);
    type(a, 'n', 'hello A', 7);
    type(b, 'n', 'B hello', 1);
    sync(a, b);
    for (const doc of [a, b]) assert.equal(shapeText(doc, 'n')?.toString(), 'B hello A');
  });

  test('a new board gets the current version; a board of a newer version is not lowered', () => {
    const doc = new Y.Doc();
    doc.transact(() => ensureMeta(doc), LOCAL_ORIGIN);
    assert.equal(readSchemaVersion(doc), SCHEMA_VERSION);
    doc.transact(() => getMetaMap(doc).set('schemaVersion', SCHEMA_VERSION + 1), REMOTE_ORIGIN);
    assert.equal(migrateStringTexts(doc), 0);
    assert.equal(readSchemaVersion(doc), SCHEMA_VERSION + 1);
  });
});

describe('minimal text edits', () => {
  test('textDiff keeps the common prefix and suffix, and puts the edit at the caret', () => {
    assert.deepEqual(textDiff('hello world', 'hello, world'), { index: 5, remove: 0, insert: ',' });
    assert.deepEqual(textDiff('hello world', 'hello'), { index: 5, remove: 6, insert: '' });
    assert.deepEqual(textDiff('abc', 'axc'), { index: 1, remove: 1, insert: 'x' });
    assert.deepEqual(textDiff('', 'new'), { index: 0, remove: 0, insert: 'new' });
    // "a" typed between two a's: without the caret the diff cannot tell where it went.
    assert.deepEqual(textDiff('aa', 'aaa'), { index: 2, remove: 0, insert: 'a' });
    assert.deepEqual(textDiff('aa', 'aaa', 2), { index: 1, remove: 0, insert: 'a' });
    assert.deepEqual(textDiff('aa', 'aaa', 1), { index: 0, remove: 0, insert: 'a' });
    assert.deepEqual(textDiff('aab', 'ab', 1), { index: 1, remove: 1, insert: '' }, 'backspace after the second a');
    // A surrogate pair is never cut in two.
    assert.deepEqual(textDiff('x😀', 'x😃'), { index: 1, remove: 2, insert: '😃' });
    assert.deepEqual(textDiff('😀y', '😃y'), { index: 0, remove: 2, insert: '😃' });
  });

  test('two people typing into one note at once both keep every character', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.transact(() => writeShape(a, note('n', 'shared note')), LOCAL_ORIGIN);
    sync(a, b);
    // Each types keystroke by keystroke, A at the start, B at the end, syncing only now and then.
    let textA = 'shared note';
    let textB = 'shared note';
    for (let i = 0; i < 5; i++) {
      textA = `${textA.slice(0, i)}${'AAAAA'[i]}${textA.slice(i)}`;
      type(a, 'n', textA, i + 1);
      textB += 'B';
      type(b, 'n', textB, textB.length);
      if (i % 2 === 1) {
        sync(a, b);
        textA = shapeText(a, 'n')!.toString();
        textB = shapeText(b, 'n')!.toString();
      }
    }
    sync(a, b);
    for (const doc of [a, b]) assert.equal(shapeText(doc, 'n')?.toString(), 'AAAAAshared noteBBBBB');
  });

  test('each keystroke is the smallest edit: replacing the whole text would duplicate it when both type at once', () => {
    const run = (write: (text: Y.Text, next: string) => void): string => {
      const a = new Y.Doc();
      const b = new Y.Doc();
      a.transact(() => writeShape(a, note('n', 'x')), LOCAL_ORIGIN);
      sync(a, b);
      a.transact(() => write(shapeText(a, 'n')!, 'Ax'), LOCAL_ORIGIN);
      b.transact(() => write(shapeText(b, 'n')!, 'xB'), LOCAL_ORIGIN);
      sync(a, b);
      assert.equal(shapeText(a, 'n')?.toString(), shapeText(b, 'n')?.toString());
      return shapeText(a, 'n')!.toString();
    };
    assert.equal(run((text, next) => applyTextDiff(text, next)), 'AxB');
    const whole = run((text, next) => {
      text.delete(0, text.length);
      text.insert(0, next);
    });
    assert.equal(whole.length, 4, `replacing whole texts gives ${whole}`);
  });
});

describe('copies get a text of their own', () => {
  test('duplicate, paste and import write a fresh Y.Text; typing into the copy leaves the original', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const selection = createSelection(board);
    board.addShape({ ...DEFAULT_STYLE, id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, rotation: 0, locked: false, text: 'original', width: 200, height: 200 });
    selection.set(['n']);
    duplicateSelection({ board, selection });
    const [duplicate] = [...selection.ids()];
    const pasted = parseShapes(serializeShapes([board.get('n')!]))!.map((shape) => ({ ...shape, id: 'pasted', index: 'a5' }));
    board.importShapes(pasted);
    const copies = [duplicate!, 'pasted'];
    for (const id of copies) {
      assert.ok(shapeText(doc, id) instanceof Y.Text, id);
      assert.notEqual(shapeText(doc, id), shapeText(doc, 'n'), id);
      board.updateShapes(new Map([[id, { text: `${id} changed` }]]));
    }
    assert.equal((board.get('n') as StickyShape).text, 'original');
    for (const id of copies) assert.equal((board.get(id) as StickyShape).text, `${id} changed`);
    selection.close();
    board.close();
  });
});

describe('text anchors', () => {
  test('an anchor stays next to its character through edits, and resolves on another doc once it has the text', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.transact(() => writeShape(a, note('n', 'hello world')), LOCAL_ORIGIN);
    sync(a, b);
    type(a, 'n', 'hello big world', 10);
    const anchor = textAnchor(a, 'n', 7)!; // the "i" A just typed
    const end = textAnchor(a, 'n', 15)!;
    assert.ok(anchor && end);
    const json = JSON.parse(JSON.stringify(anchor));
    assert.equal(textAnchorIndex(b, 'n', json), null, 'B has not got the character yet');
    sync(a, b);
    assert.equal(textAnchorIndex(b, 'n', json), 7);
    type(b, 'n', 'oh hello big world', 3);
    assert.equal(textAnchorIndex(b, 'n', json), 10, 'typing before it moves it along');
    assert.equal(textAnchorIndex(b, 'n', end), 18, 'the end stays the end');
    assert.equal(textAnchorIndex(b, 'other', json), null);
    a.transact(() => writeShape(a, note('m', 'another')), LOCAL_ORIGIN);
    sync(a, b);
    assert.equal(textAnchorIndex(b, 'm', json), null, 'an anchor in another text is not this one');
  });

  test('a caret maps through a remote change: kept before text typed at it, moved by text before it', () => {
    const doc = new Y.Doc();
    doc.transact(() => writeShape(doc, note('n', 'abcdef')), LOCAL_ORIGIN);
    const text = shapeText(doc, 'n')!;
    const deltas: TextDelta[] = [];
    text.observe((event) => deltas.push(event.delta as TextDelta));
    doc.transact(() => text.insert(1, 'XY'), REMOTE_ORIGIN);
    assert.deepEqual([0, 1, 2, 6].map((i) => mapIndexThroughDelta(deltas[0]!, i)), [0, 1, 4, 8]);
    doc.transact(() => text.delete(2, 3), REMOTE_ORIGIN); // aXYbcdef → aXcdef... removes "Ybc"
    assert.deepEqual([1, 2, 3, 4, 5, 8].map((i) => mapIndexThroughDelta(deltas[1]!, i)), [1, 2, 2, 2, 2, 5]);
  });
});
