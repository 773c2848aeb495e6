import { test, describe, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { getShapesMap } from '../../shared/doc.ts';
import { LOCAL_ORIGIN, REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { createBoard, InvalidShapeError, type BoardChange, type NewShape } from '../../client/model/board.ts';
import { createSelection } from '../../client/model/selection.ts';
import { hitShape, shapeBounds } from '../../client/model/geometry.ts';
import { newShapeId } from '../../client/model/ids.ts';

const rect = (id: string, extra: Partial<NewShape> = {}): NewShape =>
  ({ ...DEFAULT_STYLE, id, type: 'rect', x: 0, y: 0, width: 100, height: 50, rotation: 0, locked: false, ...extra }) as NewShape;

/** Writes a raw record the way a buggy or hostile peer could, bypassing the gate. */
function writeRaw(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(fields)) entry.set(key, value);
    getShapesMap(doc).set(id, entry);
  }, REMOTE_ORIGIN);
}

describe('board', () => {
  test('change events name the touched ids and say whether the change was local', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const changes: BoardChange[] = [];
    board.onChange((change) => changes.push(change));
    board.addShape(rect('a'));
    writeRaw(doc, 'b', { type: 'rect', x: 1, y: 2, width: 3, height: 4, index: 'a5' });
    board.moveShapes(['a', 'b'], 5, 5);
    assert.deepEqual(
      changes.map((c) => ({ ids: [...c.ids].sort(), local: c.local, origin: c.origin })),
      [
        { ids: ['a'], local: true, origin: 'local' },
        { ids: ['b'], local: false, origin: 'remote' },
        { ids: ['a', 'b'], local: true, origin: 'local' },
      ],
    );
    assert.deepEqual([board.get('b')?.x, board.get('b')?.y], [6, 7]);
    board.close();
  });

  test('broken records are skipped and warned about once per id, and come back when repaired', () => {
    const warn = mock.method(console, 'warn', () => {});
    try {
      const doc = new Y.Doc();
      const board = createBoard(doc);
      board.addShape(rect('good'));
      writeRaw(doc, 'bad', { type: 'rect', x: 'nope', y: 0, width: 10, height: 10, index: 'a9' });
      writeRaw(doc, 'alien', { type: 'hologram', x: 0, y: 0, index: 'a8' });
      doc.transact(() => (getShapesMap(doc).get('bad') as Y.Map<unknown>).set('width', 20), REMOTE_ORIGIN);
      assert.deepEqual(board.ordered().map((s) => s.id), ['good']);
      assert.equal(board.has('bad'), false);
      assert.equal(warn.mock.callCount(), 2, 'one warning per broken id, not per change');
      assert.match(String(warn.mock.calls[0]?.arguments[0]), /bad.*x is missing/);

      doc.transact(() => (getShapesMap(doc).get('bad') as Y.Map<unknown>).set('x', 5), REMOTE_ORIGIN);
      assert.equal(board.get('bad')?.x, 5, 'a repaired record is shown again');
      board.close();
    } finally {
      warn.mock.restore();
    }
  });

  test('addShape refuses an invalid shape with a named error and writes nothing', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    assert.throws(() => board.addShape(rect('x', { width: -5 })), (error: unknown) => error instanceof InvalidShapeError && error.code === 'invalid-shape');
    assert.throws(() => board.addShape(rect('not an id')), InvalidShapeError);
    assert.equal(getShapesMap(doc).size, 0);
    board.close();
  });

  test('new shapes stack above everything, even above a record with a malformed index', () => {
    const warn = mock.method(console, 'warn', () => {});
    try {
      const doc = new Y.Doc();
      const board = createBoard(doc);
      const first = board.addShape(rect('a'));
      writeRaw(doc, 'broken', { type: 'rect', x: 0, y: 0, width: 1, height: 1, index: 'zzzz' });
      const second = board.addShape(rect('b'));
      assert.ok(second.index > first.index);
      assert.deepEqual(board.ordered().map((s) => s.id), ['a', 'b']);
      board.close();
    } finally {
      warn.mock.restore();
    }
  });

  test('batch makes several commands one transaction', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tx: Y.Transaction) => origins.push(tx.origin));
    board.batch(() => {
      board.addShape(rect('a'));
      board.addShape(rect('b'));
      board.moveShapes(['a'], 10, 0);
    });
    assert.deepEqual(origins, [LOCAL_ORIGIN]);
    assert.equal(board.get('a')?.x, 10);
    board.close();
  });

  test('move and delete skip shapes that are gone or locked', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    board.addShape(rect('free'));
    board.addShape(rect('locked', { locked: true }));
    board.moveShapes(['free', 'locked', 'missing'], 1, 1);
    assert.deepEqual([board.get('free')?.x, board.get('locked')?.x], [1, 0]);
    board.deleteShapes(['missing']);
    assert.equal(board.size, 2);
    board.close();
  });

  test('close stops following the doc', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    let calls = 0;
    board.onChange(() => calls++);
    board.close();
    writeRaw(doc, 'a', { type: 'rect', x: 0, y: 0, width: 1, height: 1, index: 'a0' });
    assert.equal(calls, 0);
  });
});

describe('selection', () => {
  test('drops shapes deleted by someone else and ignores ids not on the board', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const selection = createSelection(board);
    board.addShape(rect('a'));
    board.addShape(rect('b'));
    selection.set(['a', 'b', 'ghost']);
    assert.deepEqual([...selection.ids()].sort(), ['a', 'b']);
    const seen: string[][] = [];
    selection.onChange((ids) => seen.push([...ids]));
    doc.transact(() => getShapesMap(doc).delete('a'), REMOTE_ORIGIN);
    assert.deepEqual(seen, [['b']]);
    selection.close();
    board.close();
  });
});

describe('geometry', () => {
  const base = { ...DEFAULT_STYLE, id: 'g', rotation: 0, locked: false, index: 'a0' };

  test('an ellipse is not hit in the corners of its box', () => {
    const ellipse: Shape = { ...base, type: 'ellipse', ...NO_LABEL, x: 0, y: 0, width: 100, height: 100 };
    assert.equal(hitShape(ellipse, { x: 50, y: 50 }, 0), true);
    assert.equal(hitShape(ellipse, { x: 3, y: 3 }, 0), false);
  });

  test('rotation turns the hit area and the bounds about the origin', () => {
    const bar: Shape = { ...base, type: 'rect', ...NO_LABEL, x: 0, y: 0, width: 100, height: 10, rotation: 90, strokeWidth: 0 };
    assert.equal(hitShape(bar, { x: 50, y: 5 }, 0), false, 'where it was before rotating');
    assert.equal(hitShape(bar, { x: -5, y: 50 }, 0), true, 'rotated 90° clockwise about (0, 0)');
    const bounds = shapeBounds(bar);
    assert.deepEqual([Math.round(bounds.x), Math.round(bounds.y), Math.round(bounds.width), Math.round(bounds.height)], [-10, 0, 10, 100]);
  });

  test('shape ids are valid for the schema', () => {
    for (let i = 0; i < 20; i++) assert.match(newShapeId(), /^[A-Za-z0-9_-]{1,64}$/);
  });
});
