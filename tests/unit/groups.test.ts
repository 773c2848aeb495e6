/**
 * Groups: the pure functions of client/model/groups.ts, the group and ungroup commands, and the
 * select tool's group states (a click selects a group whole, a double-click enters it, Escape
 * leaves it, the marquee picks groups whole), with move, resize, rotate, duplicate, copy, lock and
 * delete each acting on a group as one undo step.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STYLE, type Shape } from '../../shared/schema.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { createHistory } from '../../client/model/history.ts';
import { clickSelection, copiedGroupIds, groupPatches, marqueeSelection, selectionUnits, targetGroup, ungroupPatches } from '../../client/model/groups.ts';
import { groupSelection, ungroupSelection } from '../../client/tools/actions/group.ts';
import { duplicateSelection, addCopies } from '../../client/tools/actions/duplicate.ts';
import { toggleLock } from '../../client/tools/actions/lock.ts';
import { deleteSelection } from '../../client/tools/delete-selection.ts';
import { parseShapes, serializeShapes } from '../../client/model/clipboard-data.ts';
import { selectionHandles } from '../../client/model/selection-handles.ts';
import { createCommands } from '../../client/ui/commands.ts';
import { guardCommands } from '../../client/ui/read-only-commands.ts';
import { matchesCombo, type KeyPress } from '../../client/ui/keymap.ts';
import type { ToolId } from '../../client/tools/toolbox.ts';
import { addRect, createToolHarness } from '../helpers/tool-harness.ts';

function setup(initialTool: ToolId = 'select') {
  const t = createToolHarness(initialTool);
  const history = createHistory(t.doc);
  const close = (): void => {
    history.close();
    t.close();
  };
  return { ...t, history, close };
}

/** A rectangle record (not on any board) in groups `groupIds`, innermost first. */
function rect(id: string, groupIds?: string[], extra: Partial<Shape> = {}): Shape {
  return { ...DEFAULT_STYLE, id, type: 'rect', x: 0, y: 0, width: 10, height: 10, rotation: 0, index: 'a0', locked: false, ...(groupIds ? { groupIds } : {}), ...extra } as Shape;
}

/** Shapes a, b, c, d in a row (100 wide, 100 apart), with a, b, c in group `g` and a, b in `h` inside it. */
function nestedBoard(t: ReturnType<typeof setup>): void {
  addRect(t.board, 'a', 0, 0, 80, 80);
  addRect(t.board, 'b', 100, 0, 80, 80);
  addRect(t.board, 'c', 200, 0, 80, 80);
  addRect(t.board, 'd', 300, 0, 80, 80);
  t.board.updateShapes(
    new Map([
      ['a', { groupIds: ['h', 'g'] }],
      ['b', { groupIds: ['h', 'g'] }],
      ['c', { groupIds: ['g'] }],
    ]),
  );
  t.transactions.length = 0;
}

const ids = (set: Iterable<string>): string[] => [...set].sort();

/** A key press for the command table. */
const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: true, metaKey: false, shiftKey: false, altKey: false, ...extra });

