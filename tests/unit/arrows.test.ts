import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STYLE, type ArrowShape } from '../../shared/schema.ts';
import { bendThrough, curveMiddle, linearPath } from '../../client/shapes/line/linear-path.ts';
import { pathPieces } from '../../client/shapes/line/linear-label.ts';
import { arrowUtil } from '../../client/shapes/arrow/arrow-util.ts';
import type { NewShapeOf } from '../../client/model/shape.ts';
import { bendHandle } from '../../client/model/selection-handles.ts';
import { createHistory } from '../../client/model/history.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { PLAIN_ARROW } from '../helpers/shape-samples.ts';
import { addRect, createToolHarness } from '../helpers/tool-harness.ts';

function arrow(fields: Partial<ArrowShape>): NewShapeOf<ArrowShape> {
  return {
    ...DEFAULT_STYLE,
    id: 'a',
    type: 'arrow',
    x: 0,
    y: 0,
    rotation: 0,
    locked: false,
    points: [0, 0, 200, 0],
    ...PLAIN_ARROW,
    ...fields,
  };
}

describe('arrow paths', () => {
  test('straight: the points themselves', () => {
    assert.deepEqual(linearPath(arrow({ points: [0, 0, 50, 50, 100, 0] })), [0, 0, 50, 50, 100, 0]);
  });

  test('curved: from end to end through the middle that stands `bend` to the left of start→end', () => {
    const path = linearPath(arrow({ arrowKind: 'curved', bend: 60 }));
    assert.deepEqual(path.slice(0, 2), [0, 0]);
    assert.deepEqual(path.slice(-2), [200, 0]);
    const half = path.length / 2 - 1;
    assert.ok(Math.abs(path[half]! - 100) < 1e-9 && Math.abs(path[half + 1]! + 60) < 1e-9, `the middle is 60 above (left of rightwards): ${path[half]}, ${path[half + 1]}`);
    assert.deepEqual(curveMiddle({ x: 0, y: 0 }, { x: 200, y: 0 }, 60), { x: 100, y: -60 });
    assert.equal(bendThrough({ x: 0, y: 0 }, { x: 200, y: 0 }, { x: 130, y: -60 }), 60, 'the handle dragged there gives the bend back');
    const bounds = arrowUtil.localBounds(arrow({ arrowKind: 'curved', bend: 60 }));
    assert.ok(bounds.y <= -60 - DEFAULT_STYLE.strokeWidth / 2 + 1e-9, 'the bounds hold the curve');
    assert.ok(arrowUtil.hitTest(arrow({ arrowKind: 'curved', bend: 60 }), { x: 100, y: -60 }, 1), 'the curve is hit where it is drawn');
    assert.ok(!arrowUtil.hitTest(arrow({ arrowKind: 'curved', bend: 60 }), { x: 100, y: 0 }, 1), 'not along the chord');
    assert.match(arrowUtil.toSvg(arrow({ arrowKind: 'curved', bend: 60 }), { assetUrl: () => null }), /polyline points="0 0 [^"]* 100 -60 [^"]*200 0"/, 'the SVG draws the same curve');
  });

  test('elbow: a free arrow runs as a plain L between its ends; an orthogonal route is kept', () => {
    const path = linearPath(arrow({ arrowKind: 'elbow', points: [0, 0, 200, 100] }));
    assert.equal(path.length, 6);
    assert.deepEqual([path.slice(0, 2), path.slice(-2)], [[0, 0], [200, 100]]);
    assert.deepEqual(linearPath(arrow({ arrowKind: 'elbow', points: [0, 0, 0, 50, 200, 50, 200, 100] })), [0, 0, 0, 50, 200, 50, 200, 100]);
  });
});

describe('labels on lines and arrows', () => {
  test('the label sits at the path middle: laid out, bounded, hit and exported there', () => {
    const labelled = arrow({ points: [0, 0, 400, 0], text: 'hello' });
    const layout = arrowUtil.text!.layout(labelled);
    const cx = (layout.x as number) + (layout.width as number) / 2;
    const cy = (layout.y as number) + (layout.height as number) / 2;
    assert.deepEqual([cx, cy], [200, 0], 'centred on the middle of the path');
    const plain = arrowUtil.localBounds(arrow({ points: [0, 0, 400, 0] }));
    const bounds = arrowUtil.localBounds(labelled);
    assert.ok(bounds.height > plain.height && bounds.y <= (layout.y as number), 'the bounds hold the label');
    assert.ok(arrowUtil.hitTest(labelled, { x: 200, y: (layout.y as number) + 1 }, 0), 'the label is hit');
    assert.ok(!arrowUtil.hitTest(arrow({ points: [0, 0, 400, 0] }), { x: 200, y: (layout.y as number) + 1 }, 0), 'not without it');
    assert.match(arrowUtil.toSvg(labelled, { assetUrl: () => null }), /<text [^>]*text-anchor="middle"[^>]*><tspan x="200"[^>]*>hello<\/tspan><\/text>/);
    const curved = arrowUtil.text!.layout(arrow({ points: [0, 0, 400, 0], arrowKind: 'curved', bend: 100, text: 'hi' }));
    assert.ok(Math.abs((curved.y as number) + (curved.height as number) / 2 + 100) < 1e-6, 'on a curve, at the curve middle');
  });

  test('a long label wraps at about 240 units', () => {
    const layout = arrowUtil.text!.layout(arrow({ text: 'a label long enough that it has to wrap onto more than one line of text' }));
    assert.ok((layout.width as number) <= 240 + 8 + 1e-9);
    assert.ok((layout.height as number) > 2 * 20, 'several lines');
  });
});

