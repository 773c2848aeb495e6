import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DEFAULT_STYLE, NO_LABEL, type LinearShape, type Shape } from '../../shared/schema.ts';
import { updateShape } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { BOUND_END_GAP, anchorFor, resolveBoundEnds } from '../../client/model/bound-ends.ts';
import { createBoard, type BoardChange } from '../../client/model/board.ts';
import { PLAIN_ARROW } from '../helpers/shape-samples.ts';

/** A 100×80 rectangle at (x, y). */
function rect(id: string, x: number, y: number, rotation = 0): Shape {
  return { ...DEFAULT_STYLE, ...NO_LABEL, id, type: 'rect', index: 'a0', x, y, width: 100, height: 80, rotation, locked: false };
}

/** An arrow from (x0, y0) to (x1, y1), bound as given. */
function arrow(x0: number, y0: number, x1: number, y1: number, fields: Partial<LinearShape> = {}): LinearShape {
  return {
    ...DEFAULT_STYLE,
    id: 'arrow',
    type: 'arrow',
    index: 'a1',
    x: x0,
    y: y0,
    rotation: 0,
    locked: false,
    points: [0, 0, x1 - x0, y1 - y0],
    ...PLAIN_ARROW,
    ...fields,
  } as LinearShape;
}

const ends = (shape: LinearShape): { start: { x: number; y: number }; end: { x: number; y: number } } => {
  const n = shape.points.length;
  return {
    start: { x: shape.x + shape.points[0]!, y: shape.y + shape.points[1]! },
    end: { x: shape.x + shape.points[n - 2]!, y: shape.y + shape.points[n - 1]! },
  };
};

const near = (actual: number, expected: number, message: string): void => assert.ok(Math.abs(actual - expected) < 0.02, `${message}: ${actual} ≠ ${expected}`);

describe('resolving bound ends', () => {
  const gap = BOUND_END_GAP + DEFAULT_STYLE.strokeWidth / 2;
  const shapes = new Map<string, Shape>([
    ['from', rect('from', 0, 0)],
    ['to', rect('to', 300, 0)],
  ]);
  const lookup = (id: string): Shape | undefined => shapes.get(id);

  test('centred anchors: each end stops a gap short of the facing edge', () => {
    const resolved = resolveBoundEnds(arrow(0, 0, 0, 0, { startBinding: 'from', endBinding: 'to', startAnchor: { x: 0.5, y: 0.5 }, endAnchor: { x: 0.5, y: 0.5 } }), lookup);
    const { start, end } = ends(resolved);
    near(start.x, 100 + gap, 'start x');
    near(start.y, 40, 'start y');
    near(end.x, 300 - gap, 'end x');
    near(end.y, 40, 'end y');
  });

  test('resolving a resolved arrow gives it back (idempotent), anchors or none', () => {
    for (const anchors of [{ startAnchor: { x: 0.2, y: 0.9 }, endAnchor: { x: 0.7, y: 0.1 } }, { startAnchor: null, endAnchor: null }]) {
      const once = resolveBoundEnds(arrow(40, 60, 340, 20, { startBinding: 'from', endBinding: 'to', ...anchors }), lookup);
      const twice = resolveBoundEnds(once, lookup);
      assert.deepEqual(twice, once);
    }
  });

  test('a null anchor is taken from the stored end against the shape as it is now', () => {
    const resolved = resolveBoundEnds(arrow(500, 40, 350, 20, { endBinding: 'to' }), lookup);
    assert.deepEqual(resolved.endAnchor, anchorFor(shapes.get('to')!, { x: 350, y: 20 }));
    const { start, end } = ends(resolved);
    assert.deepEqual(start, { x: 500, y: 40 }, 'the unbound start stays');
    near(end.x, 400 + gap * Math.cos(Math.atan2(-20, -150)) * -1, 'the end stops on the right edge');
  });

  test('a turned shape takes its anchor with it', () => {
    const turned = new Map([['to', rect('to', 300, 0, 90)]]);
    // Turned a quarter clockwise about its origin, the box covers x 220..300, y 0..100; the
    // anchor at its own middle is at (260, 50), the end comes from the left.
    const resolved = resolveBoundEnds(arrow(0, 50, 0, 0, { endBinding: 'to', endAnchor: { x: 0.5, y: 0.5 } }), (id) => turned.get(id));
    const { end } = ends(resolved);
    near(end.x, 220 - gap, 'end x');
    near(end.y, 50, 'end y');
  });

  test('an outline replaces the box: a diamond-like polygon is met on its slanted edge', () => {
    const outline = (): { x: number; y: number }[] => [
      { x: 50, y: 0 },
      { x: 100, y: 40 },
      { x: 50, y: 80 },
      { x: 0, y: 40 },
    ];
    const resolved = resolveBoundEnds(arrow(0, 0, 0, 0, { startBinding: 'from', endBinding: 'to', startAnchor: { x: 0.5, y: 0.5 }, endAnchor: { x: 0.5, y: 0.5 } }), lookup, outline);
    near(ends(resolved).start.x, 100 + gap, 'the tip of the diamond faces the other shape');
    const above = resolveBoundEnds(arrow(0, 0, 75, -100, { endBinding: 'to', endAnchor: { x: 0.5, y: 0.5 } }), lookup, outline);
    const end = ends(above).end;
    assert.ok(end.y < 40 && end.y > -100, `the end stops above the middle: ${end.y}`);
  });

  test('an elbow arrow is routed from its resolved ends, in horizontal and vertical segments, again when a shape moves', () => {
    const elbow = arrow(0, 0, 0, 0, { arrowKind: 'elbow', startBinding: 'from', endBinding: 'to', startAnchor: { x: 0.5, y: 0.5 }, endAnchor: { x: 0.5, y: 0.5 } });
    const moved = new Map([...shapes, ['to', rect('to', 300, 250)]]);
    for (const look of [lookup, (id: string) => moved.get(id)]) {
      const resolved = resolveBoundEnds(elbow, look);
      assert.deepEqual(resolveBoundEnds(resolved, look), resolved, 'idempotent');
      const p = resolved.points;
      for (let i = 2; i + 1 < p.length; i += 2) assert.ok(p[i] === p[i - 2] || p[i + 1] === p[i - 1], `orthogonal: ${JSON.stringify(p)}`);
    }
    assert.equal(resolveBoundEnds(elbow, lookup).points.length, 4, 'side by side: one straight run');
    assert.ok(resolveBoundEnds(elbow, (id) => moved.get(id)).points.length > 4, 'moved below: it bends');
  });

  test('an end bound to a missing shape stays as stored', () => {
    const stored = arrow(10, 20, 30, 40, { endBinding: 'gone', endAnchor: { x: 0.5, y: 0.5 } });
    assert.equal(resolveBoundEnds(stored, lookup), stored);
  });
});