describe('group functions', () => {
  test('a click targets the outermost group inside the entered one; outside it, the outermost of all', () => {
    const a = rect('a', ['h', 'g', 'f']);
    assert.equal(targetGroup(a, null), 'f');
    assert.equal(targetGroup(a, 'f'), 'g');
    assert.equal(targetGroup(a, 'g'), 'h');
    assert.equal(targetGroup(a, 'h'), null);
    assert.equal(targetGroup(a, 'elsewhere'), 'f', 'a group the shape is not in counts as none entered');
    assert.equal(targetGroup(rect('loose'), null), null);
  });

  test('click selection is the target group\'s members in z-order, or the shape alone', () => {
    const shapes = [rect('a', ['h', 'g']), rect('b', ['h', 'g']), rect('c', ['g']), rect('d')];
    const source = { ordered: () => shapes };
    assert.deepEqual(clickSelection(source, shapes[0]!, null), ['a', 'b', 'c']);
    assert.deepEqual(clickSelection(source, shapes[0]!, 'g'), ['a', 'b']);
    assert.deepEqual(clickSelection(source, shapes[2]!, 'g'), ['c']);
    assert.deepEqual(clickSelection(source, shapes[0]!, 'h'), ['a']);
    assert.deepEqual(clickSelection(source, shapes[3]!, 'g'), ['d']);
  });

  test('selection units: groups as one, loose shapes alone', () => {
    const units = selectionUnits([rect('a', ['h', 'g']), rect('d'), rect('b', ['h', 'g']), rect('c', ['g'])], 'g');
    assert.deepEqual(
      units.map((unit) => [unit.group, unit.shapes.map((s) => s.id)]),
      [
        ['h', ['a', 'b']],
        [null, ['d']],
        [null, ['c']],
      ],
    );
  });

  test('grouping appends the new group outermost, or nests it just inside the entered group', () => {
    const patches = groupPatches([rect('a', ['h']), rect('b'), rect('c', ['h'])], null, 'n');
    assert.deepEqual(Object.fromEntries(patches!), { a: { groupIds: ['h', 'n'] }, b: { groupIds: ['n'] }, c: { groupIds: ['h', 'n'] } });
    const inside = groupPatches([rect('a', ['g', 'f']), rect('b', ['g', 'f'])], 'f', 'n');
    assert.equal(inside, null, 'a and b are one group already inside f');
    const nested = groupPatches([rect('a', ['f']), rect('b', ['g', 'f'])], 'f', 'n');
    assert.deepEqual(Object.fromEntries(nested!), { a: { groupIds: ['n', 'f'] }, b: { groupIds: ['g', 'n', 'f'] } });
  });

  test('grouping needs two units; frames and locked shapes are left out', () => {
    assert.equal(groupPatches([rect('a')], null, 'n'), null, 'one shape');
    assert.equal(groupPatches([rect('a', ['g']), rect('b', ['g'])], null, 'n'), null, 'one group already');
    const frame = { ...rect('f'), type: 'frame', name: 'Frame' } as unknown as Shape;
    assert.equal(groupPatches([rect('a'), frame], null, 'n'), null, 'a shape and a frame: one shape to group');
    assert.equal(groupPatches([rect('a'), rect('b', undefined, { locked: true })], null, 'n'), null);
    const some = groupPatches([rect('a'), rect('b'), frame, rect('c', undefined, { locked: true })], null, 'n');
    assert.deepEqual(ids(some!.keys()), ['a', 'b']);
  });

  test('grouping past the depth limit is refused, not cut by the gate', () => {
    const deep = Array.from({ length: 32 }, (_, i) => `g${i}`);
    assert.equal(groupPatches([rect('a', deep), rect('b')], null, 'n'), null);
  });

  test('ungrouping removes the selected groups\' ids from every unlocked member, inner groups kept', () => {
    const shapes = [rect('a', ['h', 'g']), rect('b', ['h', 'g']), rect('c', ['g']), rect('d'), rect('e', ['g'], { locked: true })];
    const source = { ordered: () => shapes };
    const patches = ungroupPatches(source, [shapes[0]!], null);
    assert.deepEqual(Object.fromEntries(patches), { a: { groupIds: ['h'] }, b: { groupIds: ['h'] }, c: { groupIds: null } });
    assert.equal(ungroupPatches(source, [shapes[3]!], null).size, 0, 'a loose shape: nothing to ungroup');
    assert.deepEqual(Object.fromEntries(ungroupPatches(source, [shapes[0]!], 'g')), { a: { groupIds: ['g'] }, b: { groupIds: ['g'] } });
  });

  test('copies get new groups, one per original group, nested as before; the kept group and those around it stay', () => {
    let n = 0;
    const newId = () => `new${++n}`;
    const copied = copiedGroupIds([rect('a', ['h', 'g']), rect('b', ['h', 'g']), rect('c', ['g']), rect('d')], null, newId);
    assert.deepEqual(Object.fromEntries(copied), { a: ['new1', 'new2'], b: ['new1', 'new2'], c: ['new2'] });
    const kept = copiedGroupIds([rect('a', ['h', 'g', 'f']), rect('c', ['g', 'f'])], 'g', newId);
    assert.deepEqual(Object.fromEntries(kept), { a: ['new3', 'g', 'f'], c: ['g', 'f'] });
  });

  test('the marquee picks a group when all its unlocked members are inside', () => {
    const shapes = [rect('a', ['g'], { x: 0 }), rect('b', ['g'], { x: 50 }), rect('c', undefined, { x: 0 }), rect('l', ['g'], { x: 500, locked: true })];
    const inside = (limit: number) => (shape: Shape) => shape.x + 10 <= limit;
    assert.deepEqual(marqueeSelection(shapes, null, inside(30)), ['c'], 'half of g is not g');
    assert.deepEqual(marqueeSelection(shapes, null, inside(100)), ['a', 'b', 'c']);
    assert.deepEqual(marqueeSelection(shapes, 'g', inside(30)), ['a', 'c'], 'inside g its members are picked one by one');
  });
});

