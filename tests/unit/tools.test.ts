import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DEFAULT_STYLE, NO_LABEL } from '../../shared/schema.ts';
import { LOCAL_ORIGIN, REMOTE_ORIGIN } from '../../shared/origins.ts';
import { createBoard } from '../../client/model/board.ts';
import type { ToolId } from '../../client/tools/toolbox.ts';
import { addRect, createToolHarness, onlyShape } from '../helpers/tool-harness.ts';

const setup = createToolHarness;

/** Another peer: edits made there reach `doc` the way the provider delivers them (non-local origin). */
function remotePeer(doc: Y.Doc) {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  const board = createBoard(peer);
  const sync = (): void => {
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), REMOTE_ORIGIN);
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)));
  };
  return { peer, board, sync };
}

describe('pen tool', () => {
  test('one stroke becomes one ink shape, written once on pointer up, points relative to x/y', () => {
    const t = setup('pen');
    t.toolbox.pointerDown(t.event(10, 20));
    assert.equal(t.toolbox.tool().state, 'drawing');
    t.toolbox.pointerMove(t.event(15, 25));
    t.toolbox.pointerMove(t.event(30, 22));
    t.toolbox.pointerMove(t.event(40, 40));
    assert.equal(t.board.size, 0, 'nothing is written while drawing');
    assert.equal(t.draft.shape?.type, 'ink', 'the stroke is drawn in the draft');
    t.toolbox.pointerUp(t.event(40, 40));

    assert.equal(t.toolbox.tool().state, 'idle');
    assert.equal(t.draft.shape, null);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'exactly one LOCAL_ORIGIN transaction');
    const ink = onlyShape(t.board);
    assert.equal(ink.type, 'ink');
    if (ink.type !== 'ink') return;
    assert.equal(ink.x, 10);
    assert.equal(ink.y, 20);
    assert.equal(ink.points.length, 12);
    const xy = ink.points.filter((_n, i) => i % 3 !== 2);
    assert.deepEqual(xy, [0, 0, 5, 5, 20, 2, 30, 20]);
    for (let i = 2; i < ink.points.length; i += 3) {
      const p = ink.points[i]!;
      assert.ok(p > 0 && p <= 1, `pressure ${p} in (0, 1]`);
    }
    assert.equal(ink.strokeColor, DEFAULT_STYLE.strokeColor);
    t.close();
  });

  test('the origin is the top-left of the stroke, whatever direction it was drawn in', () => {
    const t = setup('pen');
    assert.deepEqual(t.gesture([[100, 100], [80, 120], [60, 90]]), ['idle', 'drawing', 'idle']);
    const ink = onlyShape(t.board);
    assert.equal(ink.x, 60);
    assert.equal(ink.y, 90);
    if (ink.type !== 'ink') return assert.fail('not ink');
    assert.deepEqual(ink.points.filter((_n, i) => i % 3 !== 2), [40, 10, 20, 30, 0, 0]);
    t.close();
  });

  test('a pen uses its own pressure; a mouse gets simulated pressure that thins when fast', () => {
    const pen = setup('pen');
    pen.gesture([[0, 0], [10, 0], [20, 0]], { pointerType: 'pen', pressure: 0.9 });
    const penInk = onlyShape(pen.board);
    if (penInk.type !== 'ink') return assert.fail('not ink');
    assert.deepEqual([penInk.points[2], penInk.points[5], penInk.points[8]], [0.9, 0.9, 0.9]);
    pen.close();

    const mouse = setup('pen');
    // 16 ms apart: 200 px per step is very fast, so pressure drops below the 0.5 it starts with.
    mouse.gesture([[0, 0], [200, 0], [400, 0], [600, 0]], { pressure: 0.5 });
    const mouseInk = onlyShape(mouse.board);
    if (mouseInk.type !== 'ink') return assert.fail('not ink');
    const pressures = mouseInk.points.filter((_n, i) => i % 3 === 2);
    assert.equal(pressures[0], 0.5);
    assert.ok(pressures.at(-1)! < 0.5, `fast mouse strokes thin out: ${pressures.join(', ')}`);
    mouse.close();
  });

  test('a single tap leaves a dot; Escape abandons a stroke without writing', () => {
    const t = setup('pen');
    t.toolbox.pointerDown(t.event(5, 5));
    t.toolbox.pointerUp(t.event(5, 5));
    const dot = onlyShape(t.board);
    if (dot.type !== 'ink') return assert.fail('not ink');
    assert.equal(dot.points.length, 3);

    t.toolbox.pointerDown(t.event(50, 50));
    t.toolbox.pointerMove(t.event(60, 60));
    assert.equal(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }), true);
    assert.equal(t.toolbox.tool().state, 'idle');
    assert.equal(t.draft.shape, null);
    t.toolbox.pointerUp(t.event(70, 70));
    assert.equal(t.board.size, 1, 'the abandoned stroke was not written');
    t.close();
  });

  test('a remote change in the middle of a stroke does not disturb it', () => {
    const t = setup('pen');
    const remote = remotePeer(t.doc);
    t.toolbox.pointerDown(t.event(0, 0));
    t.toolbox.pointerMove(t.event(10, 10));
    const draftBefore = t.draft.shape;
    addRect(remote.board, 'remote-rect', 300, 300);
    remote.sync();
    assert.equal(t.board.has('remote-rect'), true);
    assert.equal(t.draft.shape, draftBefore, 'the draft is untouched by the remote change');
    assert.equal(t.toolbox.tool().state, 'drawing');
    t.toolbox.pointerMove(t.event(20, 20));
    t.toolbox.pointerUp(t.event(20, 20));
    const [below, above] = t.board.ordered();
    assert.equal(below?.id, 'remote-rect');
    assert.equal(above?.type, 'ink', 'the stroke lands above the shape that arrived meanwhile');
    if (above?.type !== 'ink') return;
    assert.equal(above.points.length, 9);
    t.close();
  });
});

