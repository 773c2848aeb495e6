/**
 * Labels in boxes (rectangle, ellipse, diamond, note): where each type's text area is, how a
 * label wraps and aligns there, how much a box grows for it; that typing into a box with no label
 * yet makes its text live, grows the box in the typing's transaction and undoes as one burst;
 * that the SVG export draws the label aligned as chosen; that a copy keeps it; and that the
 * alignment the style panel sets reaches selected boxes (one undo step) and boxes drawn after.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { shapeText } from '../../shared/doc.ts';
import { DEFAULT_STYLE, NO_LABEL, type RectShape, type Shape, type StickyShape } from '../../shared/schema.ts';
import { createBoard, type NewShape } from '../../client/model/board.ts';
import { parseShapes, serializeShapes } from '../../client/model/clipboard-data.ts';
import { createCamera } from '../../client/model/camera.ts';
import { createDraft } from '../../client/model/draft.ts';
import { createHistory, TYPING_BURST_PAUSE_MS } from '../../client/model/history.ts';
import { createLaser } from '../../client/model/laser.ts';
import { createSelection } from '../../client/model/selection.ts';
import { createTextEditing } from '../../client/model/text-editing.ts';
import { exportSvg } from '../../client/export/svg-export.ts';
import {
  DIAMOND_INSET,
  ELLIPSE_INSET,
  fitLabel,
  labelAnchorX,
  labelArea,
  labelLinesFitting,
  labelNeededHeight,
  labelTop,
  linesHeight,
  RECT_INSET,
  STICKY_INSET,
  wrapLabel,
} from '../../client/shapes/box-label.ts';
import { LINE_HEIGHT } from '../../client/shapes/constants.ts';
import { shapeUtil } from '../../client/shapes/registry.ts';
import { restyleSelection } from '../../client/tools/actions/restyle.ts';
import { createToolbox } from '../../client/tools/toolbox.ts';
import type { BoardPointerEvent } from '../../client/tools/tool.ts';

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false };
const rect = (fields: Partial<RectShape> = {}): Omit<RectShape, 'index'> => ({ ...base, ...NO_LABEL, id: 'r', type: 'rect', x: 0, y: 0, width: 200, height: 100, ...fields });

describe('label layout', () => {
  test('each type has its text area: a padded rectangle, the box inscribed in an ellipse or a diamond', () => {
    const size = { width: 200, height: 100 };
    assert.deepEqual(labelArea(size, RECT_INSET), { x: 8, y: 8, width: 184, height: 84 });
    assert.deepEqual(labelArea(size, STICKY_INSET), { x: 12, y: 12, width: 176, height: 76 });
    const inEllipse = labelArea(size, ELLIPSE_INSET);
    // Every corner of the ellipse's text area is inside the ellipse.
    for (const [x, y] of [
      [inEllipse.x, inEllipse.y],
      [inEllipse.x + inEllipse.width, inEllipse.y + inEllipse.height],
    ] as const) {
      const nx = (x - 100) / 100;
      const ny = (y - 50) / 50;
      assert.ok(nx * nx + ny * ny < 1, `(${x}, ${y}) is inside the ellipse`);
    }
    const inDiamond = labelArea(size, DIAMOND_INSET);
    assert.deepEqual(inDiamond, { x: 54, y: 29, width: 92, height: 42 });
    assert.ok(Math.abs(inDiamond.x - 100) / 100 + Math.abs(inDiamond.y - 50) / 50 < 1, 'the corner is inside the diamond');
    // A box too small for its padding still lays text out, in its middle.
    assert.deepEqual(labelArea({ width: 10, height: 4 }, RECT_INSET), { x: 4.5, y: 1.5, width: 1, height: 1 });
  });

  test('wrapping breaks at words by estimated width, breaks words longer than a line, keeps new lines', () => {
    // 20 px font: a character is estimated at 12 px, so 120 px holds 10 characters.
    assert.deepEqual(wrapLabel('one two three four', 120, 20), ['one two', 'three four']);
    assert.deepEqual(wrapLabel('abcdefghijklmnopqrstuvwxy', 120, 20), ['abcdefghij', 'klmnopqrst', 'uvwxy']);
    assert.deepEqual(wrapLabel('a\n\nb c', 120, 20), ['a', '', 'b c']);
    assert.deepEqual(wrapLabel('', 120, 20), ['']);
    assert.deepEqual(wrapLabel('tiny', 1, 20), ['t', 'i', 'n', 'y'], 'a text area narrower than a character holds one a line');
  });

  test('alignment puts the lines at the left, middle or right, and at the top, middle or bottom', () => {
    const area = { x: 10, y: 20, width: 100, height: 60 };
    assert.deepEqual(
      (['left', 'center', 'right'] as const).map((align) => labelAnchorX(area, align)),
      [10, 60, 110],
    );
    const textHeight = linesHeight(2, 16);
    assert.equal(textHeight, 2 * 16 * LINE_HEIGHT);
    assert.deepEqual(
      (['top', 'middle', 'bottom'] as const).map((align) => labelTop(area, textHeight, align)),
      [20, 20 + (60 - 40) / 2, 80 - 40],
    );
  });

  test('a box needs more height only when its wrapped label does not fit; it grows and never shrinks', () => {
    const box = { width: 200, height: 100, fontSize: 20 };
    assert.equal(labelNeededHeight(box, '', RECT_INSET), 100);
    assert.equal(fitLabel(box, 'fits on one line', RECT_INSET), null);
    // 184 px wide holds 15 characters a line: 40 words of 4 letters take 14 lines of 25 px.
    const long = Array.from({ length: 40 }, () => 'word').join(' ');
    assert.equal(wrapLabel(long, 184, 20).length, 14);
    assert.deepEqual(fitLabel(box, long, RECT_INSET), { height: 14 * 25 + 16 });
    // An ellipse holds less of its box, so it grows more for the same text.
    const inEllipse = fitLabel(box, long, ELLIPSE_INSET);
    assert.ok(inEllipse !== null && inEllipse.height > 14 * 25 + 16, `an ellipse grows to ${inEllipse?.height}`);
    assert.equal(fitLabel({ ...box, height: 1000 }, long, RECT_INSET), null, 'a tall box keeps its height');
  });

  test('every box type answers fit through its util, and a text shape does not grow', () => {
    const long = Array.from({ length: 60 }, () => 'word').join(' ');
    for (const type of ['rect', 'ellipse', 'diamond'] as const) {
      const shape = { ...rect(), type } as NewShape;
      const fitted = shapeUtil(shape).text?.fit?.(shape, long);
      assert.ok(fitted !== null && fitted !== undefined && (fitted as { height: number }).height > 100, type);
      assert.deepEqual(Object.keys(fitted!), ['height'], `${type}: only the height changes, so the top edge stays`);
    }
    const note: NewShape = { ...base, id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, text: '', width: 200, height: 200 };
    assert.ok(((shapeUtil(note).text?.fit?.(note, long) as { height: number } | null)?.height ?? 0) > 200, 'a note grows');
    const text: NewShape = { ...base, id: 't', type: 'text', x: 0, y: 0, text: '', width: 0 };
    assert.equal(shapeUtil(text).text?.fit, undefined);
  });

  test('the canvas layout and the editor put the label in the text area, aligned as chosen', () => {
    const shape = rect({ text: 'Hi', textAlign: 'right', verticalAlign: 'bottom' });
    const layout = shapeUtil(shape).text!.layout(shape);
    assert.deepEqual(
      [layout.x, layout.y, layout.width, layout.height, layout.align, layout.verticalAlign, layout.wrap, layout.text],
      [8, 8, 184, 84, 'right', 'bottom', 'word', 'Hi'],
    );
    const editor = shapeUtil(shape).text!.editorBox(shape, 'Hi', 2);
    assert.deepEqual([editor.width, editor.height, editor.align, editor.verticalAlign], [400, 200, 'right', 'bottom']);
    assert.deepEqual(editor.inset, { left: 16, top: 16, right: 16, bottom: 16 });
  });
});

describe('SVG export of labels', () => {
  const svgOf = (shape: NewShape): string => {
    const board = createBoard(new Y.Doc());
    board.addShape(shape);
    const svg = exportSvg(board.ordered());
    board.close();
    return svg;
  };

  test('a centred label is wrapped and anchored at the middle of the text area, its lines around the middle', () => {
    const svg = svgOf(rect({ text: 'one two three four', width: 136, height: 100 }));
    // 120 px of text area holds 10 characters: two lines of 25 px, centred in 84 px from y 8.
    assert.match(svg, /<rect width="136" height="100"[^>]*\/><text [^>]*text-anchor="middle"[^>]*><tspan x="68" y="37.5">one two<\/tspan><tspan x="68" y="62.5">three four<\/tspan><\/text>/);
  });

  test('left and top put the lines at the start of the text area; right and bottom at its end', () => {
    const topLeft = svgOf(rect({ text: 'Label', textAlign: 'left', verticalAlign: 'top' }));
    assert.match(topLeft, /<text (?![^>]*text-anchor)[^>]*><tspan x="8" y="20.5">Label<\/tspan>/);
    const bottomRight = svgOf(rect({ text: 'Label', textAlign: 'right', verticalAlign: 'bottom' }));
    assert.match(bottomRight, /<text [^>]*text-anchor="end"[^>]*><tspan x="192" y="79.5">Label<\/tspan>/);
  });

  test('an ellipse and a diamond put their label in their inscribed box; an empty label exports nothing', () => {
    const ellipse = svgOf({ ...rect({ text: 'E', textAlign: 'left', verticalAlign: 'top' }), type: 'ellipse' } as NewShape);
    const area = labelArea({ width: 200, height: 100 }, ELLIPSE_INSET);
    assert.match(ellipse, new RegExp(`<tspan x="${Math.round(area.x * 100) / 100}" y="${Math.round((area.y + 12.5) * 100) / 100}">E</tspan>`));
    const diamond = svgOf({ ...rect({ text: 'D', textAlign: 'left', verticalAlign: 'top' }), type: 'diamond' } as NewShape);
    assert.match(diamond, /<tspan x="54" y="41.5">D<\/tspan>/);
    assert.doesNotMatch(svgOf(rect()), /<text/);
  });

  test('lines past the text area of a box made smaller than its label are left out, as the canvas leaves them out', () => {
    // 84 px of text area holds 3 lines of 25 px; the label wraps to 4.
    assert.equal(labelLinesFitting(84, 20), 3);
    assert.equal(labelLinesFitting(75, 20), 3, 'a box grown to exactly its lines holds them all');
    const svg = svgOf(rect({ text: 'one two three four five six seven eight', width: 136, height: 100 }));
    assert.deepEqual([...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]), ['one two', 'three four', 'five six']);
  });

  test('a note keeps its text at its top left by default, and honours its alignment', () => {
    const note = (fields: Partial<StickyShape>): NewShape => ({ ...base, id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, text: 'a note', width: 200, height: 200, ...fields });
    assert.match(svgOf(note({})), /<text (?![^>]*text-anchor)[^>]*><tspan x="12" y="24.5">a note<\/tspan>/);
    assert.match(svgOf(note({ textAlign: 'center', verticalAlign: 'middle' })), /text-anchor="middle"[^>]*><tspan x="100" y="100">a note<\/tspan>/);
  });
});

describe('typing a label', () => {
  function setup() {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    let clock = 1_000_000;
    const history = createHistory(doc, { now: () => clock });
    const editing = createTextEditing(board, { fit: (shape, text) => shapeUtil(shape).text?.fit?.(shape, text) ?? null });
    board.addShape(rect());
    const typeChars = (chars: string): void => {
      let value = editing.text();
      for (const char of chars) {
        clock += 100;
        value += char;
        editing.setText(value, value.length);
      }
    };
    const get = (): RectShape => board.get('r') as RectShape;
    const close = (): void => {
      editing.close();
      history.close();
      board.close();
    };
    return { doc, board, history, editing, typeChars, get, wait: (ms: number) => void (clock += ms), close };
  }

  test('a plain box has no Y.Text until the first keystroke, which makes it; an emptied label keeps the box', () => {
    const t = setup();
    assert.equal(shapeText(t.doc, 'r'), null);
    t.editing.begin({ isNew: false, shape: t.get() });
    t.typeChars('Hi');
    assert.ok(shapeText(t.doc, 'r') instanceof Y.Text);
    assert.equal(t.get().text, 'Hi');
    t.editing.setText('', 0);
    t.editing.finish();
    assert.equal(t.board.has('r'), true, 'a box with an empty label is still a box');
    assert.equal(t.get().text, '');
    t.close();
  });

  test('a label that outgrows its box makes it taller, top edge fixed, and one undo takes back the burst and the growth', () => {
    const t = setup();
    const before = t.get();
    t.editing.begin({ isNew: false, shape: before });
    t.typeChars('first');
    t.wait(TYPING_BURST_PAUSE_MS + 1000);
    const long = Array.from({ length: 30 }, () => ' word').join('');
    t.typeChars(long);
    const grown = t.get();
    assert.ok(grown.height > before.height, `grew from ${before.height} to ${grown.height}`);
    assert.deepEqual([grown.x, grown.y, grown.width], [before.x, before.y, before.width], 'only the height changes');
    assert.equal((t.editing.target?.shape as RectShape | undefined)?.height, grown.height, 'the editor is laid over the grown box');
    t.editing.finish();
    t.history.undo();
    assert.equal(t.get().text, 'first');
    assert.equal(t.get().height, before.height, 'the growth is undone with the burst that made it');
    t.history.redo();
    assert.deepEqual([t.get().text, t.get().height], [`first${long}`, grown.height]);
    t.close();
  });

  test('a new note typed full grows as it is added', () => {
    const t = setup();
    const note: StickyShape = { ...base, index: 'a0', id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, text: '', width: 200, height: 200 };
    const { index: _index, ...fresh } = note;
    t.editing.begin({ isNew: true, shape: fresh });
    t.typeChars(Array.from({ length: 80 }, () => 'word').join(' '));
    assert.ok((t.board.get('n') as StickyShape).height > 200);
    t.close();
  });
});

describe('copies and style', () => {
  test('a copied box keeps its label and alignment, in a Y.Text of its own', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    board.addShape(rect({ text: 'Copied label', textAlign: 'left', verticalAlign: 'bottom' }));
    const pasted = parseShapes(serializeShapes([board.get('r')!]))!.map((shape) => ({ ...shape, id: 'pasted', index: 'a5' }));
    board.importShapes(pasted);
    const copy = board.get('pasted') as RectShape;
    assert.deepEqual([copy.text, copy.textAlign, copy.verticalAlign], ['Copied label', 'left', 'bottom']);
    assert.ok(shapeText(doc, 'pasted') instanceof Y.Text);
    assert.notEqual(shapeText(doc, 'pasted'), shapeText(doc, 'r'));
    board.close();
  });

  test('choosing an alignment restyles the selected boxes and notes in one undo step, and not a line', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const history = createHistory(doc);
    const selection = createSelection(board);
    board.addShape(rect());
    board.addShape({ ...base, id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 300, y: 0, text: 'note', width: 200, height: 200 });
    board.addShape({ ...base, id: 'l', type: 'line', x: 0, y: 300, points: [0, 0, 50, 0], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none', endArrowhead: 'none', arrowKind: 'straight', bend: 0, text: '' });
    selection.set(['r', 'n', 'l']);
    assert.equal(restyleSelection({ board, selection }, { textAlign: 'right', verticalAlign: 'bottom' }), true);
    const placed = (id: string) => {
      const shape = board.get(id) as Shape & Partial<RectShape>;
      return [shape.textAlign, shape.verticalAlign];
    };
    assert.deepEqual([placed('r'), placed('n')], [['right', 'bottom'], ['right', 'bottom']]);
    assert.equal('textAlign' in board.get('l')!, false, 'a line has no alignment to take');
    history.undo();
    assert.deepEqual([placed('r'), placed('n')], [['center', 'middle'], ['left', 'top']], 'one undo takes back the choice');
    selection.close();
    history.close();
    board.close();
  });

  test('a box drawn after choosing an alignment gets it', () => {
    const board = createBoard(new Y.Doc());
    const selection = createSelection(board);
    const editing = createTextEditing(board);
    const toolbox = createToolbox(
      { board, selection, draft: createDraft(), camera: createCamera(), editing, laser: createLaser(), style: () => ({ ...DEFAULT_STYLE, textAlign: 'left', verticalAlign: 'bottom' }) },
      'rectangle',
    );
    let time = 0;
    const event = (x: number, y: number): BoardPointerEvent => ({ x, y, pressure: 0.5, pointerType: 'mouse', shiftKey: false, altKey: false, time: (time += 16), scale: 1 });
    toolbox.pointerDown(event(0, 0));
    toolbox.pointerMove(event(100, 60));
    toolbox.pointerUp(event(100, 60));
    const drawn = board.ordered()[0] as RectShape | undefined;
    assert.deepEqual([drawn?.type, drawn?.textAlign, drawn?.verticalAlign], ['rect', 'left', 'bottom']);
    toolbox.close();
    editing.close();
    selection.close();
    board.close();
  });
});
