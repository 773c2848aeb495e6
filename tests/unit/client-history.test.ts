import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DEFAULT_STYLE, NO_LABEL } from '../../shared/schema.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { createBoard, type Board } from '../../client/model/board.ts';
import { createHistory } from '../../client/model/history.ts';
import { createCamera } from '../../client/model/camera.ts';

function addRect(board: Board, id: string, x = 0, y = 0) {
  return board.addShape({ ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x, y, width: 100, height: 80, rotation: 0, locked: false });
}

/** Two users on two docs, synced by hand the way the provider would (remote origin on arrival). */
function twoUsers() {
  const docA = new Y.Doc();
  const docB = new Y.Doc();
  const sync = (): void => {
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB)), REMOTE_ORIGIN);
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA)), REMOTE_ORIGIN);
  };
  const a = { board: createBoard(docA), history: createHistory(docA) };
  const b = { board: createBoard(docB), history: createHistory(docB) };
  return { a, b, sync };
}

describe('undo history', () => {
  test('each command is one undo step, even when commands follow each other at once', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const history = createHistory(doc);
    addRect(board, 'r1');
    board.moveShapes(['r1'], 10, 5);
    addRect(board, 'r2', 200);
    assert.equal(board.size, 2);
    assert.ok(history.undo());
    assert.equal(board.has('r2'), false, 'the last add is undone alone');
    assert.equal(board.get('r1')?.x, 10);
    assert.ok(history.undo());
    assert.equal(board.get('r1')?.x, 0, 'then the move');
    assert.ok(history.undo());
    assert.equal(board.size, 0);
    assert.equal(history.undo(), false, 'nothing left to undo');
    assert.ok(history.redo());
    assert.ok(history.redo());
    assert.ok(history.redo());
    assert.deepEqual([board.size, board.get('r1')?.x], [2, 10]);
    history.close();
    board.close();
  });

  test('a batch is one step', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const history = createHistory(doc);
    board.batch(() => {
      addRect(board, 'a');
      addRect(board, 'b');
    });
    history.undo();
    assert.equal(board.size, 0);
    history.close();
  });

  test('per user: A draws, B draws, A undoes → only A’s shape goes, on both sides', () => {
    const { a, b, sync } = twoUsers();
    addRect(a.board, 'fromA');
    sync();
    addRect(b.board, 'fromB', 300);
    sync();
    assert.equal(a.history.canUndo, true);
    assert.ok(a.history.undo());
    sync();
    for (const board of [a.board, b.board]) assert.deepEqual(board.ordered().map((s) => s.id), ['fromB']);
    assert.equal(b.history.canUndo, true, 'B keeps its own step');
    assert.ok(b.history.undo());
    sync();
    assert.equal(a.board.size + b.board.size, 0);
    assert.ok(a.history.redo());
    sync();
    assert.deepEqual(b.board.ordered().map((s) => s.id), ['fromA']);
  });

  test('remote edits never enter the history; undo keeps a remote change to another field', () => {
    const { a, b, sync } = twoUsers();
    addRect(a.board, 'r');
    sync();
    a.board.moveShapes(['r'], 50, 0);
    b.board.updateShapes(new Map([['r', { strokeColor: '#e03131' }]]));
    sync();
    assert.equal(b.history.canUndo, true);
    a.history.undo();
    sync();
    assert.deepEqual([a.board.get('r')?.x, a.board.get('r')?.strokeColor], [0, '#e03131']);
    const changes: boolean[] = [];
    a.history.onChange((state) => changes.push(state.canRedo));
    a.history.redo();
    assert.deepEqual(changes.at(-1), false);
  });
});

describe('camera', () => {
  test('zoom keeps the board point under the pointer still, and is clamped', () => {
    const camera = createCamera();
    camera.panBy(100, 50);
    const at = { x: 400, y: 300 };
    const before = { x: (at.x - camera.viewport().x) / camera.viewport().scale, y: (at.y - camera.viewport().y) / camera.viewport().scale };
    camera.zoomAt(at, 2);
    const v = camera.viewport();
    assert.equal(v.scale, 2);
    assert.deepEqual({ x: (at.x - v.x) / v.scale, y: (at.y - v.y) / v.scale }, before);
    camera.zoomAt(at, 1000);
    assert.equal(camera.viewport().scale, 8);
    camera.zoomAt(at, 1e-6);
    assert.equal(camera.viewport().scale, 0.05);
  });

  test('fit centres the shapes, never zooming in past 100%; visible bounds follow', () => {
    const camera = createCamera();
    camera.fit({ x: 1000, y: 1000, width: 100, height: 100 }, { width: 800, height: 600 });
    assert.deepEqual(camera.viewport(), { scale: 1, x: 400 - 1050, y: 300 - 1050 });
    camera.fit({ x: 0, y: 0, width: 7040, height: 100 }, { width: 800, height: 600 });
    assert.equal(camera.viewport().scale, 0.1);
    const visible = camera.visibleBounds({ width: 800, height: 600 });
    assert.ok(visible.x <= 0 && visible.x + visible.width >= 7040);
    camera.fit(null, { width: 800, height: 600 });
    assert.deepEqual(camera.viewport(), { x: 0, y: 0, scale: 1 });
  });
});
