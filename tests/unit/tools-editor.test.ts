import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BOUND_END_GAP } from '../../client/model/bound-ends.ts';
import { shapeText } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { createHistory } from '../../client/model/history.ts';
import { arrangeSelection } from '../../client/tools/actions/arrange.ts';
import { duplicateSelection } from '../../client/tools/actions/duplicate.ts';
import { toggleLock } from '../../client/tools/actions/lock.ts';
import { restyleSelection } from '../../client/tools/actions/restyle.ts';
import { parseShapes, serializeShapes } from '../../client/model/clipboard-data.ts';
import { matchesCombo } from '../../client/ui/keymap.ts';
import { selectionHandles } from '../../client/model/selection-handles.ts';
import type { ToolId } from '../../client/tools/toolbox.ts';
import { addRect, createToolHarness, onlyShape } from '../helpers/tool-harness.ts';

/** The tool harness plus the local user's undo history. */
function setup(initialTool: ToolId = 'select') {
  const t = createToolHarness(initialTool);
  const history = createHistory(t.doc);
  const close = (): void => {
    history.close();
    t.close();
  };
  return { ...t, history, close };
}

describe('hand tool', () => {
  test('the pressed board point stays under the pointer; nothing is written', () => {
    const t = setup('hand');
    t.camera.zoomAt({ x: 0, y: 0 }, 2);
    // The pointer moves on screen; each event is turned into board units with the camera of that moment.
    const at = (sx: number, sy: number) => {
      const v = t.camera.viewport();
      return t.event((sx - v.x) / v.scale, (sy - v.y) / v.scale);
    };
    t.toolbox.pointerDown(at(20, 20));
    assert.equal(t.toolbox.tool().state, 'panning');
    t.toolbox.pointerMove(at(50, 30));
    t.toolbox.pointerMove(at(120, 60));
    t.toolbox.pointerUp(at(120, 60));
    assert.equal(t.toolbox.tool().state, 'idle');
    assert.deepEqual(t.camera.viewport(), { x: 100, y: 40, scale: 2 }, 'panned by the pointer’s travel on screen');
    assert.deepEqual(t.transactions, []);
    t.close();
  });
});

