/**
 * Align and distribute (client/tools/actions/align.ts, distribute.ts): each alignment against the
 * selection's bounds, distribution with equal gaps (and evenly spaced centres when the shapes
 * overlap), groups moving as one unit, locked shapes staying, rotated shapes by their rotated
 * bounds, bound arrows following, and each command one LOCAL_ORIGIN undo step from its key.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape } from '../../shared/schema.ts';
import type { NewShape } from '../../client/model/shape.ts';
import { createHistory } from '../../client/model/history.ts';
import { shapeBounds } from '../../client/model/geometry.ts';
import { alignSelection, alignOffset, type Alignment } from '../../client/tools/actions/align.ts';
import { distributeSelection } from '../../client/tools/actions/distribute.ts';
import { BOUND_END_GAP } from '../../client/model/bound-ends.ts';
import { createCommands } from '../../client/ui/commands.ts';
import { matchesCombo, type KeyPress } from '../../client/ui/keymap.ts';
import { addRect, createToolHarness } from '../helpers/tool-harness.ts';

function setup() {
  const t = createToolHarness('select');
  const history = createHistory(t.doc);
  /** Three rectangles of different sizes at different places. */
  addRect(t.board, 'a', 0, 0, 100, 80);
  addRect(t.board, 'b', 150, 200, 60, 40);
  addRect(t.board, 'c', 400, 90, 120, 100);
  t.transactions.length = 0;
  const box = (id: string) => shapeBounds(t.board.get(id)!);
  const close = (): void => {
    history.close();
    t.close();
  };
  return { ...t, history, box, close };
}