describe('rectangle and ellipse tools', () => {
  for (const [tool, type] of [['rectangle', 'rect'], ['ellipse', 'ellipse']] as const) {
    test(`${tool}: the same box from every drag direction`, () => {
      const drags: Array<[[number, number], [number, number]]> = [
        [[10, 20], [110, 70]],
        [[110, 70], [10, 20]],
        [[110, 20], [10, 70]],
        [[10, 70], [110, 20]],
      ];
      for (const [from, to] of drags) {
        const t = setup(tool);
        const path = t.gesture([from, [60, 45], to]);
        assert.deepEqual(path, ['idle', 'pointing', 'dragging', 'idle'], `state path for ${JSON.stringify([from, to])}`);
        const shape = onlyShape(t.board);
        assert.equal(shape.type, type);
        if (shape.type !== type) return;
        assert.deepEqual(
          { x: shape.x, y: shape.y, width: shape.width, height: shape.height },
          { x: 10, y: 20, width: 100, height: 50 },
          `box for a drag ${JSON.stringify([from, to])}`,
        );
        assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
        assert.equal(t.draft.shape, null);
        t.close();
      }
    });
  }

  test('the box is shown in the draft while dragging and written only on release', () => {
    const t = setup('rectangle');
    t.toolbox.pointerDown(t.event(0, 0));
    t.toolbox.pointerMove(t.event(30, 40));
    assert.equal(t.board.size, 0);
    const draft = t.draft.shape;
    assert.equal(draft?.type, 'rect');
    if (draft?.type !== 'rect') return;
    assert.deepEqual([draft.width, draft.height], [30, 40]);
    t.toolbox.pointerUp(t.event(50, 60));
    const shape = onlyShape(t.board);
    if (shape.type !== 'rect') return assert.fail('not a rect');
    assert.deepEqual([shape.width, shape.height], [50, 60], 'the release point decides the final size');
    t.close();
  });

  test('Shift makes a square', () => {
    const t = setup('rectangle');
    t.gesture([[100, 100], [40, 70]], { shiftKey: true });
    const shape = onlyShape(t.board);
    if (shape.type !== 'rect') return assert.fail('not a rect');
    assert.deepEqual({ x: shape.x, y: shape.y, width: shape.width, height: shape.height }, { x: 40, y: 40, width: 60, height: 60 });
    t.close();
  });

  test('a click or a tiny drag creates nothing', () => {
    const t = setup('rectangle');
    assert.deepEqual(t.gesture([[50, 50]]), ['idle', 'pointing', 'idle']);
    assert.deepEqual(t.gesture([[50, 50], [51, 51]]), ['idle', 'pointing', 'idle']);
    // Dragged out and back again: a drag that ends as a speck is still a speck.
    assert.deepEqual(t.gesture([[50, 50], [80, 80], [51, 50]]), ['idle', 'pointing', 'dragging', 'idle']);
    assert.equal(t.board.size, 0);
    assert.deepEqual(t.transactions, []);
    assert.equal(t.draft.shape, null);
    t.close();
  });

  test('tiny is measured on screen: at 4x zoom a 1-unit box is a real drag', () => {
    const t = setup('ellipse');
    t.gesture([[0, 0], [1, 1]], { scale: 4 });
    assert.equal(onlyShape(t.board).type, 'ellipse');
    t.close();
  });

  test('new shapes go above the current top', () => {
    const t = setup('rectangle');
    t.gesture([[0, 0], [10, 10]]);
    t.gesture([[5, 5], [20, 20]]);
    t.toolbox.setTool('ellipse');
    t.gesture([[0, 0], [30, 30]]);
    const types = t.board.ordered().map((shape) => shape.type);
    assert.deepEqual(types, ['rect', 'rect', 'ellipse']);
    const indices = t.board.ordered().map((shape) => shape.index);
    assert.deepEqual([...indices].sort(), indices);
    assert.equal(new Set(indices).size, 3);
    t.close();
  });
});

