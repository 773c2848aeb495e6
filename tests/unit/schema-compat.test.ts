/**
 * Schema versions meeting: boards written by version 1 opened by this version, and boards written
 * by this version (frames, groups, Y.Text texts, labels, arrowhead kinds, arrow kinds and anchors)
 * opened by a page still running version 1. The
 * version 1 side is Easel's own document layer and board model as they were
 * (tests/fixtures/easel-v1/), so these are real documents written and read by real code.
 */
import { describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { getShapesMap, migrateStringTexts, readAllShapes, readSchemaVersion } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, NO_LABEL, SCHEMA_VERSION, type Shape } from '../../shared/schema.ts';
import { createBoard, type NewShape } from '../../client/model/board.ts';
import * as v1Board from '../fixtures/easel-v1/client/model/board.ts';
import * as v1Doc from '../fixtures/easel-v1/shared/doc.ts';
import * as v1Schema from '../fixtures/easel-v1/shared/schema.ts';

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false };

/** One shape of each version 1 type, as a version 1 page made them. */
const V1_SHAPES = [
  { ...base, id: 'r', type: 'rect', x: 10, y: 20, width: 100, height: 50, rotation: 30, fillStyle: 'solid' },
  { ...base, id: 'e', type: 'ellipse', x: 200, y: 20, width: 80, height: 60 },
  { ...base, id: 'd', type: 'diamond', x: 300, y: 20, width: 80, height: 60, dash: 'dashed' },
  { ...base, id: 'i', type: 'ink', x: 0, y: 200, points: [0, 0, 0.5, 10, 12, 0.6, 30, 20, 0.4] },
  { ...base, id: 'l', type: 'line', x: 100, y: 200, points: [0, 0, 50, 40], startBinding: null, endBinding: 'r', startArrowhead: false, endArrowhead: false },
  { ...base, id: 'a', type: 'arrow', x: 200, y: 200, points: [0, 0, 60, 10], startBinding: 'e', endBinding: null, startArrowhead: false, endArrowhead: true },
  { ...base, id: 't', type: 'text', x: 0, y: 400, text: 'Hello, version 1', width: 0 },
  { ...base, id: 's', type: 'sticky', x: 200, y: 400, text: 'A note', width: 200, height: 200, fillColor: '#ffec99' },
] as v1Board.NewShape[];

/**
 * What version 1 reads of a shape: every field but those added since (frames, groups; a box's
 * label and its alignment, a note's alignment; a line's or an arrow's label, kind, bend and
 * anchors). Arrowheads are named kinds now, strings version 1 does not take: it reads its own
 * default for them (none at the start; at the end, an arrowhead on an arrow and none on a line),
 * whatever kind was chosen.
 */
const asV1 = (shape: Shape): Record<string, unknown> => {
  const { frameId: _frame, groupIds: _groups, ...rest } = shape;
  switch (rest.type) {
    case 'rect':
    case 'ellipse':
    case 'diamond': {
      const { text: _text, textAlign: _align, verticalAlign: _vertical, ...box } = rest;
      return box;
    }
    case 'sticky': {
      const { textAlign: _align, verticalAlign: _vertical, ...note } = rest;
      return note;
    }
    case 'line':
    case 'arrow': {
      const { text: _text, arrowKind: _kind, bend: _bend, startAnchor: _start, endAnchor: _end, ...linear } = rest;
      return { ...linear, startArrowhead: false, endArrowhead: rest.type === 'arrow' };
    }
    default:
      return rest;
  }
};

/**
 * How this version reads a shape version 1 wrote: the fields added since take their defaults (no
 * label, centred; a note's text at its top left as before; a straight line or arrow with no
 * anchors), and an arrowhead that was on is a triangle.
 */
