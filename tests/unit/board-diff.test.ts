/**
 * shared/board-diff.ts on real Y.Docs: what differs between two boards, and a restore that makes a
 * document equal to a board file as a forward edit (identical shapes untouched, frames' children
 * in place, texts restored), including a restore made while two other documents edit: all three
 * converge on the restored board plus those edits.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { diffBoards, restoreBoard } from '../../shared/board-diff.ts';
import type { BoardFileData } from '../../shared/board-file.ts';
import { getShapesMap, indicesBetween, readAllShapes, readBoardTitle, setShapeText, updateShape, writeBoardTitle, writeShape, deleteShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN, REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, readShape, type Shape } from '../../shared/schema.ts';
import { seededRandom } from '../helpers/client.ts';

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false };

/** A shape through the gate, so its fields are exactly what a document reads back. */
function shape(id: string, index: string, fields: Record<string, unknown>): Shape {
  const read = readShape(id, { ...base, index, ...fields });
  assert.ok(read.ok, read.ok ? '' : read.problem.reason);
  return read.shape;
}
const rect = (id: string, index: string, x: number, y: number, extra: Record<string, unknown> = {}): Shape => shape(id, index, { type: 'rect', x, y, width: 50, height: 40, ...extra });
const frame = (id: string, index: string, x: number, y: number): Shape => shape(id, index, { type: 'frame', x, y, width: 400, height: 300, name: id });
const note = (id: string, index: string, text: string, extra: Record<string, unknown> = {}): Shape => shape(id, index, { type: 'sticky', x: 0, y: 0, width: 200, height: 200, text, ...extra });

/** A doc holding `shapes` (frames first, as an import writes them) and `title`. */
function docWith(shapes: readonly Shape[], title = ''): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const s of [...shapes.filter((s) => s.type === 'frame'), ...shapes.filter((s) => s.type !== 'frame')]) writeShape(doc, s);
    writeBoardTitle(doc, title);
  }, LOCAL_ORIGIN);
  return doc;
}

const restore = (doc: Y.Doc, target: BoardFileData): void => doc.transact(() => void restoreBoard(doc, target), LOCAL_ORIGIN);

/** Sends each doc what the other lacks, as the provider does (remote origin on arrival). */
function exchange(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), REMOTE_ORIGIN);
}

const sorted = (shapes: readonly Shape[]): Shape[] => [...shapes].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('diffBoards', () => {
  test('tells added, removed and changed ids apart; equal shapes are in none', () => {
    const before = [rect('same', 'a0', 0, 0), rect('moved', 'a1', 0, 0), rect('gone', 'a2', 0, 0), note('typed', 'a3', 'hello')];
    const after = [rect('same', 'a0', 0, 0), rect('moved', 'a1', 5, 0), note('typed', 'a3', 'hello!'), rect('new', 'a4', 0, 0)];
    const diff = diffBoards(before, after);
    assert.deepEqual([...diff.added], ['new']);
    assert.deepEqual([...diff.removed], ['gone']);
    assert.deepEqual([...diff.changed].sort(), ['moved', 'typed']);
  });

  test('any field counts: style, z-order, groups, frame, points by content', () => {
    const ink = (id: string, points: number[]) => shape(id, 'a0', { type: 'ink', x: 0, y: 0, points });
    const before = [rect('r1', 'a0', 0, 0), rect('r2', 'a1', 0, 0), rect('r3', 'a2', 0, 0), rect('r4', 'a3', 0, 0), ink('i1', [0, 0, 0.5, 10, 10, 0.5]), ink('i2', [0, 0, 0.5, 10, 10, 0.5])];
    const after = [
      rect('r1', 'a0', 0, 0, { strokeColor: '#e03131' }),
      rect('r2', 'a5', 0, 0),
      rect('r3', 'a2', 0, 0, { groupIds: ['g1'] }),
      rect('r4', 'a3', 0, 0, { frameId: 'f1' }),
      ink('i1', [0, 0, 0.5, 10, 10, 0.5]),
      ink('i2', [0, 0, 0.5, 10, 11, 0.5]),
    ];
    const diff = diffBoards(before, after);
    assert.deepEqual([...diff.changed].sort(), ['i2', 'r1', 'r2', 'r3', 'r4'], 'an equal stroke in a new array is not a change');
    assert.equal(diff.added.size + diff.removed.size, 0);
  });
});

