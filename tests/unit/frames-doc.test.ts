/**
 * Frames and groups in the document: the gate's part (fields read and repaired) and the board's
 * (children stored from their frame's origin, read in board coordinates, moved and deleted with
 * their frame), including what two users do at once to one frame, merged through real Y.Docs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { getShapesMap, readAllShapes } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, readShape, type Shape } from '../../shared/schema.ts';
import { createBoard, type Board, type BoardChange, type NewShape } from '../../client/model/board.ts';
import { createHistory } from '../../client/model/history.ts';

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false };
const frame = (id: string, x: number, y: number, extra: Partial<NewShape> = {}): NewShape => ({ ...base, id, type: 'frame', x, y, width: 400, height: 300, name: id, ...extra }) as NewShape;
const rect = (id: string, x: number, y: number, extra: Partial<NewShape> = {}): NewShape => ({ ...base, id, type: 'rect', x, y, width: 50, height: 40, ...extra }) as NewShape;

/** What is stored for a shape, as plain values. */
const stored = (doc: Y.Doc, id: string): Record<string, unknown> => (getShapesMap(doc).get(id) as Y.Map<unknown>).toJSON();
const at = (board: Board, id: string): [number, number] | undefined => {
  const shape = board.get(id);
  return shape === undefined ? undefined : [shape.x, shape.y];
};

/** Two docs that exchange updates only when told, as two clients behind a server do. */
function pair(): { a: Y.Doc; b: Y.Doc; sync: () => void } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = (): void => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE_ORIGIN);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE_ORIGIN);
  };
  return { a, b, sync };
}

describe('frame and group fields through the gate', () => {
  const record = (extra: Record<string, unknown>): Record<string, unknown> => ({ type: 'rect', x: 0, y: 0, width: 1, height: 1, index: 'a0', ...extra });

  test('a frame is upright and in no frame or group, whatever its record says', () => {
    const result = readShape('f', { type: 'frame', x: 1, y: 2, width: 30, height: 40, name: 'Plan', rotation: 45, frameId: 'g', groupIds: ['x'], index: 'a0' });
    assert.ok(result.ok);
    assert.deepEqual([result.shape.rotation, result.shape.frameId, result.shape.groupIds, result.shape.type === 'frame' && result.shape.name], [0, undefined, undefined, 'Plan']);
  });

  test('a broken frame title is repaired, not a reason to drop the frame', () => {
    const result = readShape('f', { type: 'frame', x: 0, y: 0, width: 30, height: 40, name: { evil: true }, index: 'a0' });
    assert.ok(result.ok && result.shape.type === 'frame' && result.shape.name === '');
    const long = readShape('f', { type: 'frame', x: 0, y: 0, width: 30, height: 40, name: 'x'.repeat(1000), index: 'a0' });
    assert.ok(long.ok && long.shape.type === 'frame' && long.shape.name.length === 200);
  });

  test('frameId: an id or nothing, never the shape itself', () => {
    const read = (frameId: unknown): unknown => {
      const result = readShape('s', record({ frameId }));
      assert.ok(result.ok);
      return result.shape.frameId;
    };
    assert.equal(read('f1'), 'f1');
    for (const bad of [null, '', 's', 42, 'bad id!', 'x'.repeat(65), ['f1']]) assert.equal(read(bad), undefined, `frameId ${JSON.stringify(bad)}`);
  });

  test('groupIds: ids kept in order, junk and repeats dropped, depth capped, none is absent', () => {
    const read = (groupIds: unknown): unknown => {
      const result = readShape('s', record({ groupIds }));
      assert.ok(result.ok);
      return result.shape.groupIds;
    };
    assert.deepEqual(read(['g1', 'g2']), ['g1', 'g2']);
    assert.deepEqual(read(['g1', 7, null, 'g1', 'no way', 'g2']), ['g1', 'g2']);
    assert.equal((read(Array.from({ length: 50 }, (_, i) => `g${i}`)) as string[]).length, 32);
    for (const none of [[], null, 'g1', {}]) assert.equal(read(none), undefined);
  });
});

