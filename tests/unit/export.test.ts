import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DEFAULT_STYLE, SCHEMA_VERSION, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { readAllShapes } from '../../shared/doc.ts';
import { createBoard, type NewShape } from '../../client/model/board.ts';
import { createHistory } from '../../client/model/history.ts';
import { BoardFileError, parseBoardFile, serializeBoard } from '../../shared/board-file.ts';
import { exportSvg } from '../../client/export/svg-export.ts';

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false };

/** One shape of every type, with some non-default styles. */
function knownBoard() {
  const doc = new Y.Doc();
  const board = createBoard(doc);
  const inputs: NewShape[] = [
    { ...base, id: 'r1', type: 'rect', ...NO_LABEL, x: 10, y: 20, width: 100, height: 50, fillStyle: 'solid', fillColor: '#ffc9c9', strokeColor: '#e03131' },
    { ...base, id: 'e1', type: 'ellipse', ...NO_LABEL, x: 200, y: 20, width: 80, height: 40, dash: 'dashed' },
    { ...base, id: 'd1', type: 'diamond', ...NO_LABEL, x: 300, y: 20, width: 60, height: 60, fillStyle: 'semi', rotation: 30 },
    { ...base, id: 'i1', type: 'ink', x: 10, y: 200, points: [0, 0, 0.5, 20, 10, 0.6, 40, 0, 0.5] },
    { ...base, id: 'l1', type: 'line', x: 100, y: 200, points: [0, 0, 50, 50], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none' as const, arrowKind: 'straight' as const, bend: 0, text: '', endArrowhead: 'none' as const },
    { ...base, id: 'a1', type: 'arrow', x: 200, y: 200, points: [0, 0, 80, 0], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none' as const, arrowKind: 'straight' as const, bend: 0, text: '', endArrowhead: 'arrow' as const },
    { ...base, id: 't1', type: 'text', x: 10, y: 300, text: 'Hello <board> & "all"\nsecond line', width: 0, fontSize: 28 },
    { ...base, id: 's1', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 300, y: 300, text: 'a note', width: 200, height: 200, fillColor: '#ffec99', fillStyle: 'solid' },
  ];
  for (const input of inputs) board.addShape(input);
  return { doc, board };
}

describe('SVG export', () => {
  test('a known board becomes real vector elements, in z-order, with their styles', () => {
    const { board } = knownBoard();
    const svg = exportSvg(board.ordered());
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+" viewBox="[-\d. ]+">/);
    assert.match(svg, /<g data-id="r1" data-type="rect" transform="translate\(10 20\)" opacity="1"><rect width="100" height="50" stroke="#e03131" stroke-width="2"[^>]*fill="#ffc9c9"\/>/);
    assert.match(svg, /data-id="e1"[^>]*><ellipse cx="40" cy="20" rx="40" ry="20" [^>]*stroke-dasharray="8 6"[^>]*fill="none"/);
    assert.match(svg, /data-id="d1"[^>]*transform="translate\(300 20\) rotate\(30\)"[^>]*><polygon points="30 0 60 30 30 60 0 30"[^>]*fill-opacity="0.5"/);
    assert.match(svg, /data-id="i1"[^>]*><path d="M[^"]+Z" fill="#1e1e1e"\/>/);
    assert.match(svg, /data-id="l1"[^>]*><polyline points="0 0 50 50"[^>]*fill="none"\/><\/g>/, 'a line has no arrowhead');
    // An 'arrow' head is an open chevron whose tip is the end.
    assert.match(svg, /data-id="a1"[^>]*><polyline points="0 0 80 0"[^>]*\/><polyline points="[\d.-]+ [\d.-]+ 80 0 [^"]+" fill="none"/, 'an arrow has its head at the end');
    assert.match(svg, /<tspan x="0" y="17.5">Hello &lt;board&gt; &amp; &quot;all&quot;<\/tspan><tspan x="0" y="52.5">second line<\/tspan>/);
    assert.match(svg, /data-id="s1"[^>]*><rect width="200" height="200" rx="4" fill="#ffec99"\/><text[^>]*><tspan x="12" y="24.5">a note<\/tspan>/);
    const order = [...svg.matchAll(/data-id="(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ['r1', 'e1', 'd1', 'i1', 'l1', 'a1', 't1', 's1']);
  });

  test('an empty board is a valid, empty picture', () => {
    assert.match(exportSvg([]), /<svg [^>]*width="32" height="32"/);
  });
});

describe('board files', () => {
  test('JSON round-trips exactly: ids, indices, every field', () => {
    const { board } = knownBoard();
    const text = serializeBoard(board.ordered());
    const file = JSON.parse(text) as { type: string; version: number; schemaVersion: number; shapes: unknown[] };
    assert.deepEqual([file.type, file.version, file.schemaVersion, file.shapes.length], ['easel/board', 1, SCHEMA_VERSION, 8]);

    const target = new Y.Doc();
    const other = createBoard(target);
    const history = createHistory(target);
    other.importShapes(parseBoardFile(text));
    assert.deepEqual(readAllShapes(target), board.ordered());
    assert.equal(serializeBoard(other.ordered()), text, 'exporting the import gives the same file');
    history.undo();
    assert.equal(other.size, 0, 'an import is one undo step');
  });

  test('broken files are refused with a clear message, and nothing is changed', () => {
    const { board } = knownBoard();
    const good = JSON.parse(serializeBoard(board.ordered())) as { shapes: Array<Record<string, unknown>> };
    const target = new Y.Doc();
    const other = createBoard(target);
    let updates = 0;
    target.on('update', () => updates++);
    const cases: Array<[string, RegExp]> = [
      ['{"type": "easel/board", "version": 1, "shapes": [', /not valid JSON/],
      ['[1, 2, 3]', /not an Easel board file/],
      [JSON.stringify({ type: 'something-else', version: 1, shapes: [] }), /not an Easel board file/],
      [JSON.stringify({ type: 'easel/board', version: 99, shapes: [] }), /newer Easel \(format 99/],
      [JSON.stringify({ type: 'easel/board', version: 1 }), /no list of shapes/],
      [JSON.stringify({ ...good, shapes: [...good.shapes.slice(0, 3), { ...good.shapes[3], x: 'left' }] }), /shape 4 \(i1\) is broken: x is missing or out of range/],
      [JSON.stringify({ ...good, shapes: [good.shapes[0], good.shapes[0]] }), /appears twice/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => other.importShapes(parseBoardFile(text)),
        (error: unknown) => error instanceof BoardFileError && message.test(error.message),
        `refused: ${message}`,
      );
    }
    assert.equal(updates, 0);
    assert.equal(other.size, 0);
  });

  test('style fields a file leaves out or breaks are repaired by the gate, not refused', () => {
    const shapes = parseBoardFile(JSON.stringify({ type: 'easel/board', version: 1, shapes: [{ id: 'x', type: 'rect', x: 0, y: 0, width: 5, height: 5, index: 'a0', strokeColor: 'red' }] }));
    assert.equal((shapes[0] as Shape).strokeColor, DEFAULT_STYLE.strokeColor);
  });
});
