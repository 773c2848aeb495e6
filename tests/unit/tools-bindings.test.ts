import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DEFAULT_STYLE, type LinearShape, type Shape } from '../../shared/schema.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { createHistory } from '../../client/model/history.ts';
import { selectionHandles } from '../../client/model/selection-handles.ts';
import { resolveBoundEnds } from '../../client/model/bound-ends.ts';
import { createBoard } from '../../client/model/board.ts';
import type { Point } from '../../client/model/geometry.ts';
import { addRect, createToolHarness } from '../helpers/tool-harness.ts';

/**
 * Arrows bound to shapes follow them live: while a shape is dragged, resized or rotated the arrow
 * is shown where the board will derive it on every pointer move, and the drop writes only the
 * shape (one transaction, one undo step); the board derives the arrow's ends from it.
 */

/** The tool harness with the local user's undo history and a peer receiving every update. */
function setup() {
  const t = createToolHarness('select');
  const history = createHistory(t.doc);
  const peer = new Y.Doc();
  const updates: Uint8Array[] = [];
  t.doc.on('update', (update: Uint8Array) => {
    updates.push(update);
    Y.applyUpdate(peer, update);
  });
  const close = (): void => {
    history.close();
    t.close();
    peer.destroy();
  };
  return { ...t, history, peer, updates, close };
}

/**
 * Two 100×80 rectangles, 'from' at (0, 0) and 'to' at (300, 0), and an arrow bound to both from
 * (50, 40) to (end.x, end.y) through `via` (board points), with the given rotation, anchored at
 * those ends (the board derives the ends from there to the shapes' edges).
 */
function boundArrow(t: ReturnType<typeof setup>, end: Point = { x: 350, y: 40 }, via: Point[] = [], rotation = 0): LinearShape {
  addRect(t.board, 'from', 0, 0);
  addRect(t.board, 'to', 300, 0);
  const origin = { x: 50, y: 40 };
  const local = [...via, end].map((p) => rotate({ x: p.x - origin.x, y: p.y - origin.y }, -rotation));
  const arrow = t.board.addShape({
    ...DEFAULT_STYLE,
    id: 'arrow',
    type: 'arrow',
    ...origin,
    rotation,
    locked: false,
    points: [0, 0, ...local.flatMap((p) => [round(p.x), round(p.y)])],
    startBinding: 'from',
    endBinding: 'to',
    // Anchored where the ends are, as the arrow tool does it.
    startAnchor: { x: 0.5, y: 0.5 },
    endAnchor: { x: (end.x - 300) / 100, y: end.y / 80 },
    startArrowhead: 'none' as const, arrowKind: 'straight' as const, bend: 0, text: '',
    endArrowhead: 'arrow' as const,
  });
  assert.ok(arrow.type === 'arrow');
  t.transactions.length = 0;
  t.updates.length = 0;
  const resolved = t.board.get('arrow');
  assert.ok(resolved?.type === 'arrow');
  return resolved;
}

const round = (n: number): number => Math.round(n * 100) / 100;

function rotate(p: Point, degrees: number): Point {
  const r = (degrees * Math.PI) / 180;
  return { x: p.x * Math.cos(r) - p.y * Math.sin(r), y: p.x * Math.sin(r) + p.y * Math.cos(r) };
}

/** The line's points on the board, rotation applied, rounded to hundredths. */
function boardPoints(shape: Shape | undefined): Point[] {
  assert.ok(shape?.type === 'arrow' || shape?.type === 'line', 'a line or arrow');
  const out: Point[] = [];
  for (let i = 0; i + 1 < shape.points.length; i += 2) {
    const p = rotate({ x: shape.points[i]!, y: shape.points[i + 1]! }, shape.rotation);
    out.push({ x: round(shape.x + p.x), y: round(shape.y + p.y) });
  }
  return out;
}

/** Asserts two point lists agree within `tolerance` board units (rounding to hundredths). */
function assertPoints(actual: Point[], expected: Point[], message: string, tolerance = 0.05): void {
  assert.equal(actual.length, expected.length, `${message}: ${JSON.stringify(actual)}`);
  actual.forEach((p, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(p.x - e.x) <= tolerance && Math.abs(p.y - e.y) <= tolerance, `${message}: point ${i} is ${JSON.stringify(p)}, expected ${JSON.stringify(e)}`);
  });
}

/** The arrow's record as stored in a doc (not derived). */
function storedPoints(doc: Y.Doc): unknown {
  const entry = doc.getMap('shapes').get('arrow');
  assert.ok(entry instanceof Y.Map);
  return (entry.toJSON() as { points: unknown }).points;
}

/** The arrow as the board will derive it once the shapes are as `changed` says. */
function derived(t: ReturnType<typeof setup>, changed: Record<string, Partial<Shape>>): Point[] {
  const arrow = t.board.get('arrow');
  assert.ok(arrow?.type === 'arrow');
  return boardPoints(resolveBoundEnds(arrow, (id) => ({ ...t.board.get(id), ...changed[id] }) as Shape));
}