describe('restoreBoard', () => {
  test('the document then reads exactly as the target, title included', () => {
    const target: BoardFileData = { title: 'Plan', shapes: [rect('keep', 'a0', 0, 0), rect('back', 'a1', 10, 10), note('n', 'a2', 'old words')] };
    const doc = docWith(target.shapes, 'Plan');
    doc.transact(() => {
      deleteShape(doc, 'back');
      updateShape(doc, 'keep', { x: 300, strokeColor: '#e03131' });
      setShapeText(doc, 'n', 'new words here');
      writeShape(doc, rect('extra', 'a3', 0, 0));
      writeBoardTitle(doc, 'Renamed');
    }, LOCAL_ORIGIN);
    restore(doc, target);
    assert.deepEqual(readAllShapes(doc), target.shapes);
    assert.equal(readBoardTitle(doc), 'Plan');
    // A restore of what is already there writes nothing at all.
    let updates = 0;
    doc.on('update', () => updates++);
    restore(doc, target);
    assert.equal(updates, 0, 'restoring an equal board is no edit');
  });

  test('identical shapes are left untouched: the same Y.Map, a concurrent edit to them survives, the update is small', () => {
    const indices = indicesBetween(null, null, 200);
    const many = indices.map((index, i) => rect(`r${i}`, index, i * 10, 0));
    const target: BoardFileData = { title: '', shapes: many };
    const a = docWith(many);
    const b = new Y.Doc();
    exchange(a, b);
    a.transact(() => updateShape(a, 'r7', { x: 9999 }), LOCAL_ORIGIN);
    const untouched = getShapesMap(a).get('r8');
    // B, not yet hearing of the restore, recolours r8.
    b.transact(() => updateShape(b, 'r8', { strokeColor: '#2f9e44' }), LOCAL_ORIGIN);
    const before = Y.encodeStateVector(a);
    restore(a, target);
    assert.equal(getShapesMap(a).get('r8'), untouched, 'an equal shape keeps its record');
    const update = Y.encodeStateAsUpdate(a, before);
    assert.ok(update.byteLength < 200, `the restore's update carries only the change (${update.byteLength} bytes)`);
    exchange(a, b);
    exchange(b, a);
    for (const doc of [a, b]) {
      const shapes = readAllShapes(doc);
      assert.equal(shapes.find((s) => s.id === 'r7')?.x, 70, 'the moved shape is back');
      assert.equal(shapes.find((s) => s.id === 'r8')?.strokeColor, '#2f9e44', "B's edit to a shape the restore did not touch survives");
    }
  });

  test('frames and groups: children land at their board positions whatever the frames did since', () => {
    const version: BoardFileData = {
      title: '',
      shapes: [frame('f1', 'a0', 100, 100), frame('f2', 'a1', 800, 100), rect('c1', 'a2', 150, 150, { frameId: 'f1', groupIds: ['g1'] }), rect('c2', 'a3', 200, 200, { frameId: 'f1', groupIds: ['g1'] }), rect('c3', 'a4', 850, 150, { frameId: 'f2' }), rect('loose', 'a5', 0, 0)],
    };
    const doc = docWith(version.shapes);
    doc.transact(() => {
      // f1 moves (its children with it); c2 then is dragged back to its old board place, so it is
      // equal in board coordinates but stored from the moved frame.
      updateShape(doc, 'f1', { x: 400, y: 400 });
      updateShape(doc, 'c2', { x: 200, y: 200 });
      // f2 is deleted with c3; c1 leaves its group; loose goes into f1.
      deleteShape(doc, 'f2');
      deleteShape(doc, 'c3');
      updateShape(doc, 'c1', { groupIds: null });
      updateShape(doc, 'loose', { frameId: 'f1' });
    }, LOCAL_ORIGIN);
    assert.equal(readAllShapes(doc).find((s) => s.id === 'c2')?.x, 200);
    restore(doc, version);
    assert.deepEqual(sorted(readAllShapes(doc)), sorted(version.shapes));
  });

  test('a frameId naming no frame of the target is read as none, and the restore is done in one pass', () => {
    const orphan = rect('o', 'a0', 30, 40, { frameId: 'nowhere' });
    const doc = docWith([rect('x', 'a1', 0, 0)]);
    restore(doc, { title: '', shapes: [orphan] });
    const { frameId: _none, ...read } = orphan;
    assert.deepEqual(readAllShapes(doc), [read]);
    let updates = 0;
    doc.on('update', () => updates++);
    restore(doc, { title: '', shapes: [orphan] });
    assert.equal(updates, 0);
  });

  test('texts are restored character by character into the same Y.Text, so typing meanwhile merges', () => {
    const version: BoardFileData = { title: '', shapes: [note('n', 'a0', 'The quick fox'), shape('t', 'a1', { type: 'text', x: 0, y: 0, width: 0, text: 'Title' })] };
    const a = docWith(version.shapes);
    a.transact(() => {
      setShapeText(a, 'n', 'The slow fox');
      setShapeText(a, 't', 'Heading');
    }, LOCAL_ORIGIN);
    const b = new Y.Doc();
    exchange(a, b);
    const text = getShapesMap(a).get('n')?.get('text');
    assert.ok(text instanceof Y.Text);
    // B types at the end of the note while A restores.
    b.transact(() => setShapeText(b, 'n', 'The slow fox jumps'), LOCAL_ORIGIN);
    restore(a, version);
    assert.equal(getShapesMap(a).get('n')?.get('text'), text, 'the same Y.Text, edited');
    assert.deepEqual(readAllShapes(a), version.shapes);
    exchange(a, b);
    exchange(b, a);
    for (const doc of [a, b]) {
      const merged = readAllShapes(doc).find((s) => s.id === 'n');
      assert.equal(merged !== undefined && 'text' in merged ? merged.text : undefined, 'The quick fox jumps', "the restored words and B's typing, both");
    }
  });
});