describe('align', () => {
  // The selection's bounds (strokes included): x -1..521, y -1..241 for the default stroke of 2.
  const expected: Record<Alignment, (b: { x: number; y: number; width: number; height: number }) => number> = {
    left: (b) => b.x,
    center: (b) => b.x + b.width / 2,
    right: (b) => b.x + b.width,
    top: (b) => b.y,
    middle: (b) => b.y + b.height / 2,
    bottom: (b) => b.y + b.height,
  };
  for (const alignment of Object.keys(expected) as Alignment[]) {
    test(`${alignment}: every shape to the selection's ${alignment}, one undo step`, () => {
      const t = setup();
      const before = ['a', 'b', 'c'].map(t.box);
      const bounds = { x: Math.min(...before.map((b) => b.x)), y: Math.min(...before.map((b) => b.y)) };
      const far = { x: Math.max(...before.map((b) => b.x + b.width)), y: Math.max(...before.map((b) => b.y + b.height)) };
      const selection = { x: bounds.x, y: bounds.y, width: far.x - bounds.x, height: far.y - bounds.y };
      t.selection.set(['a', 'b', 'c']);
      assert.equal(alignSelection(t, alignment), true);
      const target = expected[alignment](selection);
      for (const id of ['a', 'b', 'c']) assert.equal(expected[alignment](t.box(id)), target, `${id} on the ${alignment} line`);
      // The other axis is left alone.
      const across = alignment === 'left' || alignment === 'center' || alignment === 'right' ? 'y' : 'x';
      assert.deepEqual(['a', 'b', 'c'].map((id) => t.box(id)[across]), before.map((b) => b[across]));
      assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'one local transaction');
      t.history.undo();
      assert.deepEqual(['a', 'b', 'c'].map(t.box), before, 'one undo puts them all back');
      t.close();
    });
  }

  test('fewer than two units: nothing to align', () => {
    const t = setup();
    t.selection.set(['a']);
    assert.equal(alignSelection(t, 'left'), false);
    t.board.updateShapes(new Map([['a', { groupIds: ['g'] }], ['b', { groupIds: ['g'] }]]));
    t.transactions.length = 0;
    t.selection.set(['a', 'b']);
    assert.equal(alignSelection(t, 'left'), false, 'one group selected whole is one unit');
    assert.deepEqual(t.transactions, []);
    t.close();
  });

  test('a group moves as one unit: its members keep their places in it', () => {
    const t = setup();
    t.board.updateShapes(new Map([['b', { groupIds: ['g'] }], ['c', { groupIds: ['g'] }]]));
    t.selection.set(['a', 'b', 'c']);
    alignSelection(t, 'right');
    // The group's right edge (c's) is already the rightmost: the group stays, a moves.
    assert.equal(t.box('b').x, 149);
    assert.equal(t.box('c').x, 399);
    assert.equal(t.box('a').x + t.box('a').width, t.box('c').x + t.box('c').width);
    alignSelection(t, 'left');
    assert.equal(t.box('a').x, t.box('b').x, 'the group lines up by its left edge (b)');
    assert.equal(t.box('c').x - t.box('b').x, 250, 'c keeps its place relative to b');
    t.close();
  });

  test('a locked shape stays where it is; the others line up with it', () => {
    const t = setup();
    t.board.updateShapes(new Map([['a', { locked: true }]]));
    t.selection.set(['a', 'b', 'c']);
    alignSelection(t, 'bottom');
    assert.deepEqual(t.box('a'), { x: -1, y: -1, width: 102, height: 82 });
    assert.equal(t.box('b').y + t.box('b').height, 241);
    assert.equal(t.box('c').y + t.box('c').height, 241);
    t.close();
  });

  test('a rotated shape aligns by its rotated bounds', () => {
    const t = setup();
    t.board.updateShapes(new Map([['c', { rotation: 45 }]]));
    t.selection.set(['a', 'c']);
    alignSelection(t, 'left');
    assert.ok(Math.abs(t.box('c').x - t.box('a').x) < 0.01, 'the rotated box, not its origin, is on the line');
    assert.notEqual(t.board.get('c')!.x, t.board.get('a')!.x);
    t.close();
  });

  test('an arrow bound to a moved shape follows it, and only the shapes are written', () => {
    const t = setup();
    t.board.addShape({ ...DEFAULT_STYLE, id: 'arrow', type: 'arrow', x: 50, y: 40, rotation: 0, locked: false, points: [0, 0, 130, 180], startBinding: 'a', endBinding: 'b', startAnchor: null, endAnchor: null, startArrowhead: 'none', endArrowhead: 'arrow', arrowKind: 'straight', bend: 0, text: '' } as NewShape);
    t.transactions.length = 0;
    const stored = () => (t.board.doc.getMap('shapes').get('arrow') as { toJSON(): unknown } | undefined)?.toJSON();
    const record = stored();
    t.selection.set(['a', 'b']);
    alignSelection(t, 'top');
    const arrow = t.board.get('arrow') as Extract<Shape, { type: 'arrow' }>;
    // b moved up by 200: the arrow's end, derived from b, is at b's edge where b is now.
    const end = { x: arrow.x + arrow.points[2]!, y: arrow.y + arrow.points[3]! };
    const b = t.box('b');
    const reach = BOUND_END_GAP + arrow.strokeWidth / 2 + 0.5;
    const outside = Math.hypot(Math.max(b.x - end.x, 0, end.x - b.x - b.width), Math.max(b.y - end.y, 0, end.y - b.y - b.height));
    assert.ok(outside <= reach, `the bound end is at b's edge (${outside} away)`);
    assert.deepEqual(stored(), record, 'the arrow itself was not written');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    t.close();
  });

  test('alignOffset: moves along one axis only', () => {
    const to = { x: 0, y: 0, width: 100, height: 100 };
    const box = { x: 30, y: 40, width: 20, height: 10 };
    assert.deepEqual(alignOffset(box, to, 'center'), { dx: 10, dy: 0 });
    assert.deepEqual(alignOffset(box, to, 'middle'), { dx: 0, dy: 5 });
  });
});