describe('group and ungroup commands', () => {
  test('Ctrl+G groups the selection, Ctrl+Shift+G ungroups; each one undo step', () => {
    const t = setup();
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    t.selection.set(['a', 'b']);
    t.transactions.length = 0;
    const commands = createCommands({ board: t.board, selection: t.selection, history: t.history, camera: t.camera, toolbox: t.toolbox, screen: () => ({ width: 800, height: 600 }) });
    const run = (key: KeyPress) => commands.find((command) => command.keys.some((combo) => matchesCombo(key, combo)))!.run();
    run(press('g'));
    const group = t.board.get('a')?.groupIds?.[0];
    assert.ok(group);
    assert.deepEqual(t.board.get('b')?.groupIds, [group]);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b'], 'the selection stays, now one group');

    run(press('G', { shiftKey: true }));
    assert.equal(t.board.get('a')?.groupIds, undefined);
    assert.equal(t.board.get('b')?.groupIds, undefined);
    assert.equal(t.transactions.length, 2);

    t.history.undo();
    assert.deepEqual(t.board.get('a')?.groupIds, [group], 'undo of ungroup: grouped again');
    t.history.undo();
    assert.equal(t.board.get('a')?.groupIds, undefined, 'undo of group: loose again');
    t.close();
  });

  test('nothing to group or ungroup writes nothing', () => {
    const t = setup();
    addRect(t.board, 'a', 0, 0);
    t.selection.set(['a']);
    t.transactions.length = 0;
    assert.equal(groupSelection(t), false);
    assert.equal(ungroupSelection(t), false);
    assert.deepEqual(t.transactions, []);
    t.close();
  });

  test('a view-only page refuses both', () => {
    const t = setup();
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    t.selection.set(['a', 'b']);
    const notices: string[] = [];
    const commands = guardCommands(
      createCommands({ board: t.board, selection: t.selection, history: t.history, camera: t.camera, toolbox: t.toolbox, screen: () => ({ width: 800, height: 600 }) }),
      { readOnly: true },
      { show: (message) => notices.push(message) },
    );
    commands.find((command) => command.id === 'group')!.run();
    commands.find((command) => command.id === 'ungroup')!.run();
    assert.equal(t.board.get('a')?.groupIds, undefined);
    assert.deepEqual(notices, ['Group: this board is view only', 'Ungroup: this board is view only']);
    t.close();
  });

  test('grouping inside an entered group nests the new group in it', () => {
    const t = setup();
    nestedBoard(t);
    t.selection.enter('g', ['b', 'c']);
    assert.ok(groupSelection(t));
    const inner = t.board.get('c')!.groupIds!;
    assert.equal(inner.length, 2);
    assert.equal(inner[1], 'g');
    assert.deepEqual(t.board.get('b')?.groupIds, ['h', inner[0], 'g']);
    assert.equal(t.selection.entered, 'g', 'still inside g');
    t.close();
  });
});