describe('bound arrows follow a gesture live', () => {
  test('dragging a shape: the arrow end follows on every move; the drop writes only the shape, one undo step', () => {
    const t = setup();
    const arrow = boundArrow(t);
    const stored = storedPoints(t.doc);
    t.selection.set(['to']);
    t.toolbox.pointerDown(t.event(350, 20));
    for (const [dx, dy] of [[10, 10], [30, 30], [50, 50], [20, -40]] as const) {
      t.toolbox.pointerMove(t.event(350 + dx, 20 + dy));
      assert.equal(t.toolbox.tool().state, 'dragging');
      assertPoints(boardPoints(t.shown('arrow')), derived(t, { to: { x: 300 + dx, y: dy } }), `after a move by (${dx}, ${dy})`);
      assert.deepEqual(t.shown('to') && [t.shown('to')!.x, t.shown('to')!.y], [300 + dx, dy], 'the shape is shown moved');
    }
    assert.deepEqual(t.transactions, [], 'nothing is written during the drag');
    assert.deepEqual(t.board.get('arrow'), arrow, 'the arrow is untouched until the drop');

    const expected = derived(t, { to: { x: 320, y: -40 } });
    t.toolbox.pointerUp(t.event(370, -20));
    assert.equal(t.draft.overrides, null, 'the preview is gone');
    assert.equal(t.draft.translation, null);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'one transaction');
    assert.equal(t.updates.length, 1, 'one update for everyone else');
    assert.deepEqual(storedPoints(t.doc), stored, 'the arrow is not written: its end is derived');
    assertPoints(boardPoints(t.board.get('arrow')), expected, 'the board derives the arrow where it was last shown');
    const peerBoard = createBoard(t.peer);
    assertPoints(boardPoints(peerBoard.get('arrow')), expected, 'the peer derives the same arrow from the moved shape');
    peerBoard.close();

    assert.ok(t.history.undo());
    assert.deepEqual(t.board.get('arrow'), arrow, 'one undo puts the arrow back');
    assert.deepEqual([t.board.get('to')?.x, t.board.get('to')?.y], [300, 0], 'and the shape');
    assert.ok(t.history.undo());
    assert.equal(t.board.has('arrow'), false, 'the next undo takes back the arrow’s creation: the drag was a single undo step');
    t.close();
  });

  test('resizing a shape: the bound end keeps its anchor on the box on every move', () => {
    const t = setup();
    const arrow = boundArrow(t);
    t.selection.set(['to']);
    const se = selectionHandles([t.board.get('to')!], 1)!.points.se;
    t.toolbox.pointerDown(t.event(se.x, se.y));
    for (const [x, y] of [[500, 160], [450, 120], [350, 40]] as const) {
      t.toolbox.pointerMove(t.event(x, y));
      assert.equal(t.toolbox.tool().state, 'resizing');
      assertPoints(boardPoints(t.shown('arrow')), derived(t, { to: { width: x - 300, height: y } }), `resized to (${x}, ${y})`);
    }
    t.toolbox.pointerUp(t.event(350, 40));
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assertPoints(boardPoints(t.board.get('arrow')), boardPoints(t.shown('arrow')), 'derived as last shown');
    t.history.undo();
    assert.deepEqual(t.board.get('arrow'), arrow, 'one undo');
    t.close();
  });

  test('rotating a shape: the bound end turns with it on every move', () => {
    const t = setup();
    // The end is anchored 40 left of the centre (350, 40) of 'to'.
    boundArrow(t, { x: 310, y: 40 });
    t.selection.set(['to']);
    const handle = selectionHandles([t.board.get('to')!], 1)!.points.rotate;
    t.toolbox.pointerDown(t.event(handle.x, handle.y));
    for (const [x, y] of [[400, -10], [420, 40], [350, 110]] as const) {
      t.toolbox.pointerMove(t.event(x, y));
      assert.equal(t.toolbox.tool().state, 'rotating');
      const shown = t.shown('to')!;
      assertPoints(boardPoints(t.shown('arrow')), derived(t, { to: { x: shown.x, y: shown.y, rotation: shown.rotation } }), `turned to ${shown.rotation}°`);
    }
    t.toolbox.pointerUp(t.event(350, 110));
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assertPoints(boardPoints(t.board.get('arrow')), boardPoints(t.shown('arrow')), 'derived as last shown');
    t.close();
  });

  test('an arrow bound at both ends to two shapes dragged together: both ends follow, the bends stay where they are', () => {
    const t = setup();
    boundArrow(t, { x: 350, y: 40 }, [{ x: 120, y: -60 }, { x: 250, y: 100 }]);
    const stored = storedPoints(t.doc);
    t.selection.set(['from', 'to']);
    t.toolbox.pointerDown(t.event(350, 20));
    for (const [dx, dy] of [[10, 10], [-40, 25], [120, -75]] as const) {
      t.toolbox.pointerMove(t.event(350 + dx, 20 + dy));
      assertPoints(boardPoints(t.shown('arrow')), derived(t, { from: { x: dx, y: dy }, to: { x: 300 + dx, y: dy } }), `moved by (${dx}, ${dy})`);
    }
    t.toolbox.pointerUp(t.event(470, -55));
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assertPoints(boardPoints(t.board.get('arrow')), boardPoints(t.shown('arrow')), 'derived as last shown');
    assert.deepEqual(storedPoints(t.doc), stored, 'the arrow is not written');
    t.close();
  });

  test('a rotated arrow: the followed end is drawn where the shape took it, the rotation kept', () => {
    const t = setup();
    const arrow = boundArrow(t, { x: 310, y: 40 }, [], 90);
    t.selection.set(['to']);
    t.toolbox.pointerDown(t.event(350, 20));
    t.toolbox.pointerMove(t.event(370, 50));
    const shown = boardPoints(t.shown('arrow'));
    assertPoints(shown, derived(t, { to: { x: 320, y: 30 } }), 'shown at the moved shape');
    t.toolbox.pointerUp(t.event(370, 50));
    const after = t.board.get('arrow');
    assertPoints(boardPoints(after), shown, 'derived where it was shown');
    assert.equal(after?.rotation, arrow.rotation, 'the rotation is kept');
    t.close();
  });

  test('Escape during a drag drops the preview of the shape and of the arrow; nothing is written', () => {
    const t = setup();
    const arrow = boundArrow(t);
    t.selection.set(['to']);
    t.toolbox.pointerDown(t.event(350, 20));
    t.toolbox.pointerMove(t.event(400, 60));
    assert.ok(t.draft.overrides?.has('arrow'), 'the arrow is previewed');
    t.toolbox.keyDown({ key: 'Escape', shiftKey: false });
    assert.equal(t.draft.overrides, null);
    assert.equal(t.draft.translation, null);
    assert.deepEqual(t.shown('arrow'), arrow);
    assert.deepEqual(t.transactions, []);
    t.close();
  });

  test('deleting a bound shape leaves the arrow where it was seen, unbound, in the same transaction; undo binds it again', () => {
    const t = setup();
    const arrow = boundArrow(t);
    t.selection.set(['to']);
    assert.equal(t.toolbox.keyDown({ key: 'Delete', shiftKey: false }), true);
    assert.equal(t.board.has('to'), false);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'the delete and the unbinding are one transaction');
    const left = t.board.get('arrow');
    assert.deepEqual(left, { ...arrow, endBinding: null, endAnchor: null }, 'same place, end unbound, start still bound');

    // The arrow no longer follows anything at its free end; the bound start still follows.
    t.selection.set(['from']);
    const expected = derived(t, { from: { x: 60, y: 60 } });
    t.gesture([[20, 20], [40, 40], [80, 80]]);
    assertPoints(boardPoints(t.board.get('arrow')), expected, 'the start followed');
    assertPoints(boardPoints(t.board.get('arrow')).slice(1), boardPoints(left).slice(1), 'the free end stayed');

    t.history.undo();
    t.history.undo();
    assert.deepEqual(t.board.get('arrow'), arrow, 'undoing the delete binds the arrow again');
    assert.equal(t.board.has('to'), true);
    t.close();
  });
});