describe('diamond, line and arrow tools', () => {
  test('diamond draws a box shape of type diamond in one transaction', () => {
    const t = setup('diamond');
    assert.deepEqual(t.gesture([[10, 10], [50, 40], [110, 90]]), ['idle', 'pointing', 'dragging', 'idle']);
    const shape = onlyShape(t.board);
    assert.equal(shape.type, 'diamond');
    assert.deepEqual(shape.type === 'diamond' && [shape.x, shape.y, shape.width, shape.height], [10, 10, 100, 80]);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    t.close();
  });

  test('line: from press to release, relative points; Shift snaps the angle', () => {
    const t = setup('line');
    t.gesture([[100, 100], [150, 120], [200, 110]]);
    const line = onlyShape(t.board);
    assert.ok(line.type === 'line');
    assert.deepEqual([line.x, line.y, line.points], [100, 100, [0, 0, 100, 10]]);
    assert.equal(line.endArrowhead, 'none');
    t.board.deleteShapes([line.id]);
    t.gesture([[0, 0], [100, 8]], { shiftKey: true });
    const snapped = onlyShape(t.board);
    assert.ok(snapped.type === 'line');
    assert.equal(snapped.points[3], 0, 'snapped to horizontal');
    t.close();
  });

  test('arrow: ends dropped on shapes bind to them where the pointer was; a moved shape takes the end along in one transaction (one undo step)', () => {
    const t = setup('arrow');
    addRect(t.board, 'from', 0, 0);
    addRect(t.board, 'to', 300, 0);
    t.gesture([[50, 40], [200, 40], [350, 40]]);
    const arrow = t.board.ordered().find((s) => s.type === 'arrow');
    assert.ok(arrow && arrow.type === 'arrow');
    assert.deepEqual([arrow.startBinding, arrow.endBinding, arrow.endArrowhead], ['from', 'to', 'arrow']);
    assert.deepEqual([arrow.startAnchor, arrow.endAnchor], [{ x: 0.5, y: 0.5 }, { x: 0.5, y: 0.5 }], 'anchored where the pointer was');
    // The board derives the ends from the anchors: each stops a gap short of its shape's edge.
    const gap = BOUND_END_GAP + arrow.strokeWidth / 2;
    assert.deepEqual([arrow.x, arrow.y, arrow.points], [100 + gap, 40, [0, 0, 200 - 2 * gap, 0]]);

    t.toolbox.setTool('select');
    t.selection.set(['to']);
    t.transactions.length = 0;
    t.gesture([[350, 20], [400, 70], [450, 120]]);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'one transaction');
    const moved = t.board.get(arrow.id);
    assert.ok(moved?.type === 'arrow');
    // From anchor (50, 40) to anchor (450, 140): the ends meet the right edge of 'from' and the
    // left edge of 'to', a gap short.
    const [cos, sin] = [400 / Math.hypot(400, 100), 100 / Math.hypot(400, 100)];
    const start = { x: 100 + gap * cos, y: 52.5 + gap * sin };
    const end = { x: 400 - gap * cos, y: 127.5 - gap * sin };
    const near = (a: number, b: number): boolean => Math.abs(a - b) < 0.02;
    assert.ok(near(moved.x, start.x) && near(moved.y, start.y), `the start turned on its shape: ${moved.x}, ${moved.y}`);
    assert.ok(near(moved.x + moved.points[2]!, end.x) && near(moved.y + moved.points[3]!, end.y), `the end followed: ${JSON.stringify(moved.points)}`);
    t.history.undo();
    assert.deepEqual(t.board.get(arrow.id)?.type === 'arrow' && t.board.get(arrow.id), arrow, 'one undo puts both back');
    assert.equal(t.board.get('to')?.x, 300);
    t.close();
  });
});