describe('distribute', () => {
  test('horizontally: equal gaps between neighbours, the outer shapes stay, one undo step', () => {
    const t = setup();
    addRect(t.board, 'd', 230, 500, 40, 40);
    t.transactions.length = 0;
    t.selection.set(['a', 'b', 'c', 'd']);
    const before = ['a', 'b', 'c', 'd'].map(t.box);
    assert.equal(distributeSelection(t, 'horizontal'), true);
    const [a, b, d, c] = ['a', 'b', 'd', 'c'].map(t.box) as [ReturnType<typeof t.box>, ReturnType<typeof t.box>, ReturnType<typeof t.box>, ReturnType<typeof t.box>];
    assert.equal(a.x, before[0]!.x);
    assert.equal(c.x, before[2]!.x);
    const gaps = [b.x - (a.x + a.width), d.x - (b.x + b.width), c.x - (d.x + d.width)];
    for (const gap of gaps) assert.ok(Math.abs(gap - gaps[0]!) < 0.02, `gaps ${gaps.join(', ')} are equal`);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((id) => t.box(id).y), before.map((box) => box.y), 'y is left alone');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    t.history.undo();
    assert.deepEqual(['a', 'b', 'c', 'd'].map(t.box), before);
    t.close();
  });

  test('vertically, with shapes too tall for gaps: their centres are spaced evenly', () => {
    const t = setup();
    t.board.updateShapes(new Map([['a', { height: 300 }], ['b', { y: 20, height: 300 }], ['c', { y: 600, height: 300 }]]));
    t.selection.set(['a', 'b', 'c']);
    distributeSelection(t, 'vertical');
    const centre = (id: string) => t.box(id).y + t.box(id).height / 2;
    assert.ok(Math.abs(centre('b') - (centre('a') + centre('c')) / 2) < 0.02);
    t.close();
  });

  test('a locked shape stays and is left out of the spacing', () => {
    const t = setup();
    addRect(t.board, 'd', 230, 500, 40, 40);
    addRect(t.board, 'locked', 300, 600, 10, 10);
    t.board.updateShapes(new Map([['locked', { locked: true }]]));
    t.selection.set(['a', 'b', 'c', 'd', 'locked']);
    distributeSelection(t, 'horizontal');
    assert.equal(t.board.get('locked')!.x, 300);
    const [a, b, d, c] = ['a', 'b', 'd', 'c'].map(t.box) as [ReturnType<typeof t.box>, ReturnType<typeof t.box>, ReturnType<typeof t.box>, ReturnType<typeof t.box>];
    const gaps = [b.x - (a.x + a.width), d.x - (b.x + b.width), c.x - (d.x + d.width)];
    for (const gap of gaps) assert.ok(Math.abs(gap - gaps[0]!) < 0.02, `gaps ${gaps.join(', ')} are equal`);
    t.close();
  });

  test('needs three units; a group is one', () => {
    const t = setup();
    t.selection.set(['a', 'b']);
    assert.equal(distributeSelection(t, 'horizontal'), false);
    t.board.updateShapes(new Map([['b', { groupIds: ['g'] }], ['c', { groupIds: ['g'] }]]));
    t.selection.set(['a', 'b', 'c']);
    assert.equal(distributeSelection(t, 'horizontal'), false);
    t.close();
  });
});

describe('keys', () => {
  const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...extra });

  test("Excalidraw's keys: Ctrl+Shift+arrows align, Alt+H / Alt+V distribute (also by the physical key, as on a Mac)", () => {
    const t = setup();
    const commands = createCommands({ board: t.board, selection: t.selection, history: t.history, camera: t.camera, toolbox: t.toolbox, screen: () => ({ width: 800, height: 600 }) });
    const run = (key: KeyPress) => commands.find((command) => command.keys.some((combo) => matchesCombo(key, combo)))?.run();
    t.selection.set(['a', 'b', 'c']);
    run(press('ArrowLeft', { ctrlKey: true, shiftKey: true }));
    assert.equal(t.box('c').x, -1);
    run(press('ArrowDown', { ctrlKey: true, shiftKey: true }));
    assert.equal(t.box('a').y + t.box('a').height, 241);
    assert.equal(t.transactions.length, 2, 'one step each');
    t.board.updateShapes(new Map([['b', { x: 300 }], ['c', { x: 500 }]]));
    run(press('˙', { code: 'KeyH', altKey: true }));
    assert.equal(t.box('b').x, 269, 'Alt+H (typed "˙" on a Mac) distributes horizontally');
    assert.equal(run(press('ArrowLeft', { shiftKey: true })), undefined, 'Shift+Left alone is no command');
    t.close();
  });
});