describe('select tool with groups', () => {
  test('a click on a member selects the whole group; Shift-click adds and removes it whole', () => {
    const t = setup();
    nestedBoard(t);
    t.gesture([[10, 10]]);
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b', 'c']);
    assert.equal(t.selection.entered, null);
    t.gesture([[310, 10]]);
    assert.deepEqual(ids(t.selection.ids()), ['d']);
    t.gesture([[210, 10]], { shiftKey: true });
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b', 'c', 'd']);
    t.gesture([[110, 10]], { shiftKey: true });
    assert.deepEqual(ids(t.selection.ids()), ['d']);
    assert.deepEqual(t.transactions, [], 'selecting writes nothing');
    t.close();
  });

  test('double-clicks go in one level at a time; a click outside leaves; Escape goes out one level', () => {
    const t = setup();
    nestedBoard(t);
    const doubleClick = (x: number, y: number): void => {
      t.elapse(1000);
      t.gesture([[x, y]]);
      t.gesture([[x, y]]);
    };
    doubleClick(10, 10);
    assert.equal(t.selection.entered, 'g');
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b'], 'inside g, the click picks group h');
    doubleClick(10, 10);
    assert.equal(t.selection.entered, 'h');
    assert.deepEqual(ids(t.selection.ids()), ['a']);
    t.elapse(1000);
    t.gesture([[110, 10]]);
    assert.deepEqual(ids(t.selection.ids()), ['b'], 'inside h, a click picks one member');
    assert.equal(t.selection.entered, 'h');

    assert.ok(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }));
    assert.equal(t.selection.entered, 'g');
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b'], 'out of h: h selected whole, inside g');
    assert.ok(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }));
    assert.equal(t.selection.entered, null);
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b', 'c']);
    assert.ok(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }));
    assert.equal(t.selection.size, 0);

    doubleClick(210, 10);
    assert.equal(t.selection.entered, 'g');
    assert.deepEqual(ids(t.selection.ids()), ['c']);
    t.elapse(1000);
    t.gesture([[310, 10]]);
    assert.equal(t.selection.entered, null, 'a click outside the group leaves it');
    assert.deepEqual(ids(t.selection.ids()), ['d']);
    doubleClick(10, 10);
    t.elapse(1000);
    t.gesture([[600, 600]]);
    assert.equal(t.selection.entered, null, 'so does a click on empty board');
    assert.equal(t.selection.size, 0);
    t.close();
  });

  test('a double-click on a text member edits it once its group is entered; an ungrouped text still edits at once', () => {
    const t = setup();
    t.board.addShape({ ...DEFAULT_STYLE, id: 'n', type: 'sticky', x: 0, y: 0, width: 100, height: 100, rotation: 0, locked: false, text: 'hi' } as never);
    addRect(t.board, 'r', 200, 0);
    t.board.updateShapes(new Map([['n', { groupIds: ['g'] }], ['r', { groupIds: ['g'] }]]));
    t.board.addShape({ ...DEFAULT_STYLE, id: 'loose', type: 'sticky', x: 0, y: 300, width: 100, height: 100, rotation: 0, locked: false, text: 'free' } as never);
    // A function, so the compiler does not keep what an assertion narrowed across the gestures.
    const editingId = (): string | undefined => t.editing.target?.shape.id;
    t.gesture([[50, 50]]);
    t.gesture([[50, 50]]);
    assert.equal(editingId(), undefined, 'the first double-click enters the group');
    assert.equal(t.selection.entered, 'g');
    assert.deepEqual(ids(t.selection.ids()), ['n']);
    t.elapse(1000);
    t.gesture([[50, 50]]);
    t.gesture([[50, 50]]);
    assert.equal(editingId(), 'n', 'the next double-click edits the note');
    t.editing.finish();

    t.elapse(1000);
    t.gesture([[50, 350]]);
    t.gesture([[50, 350]]);
    assert.equal(editingId(), 'loose');
    t.editing.finish();
    t.close();
  });

  test('dragging one member moves the whole group in one undo step', () => {
    const t = setup();
    nestedBoard(t);
    assert.deepEqual(t.gesture([[10, 10], [30, 20], [60, 40]]), ['idle', 'pointing', 'dragging', 'idle']);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((id) => t.board.get(id)?.x), [50, 150, 250, 300]);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    t.history.undo();
    assert.deepEqual(['a', 'b', 'c'].map((id) => t.board.get(id)?.x), [0, 100, 200]);
    t.close();
  });

  test('a marquee selects groups whole, or not at all', () => {
    const t = setup();
    nestedBoard(t);
    t.gesture([[-10, -10], [190, 90]]);
    assert.equal(t.selection.size, 0, 'a and b are inside, c is not: group g is not picked');
    t.gesture([[-10, -10], [290, 90]]);
    assert.deepEqual(ids(t.selection.ids()), ['a', 'b', 'c']);
    t.close();
  });

  test('a group resizes and rotates as one, each one undo step', () => {
    const t = setup();
    nestedBoard(t);
    t.gesture([[10, 10]]);
    const handles = selectionHandles(['a', 'b', 'c'].map((id) => t.board.get(id)!), t.camera.viewport().scale)!;
    const se = handles.points.se;
    t.transactions.length = 0;
    t.gesture([[se.x, se.y], [se.x + 280, se.y + 80]]);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    // The handle sits a stroke and a padding off the shapes, so the drag makes the group about twice as wide.
    const xs = ['a', 'b', 'c'].map((id) => t.board.get(id)!.x);
    assert.equal(xs[0], 0);
    assert.ok(Math.abs(xs[1]! - 200) < 5 && Math.abs(xs[2]! - 400) < 10, `every member scaled: ${xs.join()}`);
    assert.equal(t.board.get('d')?.x, 300);
    const rotate = selectionHandles(['a', 'b', 'c'].map((id) => t.board.get(id)!), t.camera.viewport().scale)!.points.rotate;
    t.gesture([[rotate.x, rotate.y], [rotate.x + 400, rotate.y + 200]]);
    assert.equal(t.transactions.length, 2);
    for (const id of ['a', 'b', 'c']) assert.notEqual(t.board.get(id)?.rotation, 0, `${id} turned`);
    assert.equal(t.board.get('d')?.rotation, 0);
    t.history.undo();
    for (const id of ['a', 'b', 'c']) assert.equal(t.board.get(id)?.rotation, 0);
    t.close();
  });

  test('duplicate and paste make new groups nested as the originals; inside an entered group the copy stays in it', () => {
    const t = setup();
    nestedBoard(t);
    t.gesture([[10, 10]]);
    t.transactions.length = 0;
    assert.ok(duplicateSelection(t));
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    const copies = [...t.selection.ids()].map((id) => t.board.get(id)!);
    assert.equal(copies.length, 3);
    const [inner, outer] = copies.find((s) => s.groupIds?.length === 2)!.groupIds!;
    assert.ok(inner !== 'h' && outer !== 'g' && inner !== outer);
    assert.deepEqual(copies.map((s) => s.groupIds), [[inner, outer], [inner, outer], [outer]]);
    assert.equal(t.board.get('a')?.groupIds?.join(), 'h,g', 'the originals keep their groups');

    const pasted = addCopies(t.board, parseShapes(serializeShapes(['a', 'b', 'c'].map((id) => t.board.get(id)!)))!, 16, 16);
    const pastedGroups = pasted.map((id) => t.board.get(id)!.groupIds!);
    assert.equal(new Set(pastedGroups.flat()).size, 2);
    assert.ok(!pastedGroups.flat().some((id) => id === 'g' || id === 'h' || id === inner || id === outer));

    t.selection.enter('g', ['c']);
    assert.ok(duplicateSelection(t));
    const [copy] = [...t.selection.ids()];
    assert.deepEqual(t.board.get(copy!)?.groupIds, ['g'], 'a copy made inside g is in g');
    assert.equal(t.selection.entered, 'g');
    t.close();
  });

  test('lock locks every member, and a locked group is neither picked nor moved; delete removes it whole', () => {
    const t = setup();
    nestedBoard(t);
    t.gesture([[10, 10]]);
    t.transactions.length = 0;
    assert.ok(toggleLock(t));
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((id) => t.board.get(id)?.locked), [true, true, true, false]);
    t.selection.clear();
    t.gesture([[10, 10], [60, 60]]);
    assert.deepEqual(['a', 'b', 'c'].map((id) => t.board.get(id)?.x), [0, 100, 200], 'not moved');
    t.selection.set(['a', 'b', 'c']);
    assert.ok(toggleLock(t));
    t.gesture([[210, 10]]);
    t.transactions.length = 0;
    assert.equal(deleteSelection(t), 3);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assert.deepEqual(t.board.ordered().map((s) => s.id), ['d']);
    t.history.undo();
    assert.equal(t.board.size, 4);
    t.close();
  });

  test('the entered group is left when someone else ungroups it', () => {
    const t = setup();
    nestedBoard(t);
    t.selection.enter('g', ['c']);
    t.board.updateShapes(new Map([['c', { groupIds: null }]]));
    assert.equal(t.selection.entered, null);
    assert.deepEqual(ids(t.selection.ids()), ['c']);
    t.close();
  });
});