describe('text and sticky tools', () => {
  test('click places a text; typing is written as it is typed, one undo step per burst', () => {
    const t = setup('text');
    t.toolbox.pointerDown(t.event(100, 100));
    t.toolbox.pointerUp(t.event(100, 100));
    assert.equal(t.toolbox.tool().state, 'editing');
    assert.equal(t.board.size, 0);
    t.editing.setText(' ');
    assert.equal(t.board.size, 0, 'nothing is added before a visible character');
    t.editing.setText('Hello');
    assert.equal((onlyShape(t.board) as { text: string }).text, 'Hello', 'the first characters add the shape');
    t.editing.setText('Hello board');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN, LOCAL_ORIGIN]);
    assert.equal(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }), true);
    assert.equal(t.toolbox.tool().state, 'idle');
    const text = onlyShape(t.board);
    assert.ok(text.type === 'text');
    assert.equal(text.text, 'Hello board');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN, LOCAL_ORIGIN], 'finishing writes nothing more');
    t.history.undo();
    assert.equal(t.board.size, 0, 'one undo takes back the burst and the shape it added');
    t.close();
  });

  test('an empty new text writes nothing; emptying an existing text deletes it', () => {
    const t = setup('text');
    t.toolbox.pointerDown(t.event(100, 100));
    t.editing.finish('   ');
    assert.equal(t.board.size, 0);
    t.toolbox.pointerDown(t.event(100, 100));
    t.editing.finish('x');
    const text = onlyShape(t.board);
    t.toolbox.pointerDown(t.event(text.x + 2, text.y + 5));
    assert.equal(t.editing.target?.shape.id, text.id, 'a click on a text edits it');
    t.editing.finish('');
    assert.equal(t.board.size, 0);
    t.close();
  });

  test('double-click with the select tool edits a text; Enter-finish updates only its text', () => {
    const t = setup('text');
    t.toolbox.pointerDown(t.event(100, 100));
    t.editing.finish('first');
    t.toolbox.setTool('select');
    const text = onlyShape(t.board);
    t.gesture([[text.x + 5, text.y + 5]]);
    t.gesture([[text.x + 5, text.y + 5]]);
    assert.equal(t.editing.target?.shape.id, text.id);
    t.transactions.length = 0;
    t.editing.finish('second');
    assert.equal(t.board.get(text.id)?.type === 'text' && (t.board.get(text.id) as { text: string }).text, 'second');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    t.close();
  });

  test('a click on the empty board between two clicks on a box makes no double-click: the second press drags', () => {
    const t = setup('rectangle');
    t.gesture([[100, 100], [150, 150], [200, 200]]);
    const box = onlyShape(t.board);
    t.toolbox.setTool('select');
    t.gesture([[150, 150]]);
    t.gesture([[600, 600]]);
    t.gesture([[150, 150], [150, 200], [150, 250]]);
    assert.equal(t.editing.target, null, 'no label editor');
    assert.equal(t.board.get(box.id)?.y, box.y + 100, 'the box was dragged');
    t.close();
  });

  test('double-click on an arrow edits its label; the first keystroke stores the text, which moves with the arrow', () => {
    const t = setup('arrow');
    t.gesture([[100, 100], [200, 100], [300, 100]]);
    const drawn = onlyShape(t.board);
    assert.ok(drawn.type === 'arrow');
    assert.equal(shapeText(t.doc, drawn.id), null, 'no Y.Text for an unlabelled arrow');
    t.toolbox.setTool('select');
    t.gesture([[200, 100]]);
    t.gesture([[200, 100]]);
    assert.equal(t.editing.target?.shape.id, drawn.id, 'the editor opened on the arrow');
    t.editing.setText('label');
    assert.equal(shapeText(t.doc, drawn.id)?.toString(), 'label', 'the first keystroke made the Y.Text');
    assert.equal((t.board.get(drawn.id) as { text: string }).text, 'label');
    t.editing.finish('label');
    t.close();
  });

  test('sticky: a click places a note centred on the pointer, written with its text', () => {
    const t = setup('sticky');
    t.toolbox.pointerDown(t.event(300, 300));
    assert.equal(t.toolbox.tool().state, 'editing');
    t.editing.finish('note');
    const note = onlyShape(t.board);
    assert.ok(note.type === 'sticky');
    assert.deepEqual([note.x, note.y, note.width, note.height, note.text, note.fillStyle], [200, 200, 200, 200, 'note', 'solid']);
    t.close();
  });
});

describe('eraser and laser', () => {
  test('eraser: everything swept over goes in one transaction on release; locked shapes stay', () => {
    const t = setup('eraser');
    addRect(t.board, 'a', 0, 0);
    addRect(t.board, 'b', 200, 0);
    addRect(t.board, 'c', 400, 0);
    t.board.updateShapes(new Map([['c', { locked: true }]]));
    t.transactions.length = 0;
    t.toolbox.pointerDown(t.event(-5, 40));
    t.toolbox.pointerMove(t.event(250, 40));
    assert.deepEqual([...(t.draft.erased ?? [])].sort(), ['a', 'b'], 'shown as erased while sweeping');
    assert.equal(t.board.size, 3);
    t.toolbox.pointerMove(t.event(450, 40));
    t.toolbox.pointerUp(t.event(450, 40));
    assert.deepEqual(t.board.ordered().map((s) => s.id), ['c']);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assert.equal(t.draft.erased, null);
    t.history.undo();
    assert.equal(t.board.size, 3, 'one undo brings both back');
    t.close();
  });

  test('laser: a trail that fades, never written', () => {
    const t = setup('laser');
    assert.deepEqual(t.gesture([[0, 0], [10, 10], [20, 20]]), ['idle', 'pointing', 'idle']);
    assert.equal(t.laser.points().length, 3);
    assert.deepEqual(t.transactions, []);
    const last = t.laser.points().at(-1)!.t;
    assert.equal(t.laser.prune(last + 500), true);
    assert.equal(t.laser.prune(last + 1001), false);
    assert.equal(t.laser.points().length, 0);
    t.close();
  });
});