describe('a restore while two other documents edit', () => {
  for (const seed of [1, 2, 3, 0x5eed]) {
    test(`all three converge on the restored board plus the later edits (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const original = [frame('f', 'a0', 0, 0), rect('r1', 'a1', 10, 10, { frameId: 'f' }), rect('r2', 'a2', 500, 0), note('n', 'a3', 'agenda'), rect('r3', 'a4', 600, 0, { groupIds: ['g'] }), rect('r4', 'a5', 700, 0, { groupIds: ['g'] })];
      const version: BoardFileData = { title: 'Board', shapes: original };
      const a = docWith(original, 'Board');
      const b = new Y.Doc();
      const c = new Y.Doc();
      const docs = [a, b, c];
      exchange(a, b);
      exchange(a, c);
      // Since the version: r2 deleted, r1 moved, the note rewritten, a shape added (by B).
      b.transact(() => {
        deleteShape(b, 'r2');
        updateShape(b, 'r1', { x: 300 });
        setShapeText(b, 'n', 'minutes');
        writeShape(b, rect('since', 'a6', 0, 400));
      }, LOCAL_ORIGIN);
      for (const from of docs) for (const to of docs) if (from !== to) exchange(from, to);

      // Now, all at once: A restores, B recolours r3 (equal in the version: untouched by the
      // restore) and adds a shape, C moves r4 (untouched
      // too) and adds a shape.
      restore(a, version);
      b.transact(() => {
        updateShape(b, 'r3', { fillColor: '#ffc9c9' });
        writeShape(b, rect('b-new', 'a7', 900, 900));
      }, LOCAL_ORIGIN);
      c.transact(() => {
        updateShape(c, 'r4', { y: 250 });
        writeShape(c, rect('c-new', 'a8', 950, 950));
      }, LOCAL_ORIGIN);

      // Updates travel in an order the seed picks, then everyone hears everything.
      for (let step = 0; step < 8; step++) {
        const from = docs[Math.floor(random() * 3)]!;
        const to = docs[Math.floor(random() * 3)]!;
        if (from !== to) exchange(from, to);
      }
      for (const from of docs) for (const to of docs) if (from !== to) exchange(from, to);

      const expected = sorted([
        ...original.map((s) => (s.id === 'r3' ? { ...s, fillColor: '#ffc9c9' } : s.id === 'r4' ? { ...s, y: 250 } : s)),
        rect('b-new', 'a7', 900, 900),
        rect('c-new', 'a8', 950, 950),
      ]);
      for (const [name, doc] of [['A', a], ['B', b], ['C', c]] as const) {
        assert.deepEqual(sorted(readAllShapes(doc)), expected, `${name} holds the restored board plus the later edits`);
        assert.equal(readBoardTitle(doc), 'Board');
      }
    });
  }
});
