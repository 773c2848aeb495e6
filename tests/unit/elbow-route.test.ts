import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ELBOW_PADDING, elbowRoute, type RouteEnd } from '../../client/model/elbow-route.ts';
import type { Bounds, Point } from '../../client/model/plane.ts';
import { seededRandom } from '../helpers/client.ts';

/** An end on `side` of the box (at its middle), bound to it. */
function endOn(box: Bounds, side: 'left' | 'right' | 'top' | 'bottom'): RouteEnd {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const point = side === 'left' ? { x: box.x - 5, y: cy } : side === 'right' ? { x: box.x + box.width + 5, y: cy } : side === 'top' ? { x: cx, y: box.y - 5 } : { x: cx, y: box.y + box.height + 5 };
  return { point, box };
}

function assertOrthogonal(route: Point[], start: Point, end: Point): void {
  assert.deepEqual(route[0], start, 'starts at the start');
  assert.deepEqual(route[route.length - 1], end, 'ends at the end');
  for (let i = 1; i < route.length; i++) {
    const [a, b] = [route[i - 1]!, route[i]!];
    assert.ok(a.x === b.x || a.y === b.y, `segment ${i} is horizontal or vertical: ${JSON.stringify([a, b])}`);
  }
}

/** The length of the route inside the open box (the route's own first and last segments left out). */
function insideLength(route: Point[], box: Bounds): number {
  let total = 0;
  for (let i = 2; i < route.length - 1; i++) {
    const [a, b] = [route[i - 1]!, route[i]!];
    const [minX, maxX, minY, maxY] = [box.x, box.x + box.width, box.y, box.y + box.height];
    if (a.y === b.y && a.y > minY && a.y < maxY) total += Math.max(0, Math.min(maxX, Math.max(a.x, b.x)) - Math.max(minX, Math.min(a.x, b.x)));
    if (a.x === b.x && a.x > minX && a.x < maxX) total += Math.max(0, Math.min(maxY, Math.max(a.y, b.y)) - Math.max(minY, Math.min(a.y, b.y)));
  }
  return total;
}

const box = (x: number, y: number, width = 100, height = 80): Bounds => ({ x, y, width, height });

describe('elbow routes', () => {
  test('side by side: one straight run from the facing sides, clear of both shapes', () => {
    const a = box(0, 0);
    const b = box(300, 0);
    const start = endOn(a, 'right');
    const end = endOn(b, 'left');
    const route = elbowRoute(start, end);
    assertOrthogonal(route, start.point, end.point);
    assert.equal(route.length, 2, `no bends: ${JSON.stringify(route)}`);
    assert.equal(insideLength(route, a) + insideLength(route, b), 0);
  });

  test('offset shapes: leaves each shape perpendicular to its side, with few bends, clear of both', () => {
    const a = box(0, 0);
    const b = box(300, 200);
    const start = endOn(a, 'right');
    const end = endOn(b, 'left');
    const route = elbowRoute(start, end);
    assertOrthogonal(route, start.point, end.point);
    assert.ok(route.length <= 4, `at most two bends: ${JSON.stringify(route)}`);
    assert.equal(route[1]!.y, start.point.y, 'leaves the start horizontally');
    assert.ok(route[1]!.x > start.point.x, 'to the right, away from its shape');
    assert.equal(route[route.length - 2]!.y, end.point.y, 'arrives horizontally');
    assert.equal(insideLength(route, a) + insideLength(route, b), 0);
  });

  test('an end on the far side goes around its shape instead of through it', () => {
    const a = box(0, 0);
    const b = box(300, 0);
    // The end attaches on the right of b, the side away from a.
    const start = endOn(a, 'right');
    const end = endOn(b, 'right');
    const route = elbowRoute(start, end);
    assertOrthogonal(route, start.point, end.point);
    const padded = { x: b.x - ELBOW_PADDING + 2, y: b.y - ELBOW_PADDING + 2, width: b.width + 2 * ELBOW_PADDING - 4, height: b.height + 2 * ELBOW_PADDING - 4 };
    assert.equal(insideLength(route, padded), 0, `keeps out of b: ${JSON.stringify(route)}`);
    assert.equal(insideLength(route, a), 0);
  });

  test('far apart and overlapping shapes, and free ends: a route always exists', () => {
    const cases: Array<[RouteEnd, RouteEnd]> = [
      [endOn(box(0, 0), 'bottom'), endOn(box(5000, 3000), 'top')],
      [endOn(box(0, 0), 'right'), endOn(box(50, 40), 'left')],
      [endOn(box(0, 0, 200, 200), 'top'), endOn(box(50, 50), 'bottom')],
      [{ point: { x: 0, y: 0 }, box: null }, { point: { x: 200, y: 100 }, box: null }],
      [endOn(box(0, 0), 'right'), { point: { x: 400, y: -200 }, box: null }],
    ];
    for (const [start, end] of cases) {
      const route = elbowRoute(start, end);
      assertOrthogonal(route, start.point, end.point);
      assert.ok(route.length <= 7, `few bends: ${JSON.stringify(route)}`);
    }
    // Two free ends make a plain L.
    assert.equal(elbowRoute(cases[3]![0], cases[3]![1]).length, 3);
  });

  test('seeded random placements: routes between shapes apart from each other never cross them', () => {
    const random = seededRandom(7);
    const sides = ['left', 'right', 'top', 'bottom'] as const;
    for (let i = 0; i < 200; i++) {
      const a = box(Math.round(random() * 600), Math.round(random() * 600), 40 + Math.round(random() * 100), 40 + Math.round(random() * 100));
      const b = box(Math.round(random() * 600), Math.round(random() * 600), 40 + Math.round(random() * 100), 40 + Math.round(random() * 100));
      const apart = a.x + a.width + 3 * ELBOW_PADDING < b.x || b.x + b.width + 3 * ELBOW_PADDING < a.x || a.y + a.height + 3 * ELBOW_PADDING < b.y || b.y + b.height + 3 * ELBOW_PADDING < a.y;
      const start = endOn(a, sides[Math.floor(random() * 4)]!);
      const end = endOn(b, sides[Math.floor(random() * 4)]!);
      const route = elbowRoute(start, end);
      assertOrthogonal(route, start.point, end.point);
      if (apart) assert.equal(insideLength(route, a) + insideLength(route, b), 0, `case ${i}: ${JSON.stringify({ a, b, route })}`);
    }
  });
});
