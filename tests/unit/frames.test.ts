/**
 * Frames on the client, on a real Y.Doc: the membership rule (client/model/frames.ts), the frame
 * tool's state machine, the select tool with frames (what a press picks, dragging shapes in and
 * out, dragging and resizing a frame, each one undo step), copies, deletion and export of a frame
 * alone. The document layer beneath is tests/unit/frames-doc.test.ts; two users at once through a
 * real server, tests/integration/frames.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STYLE, NO_LABEL, type FrameShape, type Shape } from '../../shared/schema.ts';
import type { Board } from '../../client/model/board.ts';
import { createHistory } from '../../client/model/history.ts';
import { dropIntoFrames, frameFor, placeInFrame, withChildren } from '../../client/model/frames.ts';
import { shapeAt } from '../../client/model/shape-at.ts';
import { exportSvg } from '../../client/export/svg-export.ts';
import { addCopies, duplicateSelection } from '../../client/tools/actions/duplicate.ts';
import { FRAME_TITLE_BAND } from '../../client/shapes/constants.ts';
import { addRect, createToolHarness } from '../helpers/tool-harness.ts';

function addFrame(board: Board, id: string, x: number, y: number, width = 400, height = 300, name = ''): FrameShape {
  return board.addShape({ ...DEFAULT_STYLE, id, type: 'frame', x, y, width, height, rotation: 0, locked: false, name }) as FrameShape;
}

function rectAt(id: string, x: number, y: number, width = 100, height = 80) {
  return { ...DEFAULT_STYLE, id, type: 'rect' as const, ...NO_LABEL, x, y, width, height, rotation: 0, locked: false };
}

describe('the membership rule', () => {
  test('a shape is in the topmost frame holding its centre, or in none; a frame is in none', () => {
    const t = createToolHarness();
    addFrame(t.board, 'low', 0, 0, 400, 300);
    addFrame(t.board, 'high', 200, 100, 400, 300);
    assert.equal(frameFor(t.board, rectAt('r', 20, 20)), 'low', 'centre (70, 60) only in the lower frame');
    assert.equal(frameFor(t.board, rectAt('r', 250, 150)), 'high', 'centre in both: the topmost');
    assert.equal(frameFor(t.board, rectAt('r', 350, 250, 200, 200)), 'high', 'reaching out, centre (450, 350) inside');
    assert.equal(frameFor(t.board, rectAt('r', 560, 350, 200, 200)), null, 'centre (660, 450) outside every frame, though it overlaps one');
    assert.equal(frameFor(t.board, t.board.get('high')!), null, 'a frame over another is in no frame');
    const placed = placeInFrame(t.board, { ...rectAt('r', 20, 20), frameId: 'high' });
    assert.equal(placed.frameId, 'low', 'placing replaces a frame it is not in');
    assert.equal('frameId' in placeInFrame(t.board, { ...rectAt('r', 900, 900), frameId: 'low' }), false, 'and drops it outside every frame');
    t.close();
  });

  test('a drop: each shape lands in the frame under its centre or leaves; children of a frame moved with it stay', () => {
    const t = createToolHarness();
    addFrame(t.board, 'f', 0, 0);
    addFrame(t.board, 'g', 1000, 0);
    t.board.addShape({ ...rectAt('child', 50, 50), frameId: 'f' });
    addRect(t.board, 'loose', 600, 50);
    assert.deepEqual([...withChildren(t.board, ['f'])].sort(), ['child', 'f']);
    assert.deepEqual(dropIntoFrames(t.board, new Set(['loose']), 450, 0), new Map([['loose', { frameId: 'g' }]]), 'into the other frame');
    assert.deepEqual(dropIntoFrames(t.board, new Set(['child']), 600, 0), new Map([['child', { frameId: null }]]), 'out of its frame');
    assert.deepEqual(dropIntoFrames(t.board, new Set(['child']), 10, 10), new Map(), 'within its frame: nothing to write');
    assert.deepEqual(dropIntoFrames(t.board, new Set(['f', 'child']), 1000, 0), new Map(), 'a frame dropped on another is in none, and keeps its child');
    t.close();
  });
});

describe('the frame tool (F)', () => {
  test('idle → pointing → dragging → idle draws an untitled frame, one undo step; a click or Escape makes nothing', () => {
    const t = createToolHarness('frame');
    const history = createHistory(t.doc);
    assert.deepEqual(t.gesture([[100, 100], [101, 101]]), ['idle', 'pointing', 'idle'], 'a click');
    assert.equal(t.board.size, 0);
    t.toolbox.pointerDown(t.event(100, 100));
    t.toolbox.pointerMove(t.event(300, 250));
    assert.equal(t.toolbox.tool().state, 'dragging');
    assert.equal(t.draft.shape?.type, 'frame', 'the frame follows the pointer in the draft');
    assert.equal(t.toolbox.keyDown({ key: 'Escape', shiftKey: false }), true);
    assert.equal(t.toolbox.tool().state, 'idle');
    assert.equal(t.draft.shape, null);
    assert.deepEqual(t.gesture([[300, 250], [200, 180], [100, 100]]), ['idle', 'pointing', 'dragging', 'idle'], 'drawn from any direction');
    const [frame] = t.board.ordered();
    assert.ok(frame?.type === 'frame');
    assert.deepEqual([frame.x, frame.y, frame.width, frame.height, frame.name, frame.rotation, frame.frameId], [100, 100, 200, 150, '', 0, undefined]);
    assert.equal(t.transactions.length, 1, 'one write');
    assert.ok(history.undo());
    assert.equal(t.board.size, 0);
    history.close();
    t.close();
  });

  test('a frame drawn over another is in no frame, and shapes drawn inside any tool are its children, in the same write', () => {
    const t = createToolHarness('frame');
    t.gesture([[0, 0], [200, 200], [400, 300]]);
    t.gesture([[100, 100], [200, 200], [300, 250]]);
    const frames = t.board.ordered();
    assert.deepEqual(frames.map((f) => f.frameId), [undefined, undefined]);
    const top = frames[1]!;
    const before = t.transactions.length;
    t.toolbox.setTool('rectangle');
    t.gesture([[120, 120], [150, 150], [180, 170]]);
    t.toolbox.setTool('pen');
    t.gesture([[20, 20], [30, 40], [50, 30]]);
    t.toolbox.setTool('sticky');
    t.gesture([[1000, 1000]]);
    t.editing.setText('far');
    t.editing.finish();
    const [rect, ink, sticky] = t.board.ordered().slice(2);
    assert.equal(rect?.frameId, top.id, 'a rectangle inside both frames: the topmost');
    assert.equal(ink?.frameId, frames[0]!.id, 'a stroke in the lower frame only');
    assert.equal(sticky?.frameId, undefined, 'a note outside every frame');
    assert.equal(t.transactions.length - before, 3, 'each shape is one write, its frame included');
    t.close();
  });
});

describe('the select tool with frames', () => {
  test('a press picks a frame by its title or edge, never its inside (which reaches its children and the board); frames are picked below shapes', () => {
    const t = createToolHarness();
    addRect(t.board, 'under', 120, 120, 40, 40);
    addFrame(t.board, 'f', 100, 100, 400, 300);
    t.board.addShape({ ...rectAt('child', 300, 200), frameId: 'f' });
    assert.equal(shapeAt(t.board, { x: 110, y: 100 - FRAME_TITLE_BAND / 2 }, 2)?.id, 'f', 'the title');
    assert.equal(shapeAt(t.board, { x: 100, y: 250 }, 2)?.id, 'f', 'the left edge');
    assert.equal(shapeAt(t.board, { x: 250, y: 350 }, 2), null, 'the empty inside');
    assert.equal(shapeAt(t.board, { x: 330, y: 230 }, 2)?.id, 'child', 'a child');
    assert.equal(shapeAt(t.board, { x: 121, y: 140 }, 2)?.id, 'under', 'a shape drawn above the frame, though its index is lower');
    // A drag on the inside is a marquee: it selects what it encloses, not the frame.
    assert.deepEqual(t.gesture([[280, 180], [350, 250], [420, 300]]), ['idle', 'pointing', 'marquee', 'idle']);
    assert.deepEqual([...t.selection.ids()], ['child']);
    t.close();
  });

  test('dragging a shape into a frame makes it a child, out again leaves; each drop one undo step back to exactly what was', () => {
    const t = createToolHarness();
    const history = createHistory(t.doc);
    addFrame(t.board, 'f', 0, 0, 400, 300);
    const loose = addRect(t.board, 'r', 600, 100);
    t.gesture([[650, 140], [400, 140], [250, 140]]);
    assert.deepEqual([t.board.get('r')?.x, t.board.get('r')?.frameId], [200, 'f'], 'dropped inside: a child, where it was dropped');
    const child = t.board.get('r')!;
    t.gesture([[250, 140], [500, 140], [850, 140]]);
    assert.deepEqual([t.board.get('r')?.x, t.board.get('r')?.frameId], [800, undefined], 'dragged out: in no frame');
    assert.ok(history.undo());
    assert.deepEqual(t.board.get('r'), child, 'undoing the drag out puts it back in the frame');
    assert.ok(history.undo());
    assert.deepEqual(t.board.get('r'), loose, 'undoing the drag in restores it exactly');
    assert.deepEqual(t.board.ordered().map((shape) => shape.id), ['f', 'r'], 'each drag was one step: the adds are still there');
    history.close();
    t.close();
  });

  test('dragging a frame moves its children with it, shown moving while it is dragged; one undo step', () => {
    const t = createToolHarness();
    const history = createHistory(t.doc);
    addFrame(t.board, 'f', 0, 0, 400, 300);
    t.board.addShape({ ...rectAt('child', 350, 200), frameId: 'f' });
    addRect(t.board, 'loose', 600, 100);
    const before = t.board.ordered();
    // By the title, 100 right and 50 down, held.
    t.toolbox.pointerDown(t.event(10, -FRAME_TITLE_BAND / 2));
    t.toolbox.pointerMove(t.event(60, -FRAME_TITLE_BAND / 2 + 25));
    t.toolbox.pointerMove(t.event(110, -FRAME_TITLE_BAND / 2 + 50));
    assert.equal(t.toolbox.tool().state, 'dragging');
    assert.deepEqual([t.shown('f')?.x, t.shown('child')?.x, t.shown('child')?.y, t.shown('loose')?.x], [100, 450, 250, 600], 'the child is shown moving with its frame');
    assert.deepEqual([t.board.get('child')?.x], [350], 'nothing written yet');
    const writes = t.transactions.length;
    t.toolbox.pointerUp(t.event(110, -FRAME_TITLE_BAND / 2 + 50));
    assert.equal(t.transactions.length - writes, 1, 'one write');
    assert.deepEqual([t.board.get('f')?.x, t.board.get('child')?.x, t.board.get('child')?.y, t.board.get('child')?.frameId], [100, 450, 250, 'f']);
    assert.ok(history.undo());
    assert.deepEqual(t.board.ordered(), before);
    history.close();
    t.close();
  });

  test('resizing a frame from its top-left corner neither moves nor scales its children; frames are left out of rotations', () => {
    const t = createToolHarness();
    addFrame(t.board, 'f', 100, 100, 400, 300);
    t.board.addShape({ ...rectAt('child', 200, 200), frameId: 'f' });
    t.selection.set(['f']);
    // The north-west handle sits 5 px out from the frame's bounds, which include its title band.
    const nw = { x: 100 - 0.5 - 5, y: 100 - FRAME_TITLE_BAND - 5 };
    t.gesture([[nw.x, nw.y], [nw.x - 25, nw.y - 25], [nw.x - 50, nw.y - 50]]);
    const frame = t.board.get('f') as FrameShape;
    assert.ok(frame.x < 100 && frame.y < 100 && frame.width > 400, `resized: ${JSON.stringify(frame)}`);
    assert.deepEqual([t.board.get('child')?.x, t.board.get('child')?.y, t.board.get('child')?.frameId], [200, 200, 'f'], 'the child stays where it was');
    t.close();
  });

  test('deleting a frame deletes its children, and one undo brings all back', () => {
    const t = createToolHarness();
    const history = createHistory(t.doc);
    addFrame(t.board, 'f', 0, 0);
    t.board.addShape({ ...rectAt('child', 50, 50), frameId: 'f' });
    const before = t.board.ordered();
    t.selection.set(['f']);
    assert.equal(t.toolbox.keyDown({ key: 'Delete', shiftKey: false }), true);
    assert.equal(t.board.size, 0);
    assert.ok(history.undo());
    assert.deepEqual(t.board.ordered(), before);
    history.close();
    t.close();
  });
});

describe('copies and export of frames', () => {
  test('duplicating a frame copies its children into the copy; a pasted shape lands in the frame under it; each one undo step', () => {
    const t = createToolHarness();
    const history = createHistory(t.doc);
    addFrame(t.board, 'f', 0, 0);
    t.board.addShape({ ...rectAt('child', 50, 50), frameId: 'f' });
    t.selection.set(['f']);
    assert.ok(duplicateSelection(t));
    const copies = t.board.ordered().filter((shape) => shape.id !== 'f' && shape.id !== 'child');
    const frameCopy = copies.find((shape) => shape.type === 'frame')!;
    const childCopy = copies.find((shape) => shape.type === 'rect')!;
    assert.deepEqual([frameCopy.x, childCopy.x, childCopy.frameId], [16, 66, frameCopy.id], 'the child copy is in the frame copy');
    assert.equal(t.board.get('child')?.frameId, 'f', 'the original stays in its frame');
    assert.ok(history.undo());
    assert.equal(t.board.size, 2, 'one undo takes both copies back');

    const [pasted] = addCopies(t.board, [rectAt('elsewhere', 2000, 2000) as unknown as Shape], -1900, -1900);
    assert.equal(t.board.get(pasted!)?.frameId, 'f', 'a paste that lands inside the frame is its child');
    history.close();
    t.close();
  });

  test('a frame exported alone as SVG: the frame and its children, its box as the picture, the children clipped to it', () => {
    const t = createToolHarness();
    const frame = addFrame(t.board, 'f', 100, 50, 400, 300, 'Plan');
    t.board.addShape({ ...rectAt('child', 450, 100), frameId: 'f' });
    const shapes = t.board.ordered();
    const svg = exportSvg(shapes, { region: { x: frame.x, y: frame.y, width: frame.width, height: frame.height } });
    assert.match(svg, /viewBox="100 50 400 300"/);
    assert.match(svg, /<clipPath id="frame-clip-0"><rect x="100" y="50" width="400" height="300"\/><\/clipPath>\n<g clip-path="url\(#frame-clip-0\)">\n<g data-id="child"/);
    assert.match(svg, /<text[^>]*>Plan<\/text>/, 'the title is in the markup (outside the picture, above the box)');
    t.close();
  });
});