const asCurrent = (shape: v1Schema.Shape): Record<string, unknown> => {
  switch (shape.type) {
    case 'rect':
    case 'ellipse':
    case 'diamond':
      return { ...shape, ...NO_LABEL };
    case 'sticky':
      return { ...shape, textAlign: 'left', verticalAlign: 'top' };
    case 'line':
    case 'arrow':
      return {
        ...shape,
        startArrowhead: shape.startArrowhead ? 'triangle' : 'none',
        endArrowhead: shape.endArrowhead ? 'triangle' : 'none',
        arrowKind: 'straight',
        bend: 0,
        startAnchor: null,
        endAnchor: null,
        text: '',
      };
    default:
      return { ...shape };
  }
};

function quietly<T>(fn: () => T): { result: T; warnings: string[] } {
  const warn = mock.method(console, 'warn', () => {});
  try {
    const result = fn();
    return { result, warnings: warn.mock.calls.map((call) => String(call.arguments[0])) };
  } finally {
    warn.mock.restore();
  }
}

/** A doc holding what `source` holds, received the way a page receives it. */
function received(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), REMOTE_ORIGIN);
  return doc;
}

describe('a version 1 board opened by this version', () => {
  test('every shape reads as version 1 wrote it, before and after its texts are migrated', () => {
    const old = new Y.Doc();
    const oldBoard = v1Board.createBoard(old);
    old.transact(() => v1Doc.ensureMeta(old));
    for (const shape of V1_SHAPES) oldBoard.addShape(shape);
    const written = v1Doc.readAllShapes(old);
    assert.equal(v1Doc.readSchemaVersion(old), 1);

    const doc = received(old);
    const board = createBoard(doc);
    const expected = written.map(asCurrent);
    // The records as stored; the board derives bound ends from their shapes (tests/unit/bound-ends.test.ts).
    assert.deepEqual(board.ordered().map((s) => s.id), expected.map((s) => s.id));
    assert.deepEqual(readAllShapes(doc), expected);
    assert.equal(migrateStringTexts(doc), 2, 'the text and the note become Y.Texts; the boxes get no label');
    assert.deepEqual(readAllShapes(doc), expected, 'the migration changes no shape');
    assert.equal(readSchemaVersion(doc), SCHEMA_VERSION);
    board.close();
    oldBoard.close();
  });
});