describe('frames on the board', () => {
  test('a child is stored from its frame’s origin and read on the board; moving the frame moves it', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    board.addShape(frame('f', 100, 100));
    board.addShape(rect('c', 150, 160, { frameId: 'f' }));
    assert.deepEqual([stored(doc, 'c').x, stored(doc, 'c').y], [50, 60]);
    assert.deepEqual(at(board, 'c'), [150, 160]);
    const changes: BoardChange[] = [];
    board.onChange((change) => changes.push(change));
    board.moveShapes(['f'], 10, 20);
    assert.deepEqual(at(board, 'c'), [160, 180]);
    assert.deepEqual([stored(doc, 'c').x, stored(doc, 'c').y], [50, 60], 'moving a frame is one write: its own');
    assert.deepEqual([...changes[0]!.ids].sort(), ['c', 'f'], 'the child is re-read and reported');
    assert.deepEqual(readAllShapes(doc).map((s) => [s.id, s.x, s.y]), [['f', 110, 120], ['c', 160, 180]]);
    board.close();
  });

  test('a frame moved with its children selected moves them once', () => {
    const board = createBoard(new Y.Doc());
    board.addShape(frame('f', 0, 0));
    board.addShape(rect('c', 10, 10, { frameId: 'f' }));
    board.addShape(rect('d', 500, 500));
    board.moveShapes(['c', 'f', 'd'], 5, 5);
    assert.deepEqual([at(board, 'f'), at(board, 'c'), at(board, 'd')], [[5, 5], [15, 15], [505, 505]]);
    // The same as patches in board coordinates, the child first: the frame is written first.
    board.updateShapes(new Map([['c', { x: 25, y: 25 }], ['f', { x: 15, y: 15 }]]));
    assert.deepEqual([at(board, 'f'), at(board, 'c')], [[15, 15], [25, 25]]);
    board.close();
  });

  test('entering, leaving and changing frames keeps a shape where it is on the board', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    board.addShape(frame('f', 100, 0));
    board.addShape(frame('g', 600, 0));
    board.addShape(rect('s', 120, 30));
    board.updateShapes(new Map([['s', { frameId: 'f' }]]));
    assert.deepEqual([board.get('s')?.frameId, at(board, 's'), stored(doc, 's').x], ['f', [120, 30], 20]);
    board.updateShapes(new Map([['s', { frameId: 'g', x: 650 }]]));
    assert.deepEqual([board.get('s')?.frameId, at(board, 's'), stored(doc, 's').x], ['g', [650, 30], 50]);
    board.updateShapes(new Map([['s', { frameId: null }]]));
    assert.deepEqual([board.get('s')?.frameId, at(board, 's'), stored(doc, 's').x], [undefined, [650, 30], 650]);
    assert.ok(!('frameId' in board.get('s')!), 'no frame is no field, not an empty one');
    board.close();
  });

  test('deleting a frame deletes its children in one undo step, and undo brings them back in place', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const history = createHistory(doc);
    board.addShape(frame('f', 100, 100));
    board.addShape(rect('c1', 120, 120, { frameId: 'f' }));
    board.addShape(rect('c2', 200, 200, { frameId: 'f' }));
    board.addShape(rect('out', 0, 0));
    board.deleteShapes(['f']);
    assert.deepEqual(board.ordered().map((s) => s.id), ['out']);
    assert.ok(history.undo());
    assert.deepEqual(board.ordered().map((s) => [s.id, s.x, s.y]), [['f', 100, 100], ['c1', 120, 120], ['c2', 200, 200], ['out', 0, 0]]);
    history.close();
    board.close();
  });

  test('one user moves a frame while another draws into it: the drawing moves with the frame on both', () => {
    const { a, b, sync } = pair();
    const boardA = createBoard(a);
    const boardB = createBoard(b);
    boardA.addShape(frame('f', 0, 0));
    sync();
    boardA.moveShapes(['f'], 300, 0);
    boardB.addShape(rect('drawn', 40, 50, { frameId: 'f' }));
    sync();
    for (const board of [boardA, boardB]) {
      assert.deepEqual(at(board, 'drawn'), [340, 50]);
      assert.equal(board.get('drawn')?.frameId, 'f');
    }
    assert.deepEqual(readAllShapes(a), readAllShapes(b));
    boardA.close();
    boardB.close();
  });

  test('two users drag one shape into two frames at once: one frame wins everywhere', () => {
    const { a, b, sync } = pair();
    const boardA = createBoard(a);
    const boardB = createBoard(b);
    boardA.addShape(frame('f', 0, 0));
    boardA.addShape(frame('g', 1000, 0));
    boardA.addShape(rect('s', 500, 500));
    sync();
    boardA.updateShapes(new Map([['s', { frameId: 'f', x: 20, y: 20 }]]));
    boardB.updateShapes(new Map([['s', { frameId: 'g', x: 1020, y: 30 }]]));
    sync();
    const [sa, sb] = [boardA.get('s')!, boardB.get('s')!];
    assert.deepEqual(sa, sb);
    assert.ok(sa.frameId === 'f' || sa.frameId === 'g');
    boardA.close();
    boardB.close();
  });

  test('a frame deleted while someone draws into it: the drawing stays, in no frame, the same on both', () => {
    const { a, b, sync } = pair();
    const boardA = createBoard(a);
    const boardB = createBoard(b);
    boardA.addShape(frame('f', 100, 100));
    sync();
    boardA.deleteShapes(['f']);
    boardB.addShape(rect('late', 150, 150, { frameId: 'f' }));
    sync();
    for (const board of [boardA, boardB]) {
      assert.deepEqual(board.ordered().map((s) => [s.id, s.frameId, s.x, s.y]), [['late', undefined, 50, 50]]);
    }
    boardA.close();
    boardB.close();
  });

  test('an import writes frames before their children, wherever they are in the file', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const shapes = [
      { ...rect('c', 130, 140, { frameId: 'f' }), index: 'a1' },
      { ...frame('f', 100, 100), index: 'a0' },
    ] as Shape[];
    board.importShapes(shapes);
    assert.deepEqual([at(board, 'c'), stored(doc, 'c').x], [[130, 140], 30]);
    board.close();
  });
});