describe('select tool: marquee, resize, rotate', () => {
  test('a marquee selects the shapes fully inside it; Shift adds to the selection', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0, 50, 50);
    addRect(t.board, 'b', 100, 0, 50, 50);
    addRect(t.board, 'c', 300, 0, 50, 50);
    assert.deepEqual(t.gesture([[-10, -10], [100, 100], [160, 60]]), ['idle', 'pointing', 'marquee', 'idle']);
    assert.deepEqual([...t.selection.ids()].sort(), ['a', 'b']);
    assert.equal(t.draft.marquee, null);
    t.gesture([[290, -10], [360, 60]], { shiftKey: true });
    assert.deepEqual([...t.selection.ids()].sort(), ['a', 'b', 'c']);
    assert.deepEqual(t.transactions.length, 3, 'only the three adds were written');
    t.close();
  });

  test('dragging a corner handle resizes (Shift keeps the ratio) in one transaction', () => {
    const t = setup('select');
    addRect(t.board, 'r', 0, 0, 100, 50);
    t.selection.set(['r']);
    const handles = selectionHandles([t.board.get('r')!], 1)!;
    t.transactions.length = 0;
    const se = handles.points.se;
    assert.deepEqual(t.gesture([[se.x, se.y], [150, 80], [200, 100]]), ['idle', 'resizing', 'idle']);
    let r = t.board.get('r');
    assert.ok(r?.type === 'rect');
    assert.deepEqual([r.x, r.y], [0, 0], 'the opposite corner stays put');
    assert.ok(Math.abs(r.width - 199) < 2 && Math.abs(r.height - 99) < 2, `resized to ${r.width}×${r.height}`);
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);

    const h2 = selectionHandles([r], 1)!.points.se;
    t.gesture([[h2.x, h2.y], [r.width * 2, r.height * 1.1]], { shiftKey: true });
    r = t.board.get('r');
    assert.ok(r?.type === 'rect');
    assert.ok(Math.abs(r.width / r.height - 2) < 0.05, `ratio kept: ${r.width}×${r.height}`);
    t.close();
  });

  test('the rotate handle turns the selection about its centre; Shift snaps to 15°', () => {
    const t = setup('select');
    addRect(t.board, 'r', 0, 0, 100, 100);
    t.selection.set(['r']);
    const handle = selectionHandles([t.board.get('r')!], 1)!.points.rotate;
    // From straight above the centre (50, 50) to straight right of it: a quarter turn.
    assert.deepEqual(t.gesture([[handle.x, handle.y], [120, 10], [150, 47]], { shiftKey: true }), ['idle', 'rotating', 'idle']);
    const r = t.board.get('r')!;
    assert.equal(r.rotation, 90);
    assert.deepEqual([r.x, r.y], [100, 0], 'the origin turned about the centre');
    t.close();
  });

  test('Escape clears the selection; during a resize it abandons the resize', () => {
    const t = setup('select');
    addRect(t.board, 'r', 0, 0, 100, 100);
    t.selection.set(['r']);
    const se = selectionHandles([t.board.get('r')!], 1)!.points.se;
    t.toolbox.pointerDown(t.event(se.x, se.y));
    t.toolbox.pointerMove(t.event(300, 300));
    assert.ok(t.draft.overrides?.has('r'));
    t.toolbox.keyDown({ key: 'Escape', shiftKey: false });
    assert.equal(t.draft.overrides, null);
    assert.equal(t.selection.size, 1);
    t.toolbox.keyDown({ key: 'Escape', shiftKey: false });
    assert.equal(t.selection.size, 0);
    assert.equal(t.board.get('r')?.type === 'rect' && (t.board.get('r') as { width: number }).width, 100);
    t.close();
  });
});