describe('a board written by this version opened by a version 1 page', () => {
  /**
   * A board with a frame holding two shapes, a group of three (one nested pair), texts as Y.Texts,
   * a labelled rectangle aligned to its top left, a note aligned to its middle, and lines and
   * arrows of this version's kinds.
   */
  function current(): { doc: Y.Doc; shapes: Shape[] } {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const add = (shape: Record<string, unknown>): void => void board.addShape({ ...base, ...shape } as NewShape);
    add({ id: 'frame', type: 'frame', x: 1000, y: 1000, width: 600, height: 400, name: 'Plan' });
    add({ id: 'inFrame', type: 'rect', x: 1100, y: 1050, width: 100, height: 80, frameId: 'frame' });
    add({ id: 'noteInFrame', type: 'sticky', x: 1300, y: 1100, text: 'Inside', width: 150, height: 150, frameId: 'frame' });
    add({ id: 'g1', type: 'ellipse', x: 0, y: 0, width: 50, height: 50, groupIds: ['inner', 'outer'] });
    add({ id: 'g2', type: 'rect', x: 60, y: 0, width: 50, height: 50, groupIds: ['inner', 'outer'] });
    add({ id: 'g3', type: 'text', x: 0, y: 80, text: 'Grouped words', width: 0, groupIds: ['outer'] });
    add({ id: 'plain', type: 'arrow', x: 300, y: 300, points: [0, 0, 100, 0], startBinding: 'g1', endBinding: 'inFrame', startArrowhead: 'none', endArrowhead: 'triangle' });
    add({ id: 'labelled', type: 'rect', x: 500, y: 0, width: 160, height: 100, text: 'A label', textAlign: 'left', verticalAlign: 'top' });
    add({ id: 'middleNote', type: 'sticky', x: 700, y: 0, text: 'Centred', width: 200, height: 200, textAlign: 'center', verticalAlign: 'middle' });
    add({
      ...{ id: 'curved', type: 'arrow', x: 300, y: 500, points: [0, 0, 100, 0], startBinding: 'labelled', endBinding: null },
      ...{ startAnchor: { x: 0.5, y: 1 }, endAnchor: null, startArrowhead: 'dot', endArrowhead: 'bar', arrowKind: 'curved', bend: 40, text: 'yes' },
    });
    add({ id: 'dotted', type: 'line', x: 300, y: 600, points: [0, 0, 100, 0], startBinding: null, endBinding: null, startArrowhead: 'arrow', endArrowhead: 'dot', arrowKind: 'elbow', bend: 0, text: '' });
    // The records as stored: the board derives the bound ends from their shapes.
    const shapes = readAllShapes(doc);
    board.close();
    return { doc, shapes };
  }

  test('it skips the frame, shows every other shape with every field it knows, children at their stored offsets', () => {
    const { doc, shapes } = current();
    const { result: old, warnings } = quietly(() => v1Board.createBoard(received(doc)));
    assert.deepEqual(
      warnings.map((w) => /skipping shape (\w+): unknown type/.exec(w)?.[1]),
      ['frame'],
      'one warning, for the frame',
    );
    const frame = shapes.find((s) => s.id === 'frame')!;
    const expected = shapes
      .filter((s) => s.type !== 'frame')
      // Version 1 reads a child's stored offset from its frame as a board position.
      .map((s) => (s.frameId === undefined ? asV1(s) : { ...asV1(s), x: s.x - frame.x, y: s.y - frame.y }));
    assert.deepEqual(old.ordered(), expected);
    old.close();
  });

  test('its edits lose nothing of what it does not know: frames, frame membership, groups, texts, labels and arrow kinds survive', () => {
    const { doc, shapes } = current();
    const oldDoc = received(doc);
    const { result: old } = quietly(() => v1Board.createBoard(oldDoc));
    // A version 1 user moves a child and a grouped shape, restyles the grouped text, retypes the
    // note in the frame (version 1 writes a plain string), moves the labelled box, recolours the
    // curved arrow, and deletes the plain arrow.
    quietly(() => {
      old.moveShapes(['inFrame', 'g2', 'labelled'], 15, 25);
      old.updateShapes(
        new Map<string, v1Board.ShapePatch>([
          ['g3', { strokeColor: '#e03131' }],
          ['noteInFrame', { text: 'Inside, retyped' }],
          ['curved', { strokeColor: '#2f9e44' }],
        ]),
      );
      old.deleteShapes(['plain']);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(oldDoc, Y.encodeStateVector(doc)), REMOTE_ORIGIN);

    const board = createBoard(doc);
    const before = new Map(shapes.map((s) => [s.id, s]));
    const expected = shapes
      .filter((s) => s.id !== 'plain')
      .map((s): Shape => {
        switch (s.id) {
          case 'inFrame':
          case 'g2':
          case 'labelled':
            return { ...s, x: s.x + 15, y: s.y + 25 };
          case 'g3':
            return { ...s, strokeColor: '#e03131' };
          case 'curved':
            return { ...s, strokeColor: '#2f9e44' };
          case 'noteInFrame':
            return { ...s, text: 'Inside, retyped' } as Shape;
          default:
            return s;
        }
      });
    assert.deepEqual(readAllShapes(doc), expected);
    assert.equal(board.get('inFrame')?.frameId, 'frame');
    assert.deepEqual(board.get('g2')?.groupIds, before.get('g2')?.groupIds);
    // The note version 1 retyped holds a string again; this version reads it and migrates it.
    assert.equal(typeof (getShapesMap(doc).get('noteInFrame') as Y.Map<unknown>).get('text'), 'string');
    assert.equal(migrateStringTexts(doc), 1);
    assert.deepEqual(readAllShapes(doc), expected);
    // Version 1 still opens the result.
    const { result: again } = quietly(() => v1Board.createBoard(received(doc)));
    assert.equal(again.ordered().length, expected.length - 1, 'everything but the frame');
    assert.ok(v1Schema.SHAPE_TYPES.every((type) => type !== ('frame' as string)));
    again.close();
    board.close();
    old.close();
  });
});