describe('the board derives bound ends', () => {
  test('a remote change to the shape alone moves the arrow, and the change names the arrow', () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    board.addShape({ ...DEFAULT_STYLE, ...NO_LABEL, id: 'from', type: 'rect', x: 0, y: 0, width: 100, height: 80, rotation: 0, locked: false });
    board.addShape({ ...DEFAULT_STYLE, ...NO_LABEL, id: 'to', type: 'rect', x: 300, y: 0, width: 100, height: 80, rotation: 0, locked: false });
    const { index: _index, ...stored } = arrow(50, 40, 350, 40, { startBinding: 'from', endBinding: 'to', startAnchor: { x: 0.5, y: 0.5 }, endAnchor: { x: 0.5, y: 0.5 } });
    board.addShape(stored);
    const gap = BOUND_END_GAP + DEFAULT_STYLE.strokeWidth / 2;
    near(ends(board.get('arrow') as LinearShape).end.x, 300 - gap, 'attached at first');
    const changes: BoardChange[] = [];
    board.onChange((change) => changes.push(change));
    doc.transact(() => updateShape(doc, 'to', { x: 300, y: 200 }), REMOTE_ORIGIN);
    assert.equal(changes.length, 1);
    assert.ok(changes[0]!.ids.has('arrow'), 'the change names the arrow');
    const { start, end } = ends(board.get('arrow') as LinearShape);
    const angle = Math.atan2(240 - 40, 350 - 50);
    // From the start's anchor (50, 40) towards the end's (350, 240) the moved box is met on its
    // left edge, at x 300.
    near(end.x, 300 - gap * Math.cos(angle), 'the end stops at the moved shape left edge (x)');
    near(end.y, 40 + 250 * Math.tan(angle) - gap * Math.sin(angle), 'the end stops at the moved shape left edge (y)');
    assert.ok(start.y > 40 && start.x < 100 + gap + 0.01, 'the start turns towards the moved shape');
    // Deleting the shape unbinds the arrow where it was seen.
    const seen = ends(board.get('arrow') as LinearShape);
    board.deleteShapes(['to']);
    const after = board.get('arrow') as LinearShape;
    assert.equal(after.endBinding, null);
    near(ends(after).end.x, seen.end.x, 'the end stays where it was seen (x)');
    near(ends(after).end.y, seen.end.y, 'the end stays where it was seen (y)');
    board.close();
    doc.destroy();
  });
});