describe('select tool', () => {
  test('a click selects the shape under the pointer; a click on empty board clears', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 50, 40);
    t.transactions.length = 0;
    assert.deepEqual(t.gesture([[60, 50]]), ['idle', 'pointing', 'idle']);
    assert.deepEqual([...t.selection.ids()], ['b'], 'the topmost shape under the pointer');
    t.gesture([[10, 10]]);
    assert.deepEqual([...t.selection.ids()], ['a']);
    t.gesture([[500, 500]]);
    assert.deepEqual([...t.selection.ids()], []);
    assert.deepEqual(t.transactions, [], 'selecting writes nothing to the document');
    t.close();
  });

  test('Shift-click adds to and removes from the selection', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    t.gesture([[10, 10]]);
    t.gesture([[210, 10]], { shiftKey: true });
    assert.deepEqual([...t.selection.ids()].sort(), ['a', 'b']);
    t.gesture([[10, 10]], { shiftKey: true });
    assert.deepEqual([...t.selection.ids()], ['b']);
    t.close();
  });

  test('a drag moves the shape: preview in the draft, one transaction on release', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 300, 300);
    t.transactions.length = 0;
    t.toolbox.pointerDown(t.event(10, 10));
    t.toolbox.pointerMove(t.event(20, 15));
    t.toolbox.pointerMove(t.event(40, 30));
    assert.equal(t.toolbox.tool().state, 'dragging');
    assert.deepEqual(t.transactions, [], 'nothing is written during the drag');
    assert.deepEqual(t.draft.translation && { ids: [...t.draft.translation.ids], dx: t.draft.translation.dx, dy: t.draft.translation.dy }, {
      ids: ['a'],
      dx: 30,
      dy: 20,
    });
    t.toolbox.pointerUp(t.event(60, 45));
    assert.equal(t.toolbox.tool().state, 'idle');
    assert.equal(t.draft.translation, null);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'one LOCAL_ORIGIN transaction: one undo step');
    assert.deepEqual([t.board.get('a')?.x, t.board.get('a')?.y], [50, 35]);
    assert.deepEqual([t.board.get('b')?.x, t.board.get('b')?.y], [300, 300], 'unselected shapes stay');
    assert.deepEqual([...t.selection.ids()], ['a']);
    t.close();
  });

  test('dragging a member of a multi-selection moves all of it; a drag on empty board moves nothing (it is a marquee)', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    t.selection.set(['a', 'b']);
    assert.deepEqual(t.gesture([[210, 10], [230, 30], [260, 60]]), ['idle', 'pointing', 'dragging', 'idle']);
    assert.deepEqual([t.board.get('a')?.x, t.board.get('a')?.y, t.board.get('b')?.x, t.board.get('b')?.y], [50, 50, 250, 50]);
    assert.equal(t.selection.size, 2, 'a drag keeps the multi-selection');

    t.transactions.length = 0;
    assert.deepEqual(t.gesture([[700, 700], [800, 800]]), ['idle', 'pointing', 'marquee', 'idle']);
    assert.deepEqual(t.transactions, []);
    assert.equal(t.selection.size, 0);
    t.close();
  });

  test('Delete and Backspace remove the selection in one transaction', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    addRect(t.board, 'c', 400, 0);
    t.selection.set(['a', 'b']);
    t.transactions.length = 0;
    assert.equal(t.toolbox.keyDown({ key: 'Delete', shiftKey: false }), true);
    assert.deepEqual(t.board.ordered().map((s) => s.id), ['c']);
    assert.equal(t.selection.size, 0);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);

    t.gesture([[410, 10]]);
    assert.equal(t.toolbox.keyDown({ key: 'Backspace', shiftKey: false }), true);
    assert.equal(t.board.size, 0);
    assert.equal(t.toolbox.keyDown({ key: 'Delete', shiftKey: false }), false, 'nothing selected: key not used');
    t.close();
  });

  test('a selected shape deleted remotely mid-drag leaves the selection; the drag ends cleanly', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    const remote = remotePeer(t.doc);
    t.selection.set(['a', 'b']);
    t.toolbox.pointerDown(t.event(10, 10));
    t.toolbox.pointerMove(t.event(30, 30));
    assert.equal(t.toolbox.tool().state, 'dragging');
    remote.board.deleteShapes(['a']);
    remote.sync();
    assert.deepEqual([...t.selection.ids()], ['b'], 'the deleted shape just leaves the selection');
    assert.equal(t.toolbox.tool().state, 'dragging', 'the drag carries on');
    t.toolbox.pointerMove(t.event(40, 40));
    t.toolbox.pointerUp(t.event(40, 40));
    assert.equal(t.board.has('a'), false, 'the move does not bring the deleted shape back');
    assert.deepEqual([t.board.get('b')?.x, t.board.get('b')?.y], [230, 30]);
    remote.sync();
    assert.equal(remote.board.has('a'), false);
    assert.deepEqual([remote.board.get('b')?.x, remote.board.get('b')?.y], [230, 30]);
    t.close();
  });

  test('a remote move during a local drag is kept: the drop adds the local delta to it', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    const remote = remotePeer(t.doc);
    t.toolbox.pointerDown(t.event(10, 10));
    t.toolbox.pointerMove(t.event(20, 10));
    remote.board.moveShapes(['a'], 0, 100);
    remote.sync();
    t.toolbox.pointerUp(t.event(30, 10));
    assert.deepEqual([t.board.get('a')?.x, t.board.get('a')?.y], [20, 100]);
    t.close();
  });

  test('Escape during a drag puts the shape back and writes nothing', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    t.transactions.length = 0;
    t.toolbox.pointerDown(t.event(10, 10));
    t.toolbox.pointerMove(t.event(90, 90));
    assert.equal(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }), true);
    assert.equal(t.toolbox.tool().state, 'idle');
    assert.equal(t.draft.translation, null);
    t.toolbox.pointerUp(t.event(90, 90));
    assert.deepEqual([t.board.get('a')?.x, t.board.get('a')?.y], [0, 0]);
    assert.deepEqual(t.transactions, []);
    t.close();
  });

  test('locked shapes cannot be picked', () => {
    const t = setup('select');
    t.board.addShape({ ...DEFAULT_STYLE, id: 'locked', type: 'rect', ...NO_LABEL, x: 0, y: 0, width: 50, height: 50, rotation: 0, locked: true });
    t.gesture([[10, 10], [40, 40]]);
    assert.equal(t.selection.size, 0);
    assert.deepEqual([t.board.get('locked')?.x, t.board.get('locked')?.y], [0, 0]);
    t.close();
  });

  test('ink is hit along the stroke, not across its empty bounding box', () => {
    const t = setup('pen');
    t.gesture([[0, 0], [100, 0], [100, 100]]);
    t.toolbox.setTool('select');
    t.gesture([[20, 60]]);
    assert.equal(t.selection.size, 0, 'inside the bounding box but far from the line');
    t.gesture([[50, 2]]);
    assert.equal(t.selection.size, 1);
    t.close();
  });
});

describe('toolbox', () => {
  test('switching tools abandons the gesture in progress and clears the selection for drawing tools', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    t.gesture([[10, 10]]);
    assert.equal(t.selection.size, 1);
    const seen: ToolId[] = [];
    t.toolbox.onChange((id) => seen.push(id));
    t.toolbox.setTool('pen');
    assert.equal(t.selection.size, 0);
    t.toolbox.pointerDown(t.event(0, 0));
    t.toolbox.pointerMove(t.event(50, 50));
    t.toolbox.setTool('rectangle');
    assert.equal(t.draft.shape, null);
    t.toolbox.pointerUp(t.event(50, 50));
    assert.equal(t.board.size, 1, 'the abandoned stroke was not written');
    assert.deepEqual(seen, ['pen', 'rectangle']);
    assert.equal(t.toolbox.active, 'rectangle');
    t.close();
  });
});