describe('arrowheads', () => {
  test('each kind is exported, bounded and hit where it is drawn', () => {
    const svgOf: Record<string, RegExp> = { arrow: /<polyline points="[^"]+" fill="none"[^>]*\/>$/, triangle: /<polygon [^>]*\/>$/, dot: /<circle [^>]*\/>$/, bar: /<line [^>]*\/>$/ };
    for (const kind of ['arrow', 'triangle', 'dot', 'bar'] as const) {
      const shape = arrow({ endArrowhead: kind });
      assert.match(arrowUtil.toSvg(shape, { assetUrl: () => null }), svgOf[kind]!, kind);
      const bounds = arrowUtil.localBounds(shape);
      assert.ok(bounds.x + bounds.width >= 200, `${kind}: the bounds reach the tip`);
      assert.ok(arrowUtil.hitTest(shape, { x: 199, y: 0 }, 0), `${kind}: hit at the tip`);
    }
    const none = arrowUtil.localBounds(arrow({ endArrowhead: 'none' }));
    const bar = arrowUtil.localBounds(arrow({ endArrowhead: 'bar' }));
    assert.ok(bar.height > none.height, 'a bar is as wide as a head');
    assert.ok(arrowUtil.hitTest(arrow({ endArrowhead: 'bar' }), { x: 200, y: bar.y + bar.height / 2 - 6 }, 0.5), 'the bar is hit across the end');
    const both = arrowUtil.toSvg(arrow({ startArrowhead: 'dot', endArrowhead: 'arrow' }), { assetUrl: () => null });
    assert.match(both, /<circle cx="[\d.]+" cy="0"/, 'a dot at the start, inside the line');
  });
});

describe('the bend handle', () => {
  test('a straight arrow switched to curved shows the handle on its middle; dragging it bends the arrow live, one undo step, bindings kept', () => {
    const t = createToolHarness('select');
    const history = createHistory(t.doc);
    addRect(t.board, 'to', 300, -40);
    const { id: _id, ...fields } = arrow({ points: [0, 0, 200, 0], endBinding: 'to', endAnchor: { x: 0.5, y: 0.5 } });
    t.board.addShape({ ...fields, id: 'a' });
    const seen = t.board.get('a')!;
    assert.equal(bendHandle([seen]), null, 'a straight arrow has no bend handle');
    t.board.updateShapes(new Map([['a', { arrowKind: 'curved' }]]));
    const curved = t.board.get('a')!;
    assert.ok(curved.type === 'arrow');
    const end = { x: curved.x + curved.points[2]!, y: curved.y + curved.points[3]! };
    const handle = bendHandle([curved])!;
    assert.deepEqual(handle, { x: (curved.x + end.x) / 2, y: (curved.y + end.y) / 2 }, 'on the middle of the chord at bend 0');

    t.selection.set(['a']);
    t.transactions.length = 0;
    t.toolbox.pointerDown(t.event(handle.x, handle.y));
    t.toolbox.pointerMove(t.event(handle.x, handle.y - 30));
    assert.equal(t.toolbox.tool().state, 'bending');
    const shown = t.shown('a');
    assert.ok(shown?.type === 'arrow' && Math.abs(shown.bend - 30) < 0.01, 'bent live in the draft');
    t.toolbox.pointerMove(t.event(handle.x, handle.y - 50));
    t.toolbox.pointerUp(t.event(handle.x, handle.y - 50));
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN], 'one transaction');
    const bent = t.board.get('a');
    assert.ok(bent?.type === 'arrow');
    assert.ok(Math.abs(bent.bend - 50) < 0.01, `bent by 50: ${bent.bend}`);
    assert.deepEqual([bent.endBinding, bent.x, bent.y], ['to', curved.x, curved.y], 'still bound, ends kept');
    const middle = bendHandle([bent])!;
    assert.ok(Math.abs(middle.y - (handle.y - 50)) < 0.01, 'the handle follows the curve');
    assert.ok(history.undo());
    assert.equal((t.board.get('a') as ArrowShape).bend, 0, 'one undo unbends it');
    history.close();
    t.close();
  });
});

describe('the gap for a label', () => {
  test('the path is cut where the label sits, in the SVG as on the canvas (pathPieces)', () => {
    const box = { x: 90, y: -10, width: 20, height: 20 };
    assert.deepEqual(pathPieces([0, 0, 200, 0], box), [[0, 0, 90, 0], [110, 0, 200, 0]]);
    assert.deepEqual(pathPieces([0, 0, 200, 0], null), [[0, 0, 200, 0]]);
    assert.deepEqual(pathPieces([0, 50, 200, 50], box), [[0, 50, 200, 50]], 'a path that misses the box is whole');
    const svg = arrowUtil.toSvg(arrow({ points: [0, 0, 400, 0], text: 'hi' }), { assetUrl: () => null });
    assert.equal(svg.match(/<polyline points="0 0 /g)?.length, 1);
    assert.match(svg, /<polyline points="0 0 1[\d.]+ 0"[^>]*\/><polyline points="2[\d.]+ 0 400 0"/, 'two pieces around the label');
  });
});