describe('an arrow changed on its own lets go of its shapes', () => {
  test('dragged alone it is unbound in the same undo step, and no longer follows; dragged with its shapes it stays bound', () => {
    const t = setup();
    const arrow = boundArrow(t);
    t.selection.set(['arrow']);
    t.toolbox.pointerDown(t.event(200, 40));
    t.toolbox.pointerMove(t.event(200, 70));
    t.toolbox.pointerMove(t.event(200, 100));
    t.toolbox.pointerUp(t.event(200, 100));
    const dropped = t.board.get('arrow');
    assert.ok(dropped?.type === 'arrow');
    assert.deepEqual([dropped.x, dropped.y, dropped.points, dropped.startBinding, dropped.endBinding], [arrow.x, 100, arrow.points, null, null], 'moved as seen, and unbound');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'one transaction');

    // The shape it was bound to moves: the arrow stays where it was put.
    t.selection.set(['to']);
    t.toolbox.pointerDown(t.event(350, 20));
    t.toolbox.pointerMove(t.event(370, 60));
    t.toolbox.pointerUp(t.event(370, 60));
    assert.deepEqual(t.board.get('arrow'), dropped, 'an unbound arrow does not follow');

    assert.ok(t.history.undo());
    assert.ok(t.history.undo());
    assert.deepEqual(t.board.get('arrow'), arrow, 'undoing the drag binds it again');

    // Selected with both of its shapes, the arrow keeps its bindings and moves with them.
    t.selection.set(['arrow', 'from', 'to']);
    t.toolbox.pointerDown(t.event(200, 40));
    t.toolbox.pointerMove(t.event(220, 60));
    t.toolbox.pointerUp(t.event(220, 60));
    const together = t.board.get('arrow');
    assert.ok(together?.type === 'arrow');
    assert.deepEqual([together.x, together.y, together.points, together.startBinding, together.endBinding], [arrow.x + 20, arrow.y + 20, arrow.points, 'from', 'to']);
    t.close();
  });
});