describe('actions', () => {
  test('z-order: forward, backward, front and back each one transaction, fractional indices', () => {
    const t = setup();
    for (const id of ['a', 'b', 'c', 'd']) addRect(t.board, id, 0, 0);
    const order = () => t.board.ordered().map((s) => s.id).join('');
    t.selection.set(['a']);
    t.transactions.length = 0;
    assert.ok(arrangeSelection(t, 'forward'));
    assert.equal(order(), 'bacd');
    assert.ok(arrangeSelection(t, 'front'));
    assert.equal(order(), 'bcda');
    assert.equal(arrangeSelection(t, 'forward'), false, 'already on top');
    t.selection.set(['d', 'a']);
    assert.ok(arrangeSelection(t, 'back'));
    assert.equal(order(), 'dabc');
    t.selection.set(['c']);
    assert.ok(arrangeSelection(t, 'backward'));
    assert.equal(order(), 'dacb');
    assert.equal(t.transactions.length, 4);
    t.history.undo();
    assert.equal(order(), 'dabc');
    t.close();
  });

  test('duplicate copies the selection with new ids, offset, selected, in one step', () => {
    const t = setup();
    addRect(t.board, 'a', 10, 10);
    t.selection.set(['a']);
    t.transactions.length = 0;
    assert.ok(duplicateSelection(t));
    assert.equal(t.board.size, 2);
    const [copyId] = [...t.selection.ids()];
    assert.notEqual(copyId, 'a');
    assert.deepEqual([t.board.get(copyId!)?.x, t.board.get(copyId!)?.y], [26, 26]);
    assert.equal(t.transactions.length, 1);
    t.close();
  });

  test('lock freezes shapes (no pick, no move, no restyle); unlock gives them back', () => {
    const t = setup('select');
    addRect(t.board, 'a', 0, 0);
    t.selection.set(['a']);
    assert.ok(toggleLock(t));
    assert.equal(t.board.get('a')?.locked, true);
    assert.equal(restyleSelection(t, { strokeColor: '#e03131' }), false);
    t.board.moveShapes(['a'], 10, 10);
    assert.equal(t.board.get('a')?.x, 0);
    assert.ok(toggleLock(t));
    assert.equal(t.board.get('a')?.locked, false);
    assert.ok(restyleSelection(t, { strokeColor: '#e03131', strokeWidth: 4 }));
    assert.deepEqual([t.board.get('a')?.strokeColor, t.board.get('a')?.strokeWidth], ['#e03131', 4]);
    t.close();
  });

  test('clipboard text round-trips shapes through the schema gate; other text is not shapes', () => {
    const t = setup();
    const shape = addRect(t.board, 'a', 5, 6);
    const parsed = parseShapes(serializeShapes([shape]));
    assert.deepEqual(parsed, [shape]);
    assert.equal(parseShapes('hello'), null);
    assert.deepEqual(parseShapes(JSON.stringify({ type: 'easel/clipboard', shapes: [{ id: 'x', type: 'nope' }] })), []);
    t.close();
  });

  test('key combinations', () => {
    const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; code: string }> = {}) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    assert.ok(matchesCombo(press('z', { ctrlKey: true }), 'Mod+Z'));
    assert.ok(matchesCombo(press('z', { metaKey: true }), 'Mod+Z'));
    assert.ok(!matchesCombo(press('Z', { ctrlKey: true, shiftKey: true }), 'Mod+Z'));
    assert.ok(matchesCombo(press('Z', { ctrlKey: true, shiftKey: true }), 'Mod+Shift+Z'));
    assert.ok(matchesCombo(press('?', { shiftKey: true }), '?'));
    assert.ok(matchesCombo(press('}', { ctrlKey: true, shiftKey: true, code: 'BracketRight' }), 'Mod+Shift+]'));
    assert.ok(!matchesCombo(press('}', { ctrlKey: true, shiftKey: true, code: 'BracketRight' }), 'Mod+]'));
    assert.ok(matchesCombo(press('!', { shiftKey: true, code: 'Digit1' }), 'Shift+1'));
    assert.ok(matchesCombo(press('+', { ctrlKey: true, shiftKey: true }), 'Mod++'));
  });
});
