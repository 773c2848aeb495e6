import type { Bounds, Point } from './plane.ts';

/**
 * Elbow arrows: a route of horizontal and vertical segments from one end to the other that keeps
 * clear of the shapes the ends are bound to. Pure: the board routes an elbow arrow again from its
 * resolved ends and bound shapes whenever either changes, so the route is derived, not written.
 */

/** How far a route keeps from a bound shape, and how long the first segment leaving it is. */
export const ELBOW_PADDING = 20;

/** A penalty per bend, in board units of length: fewer bends win over slightly shorter routes. */
const BEND_COST = 40;

/** One end of a route: where it is, and the box of the shape it is bound to (null when free). */
export interface RouteEnd {
  point: Point;
  box: Bounds | null;
}

type Direction = { x: number; y: number };

/**
 * The side of `box` an end at `point` leaves by: the one facing `toward` (the other end) among the
 * sides the point is nearest to, so an end leaves its shape perpendicular to it.
 */
function exitDirection(point: Point, box: Bounds, toward: Point): Direction {
  const distances: Array<[number, Direction]> = [
    [Math.abs(point.x - box.x), { x: -1, y: 0 }],
    [Math.abs(point.x - (box.x + box.width)), { x: 1, y: 0 }],
    [Math.abs(point.y - box.y), { x: 0, y: -1 }],
    [Math.abs(point.y - (box.y + box.height)), { x: 0, y: 1 }],
  ];
  const nearest = Math.min(...distances.map(([d]) => d));
  // Sides within a few units of the nearest are ties (an end at a corner): prefer the one facing the other end.
  const ties = distances.filter(([d]) => d <= nearest + 1).map(([, dir]) => dir);
  const facing = (dir: Direction): number => dir.x * (toward.x - point.x) + dir.y * (toward.y - point.y);
  return ties.reduce((best, dir) => (facing(dir) > facing(best) ? dir : best));
}

const grow = (box: Bounds, by: number): Bounds => ({ x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by });

/** The length of the axis-aligned segment a→b that runs inside the open box. */
function overlapInside(a: Point, b: Point, box: Bounds): number {
  const [minX, maxX] = [box.x, box.x + box.width];
  const [minY, maxY] = [box.y, box.y + box.height];
  if (a.y === b.y) {
    if (a.y <= minY || a.y >= maxY) return 0;
    return Math.max(0, Math.min(maxX, Math.max(a.x, b.x)) - Math.max(minX, Math.min(a.x, b.x)));
  }
  if (a.x <= minX || a.x >= maxX) return 0;
  return Math.max(0, Math.min(maxY, Math.max(a.y, b.y)) - Math.max(minY, Math.min(a.y, b.y)));
}

/** `points` without repeated points and without middle points of straight runs. */
function simplify(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last !== undefined && Math.abs(last.x - p.x) < 1e-9 && Math.abs(last.y - p.y) < 1e-9) continue;
    const before = out[out.length - 2];
    if (before !== undefined && last !== undefined && ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y))) out.pop();
    out.push(p);
  }
  return out;
}

const lengthOf = (points: readonly Point[]): number => points.slice(1).reduce((sum, p, i) => sum + Math.abs(p.x - points[i]!.x) + Math.abs(p.y - points[i]!.y), 0);

/**
 * The route from `start` to `end`, as board points, every segment horizontal or vertical. A bound
 * end first leaves its shape perpendicular to the side facing the other end, ELBOW_PADDING long;
 * the middle is picked among few-bend candidates (L, Z and U shapes through the padded boxes'
 * edges and the midpoints) as the shortest that enters neither padded box, bends counted. Where
 * every candidate enters one (overlapping shapes), the one that runs least inside them is taken,
 * so a route always exists.
 */
export function elbowRoute(start: RouteEnd, end: RouteEnd): Point[] {
  const startOut = start.box !== null ? exitDirection(start.point, start.box, end.point) : null;
  const endOut = end.box !== null ? exitDirection(end.point, end.box, start.point) : null;
  const from = startOut !== null ? { x: start.point.x + startOut.x * ELBOW_PADDING, y: start.point.y + startOut.y * ELBOW_PADDING } : start.point;
  const to = endOut !== null ? { x: end.point.x + endOut.x * ELBOW_PADDING, y: end.point.y + endOut.y * ELBOW_PADDING } : end.point;
  // Obstacles a little smaller than the padded boxes, so the stubs' outer points are clear of them.
  const obstacles = [start.box, end.box].filter((box): box is Bounds => box !== null).map((box) => grow(box, ELBOW_PADDING - 1));

  const xs = new Set([from.x, to.x, (from.x + to.x) / 2]);
  const ys = new Set([from.y, to.y, (from.y + to.y) / 2]);
  for (const box of [start.box, end.box]) {
    if (box === null) continue;
    xs.add(box.x - ELBOW_PADDING).add(box.x + box.width + ELBOW_PADDING);
    ys.add(box.y - ELBOW_PADDING).add(box.y + box.height + ELBOW_PADDING);
  }
  const middles: Point[][] = [];
  for (const x of xs) middles.push([{ x, y: from.y }, { x, y: to.y }]);
  for (const y of ys) middles.push([{ x: from.x, y }, { x: to.x, y }]);
  for (const x of xs) for (const y of ys) middles.push([{ x: from.x, y }, { x, y }, { x, y: to.y }], [{ x, y: from.y }, { x, y }, { x: to.x, y }]);

  let best: { points: Point[]; blocked: number; cost: number } | null = null;
  for (const middle of middles) {
    const points = simplify([start.point, from, ...middle, to, end.point]);
    if (!orthogonal(points)) continue;
    let blocked = 0;
    // The stubs leave the boxes by design; everything between them must keep out.
    const inner = simplify([from, ...middle, to]);
    for (let i = 1; i < inner.length; i++) for (const box of obstacles) blocked += overlapInside(inner[i - 1]!, inner[i]!, box);
    blocked += reversals(points) * 1e6;
    const cost = lengthOf(points) + (points.length - 2) * BEND_COST;
    if (best === null || blocked < best.blocked || (blocked === best.blocked && cost < best.cost)) best = { points, blocked, cost };
  }
  return best?.points ?? [start.point, end.point];
}

/** Whether every segment is horizontal or vertical. */
function orthogonal(points: readonly Point[]): boolean {
  return points.slice(1).every((p, i) => p.x === points[i]!.x || p.y === points[i]!.y);
}

/** How many times the route doubles straight back on itself (a segment undoing the one before). */
function reversals(points: readonly Point[]): number {
  let count = 0;
  for (let i = 2; i < points.length; i++) {
    const [a, b, c] = [points[i - 2]!, points[i - 1]!, points[i]!];
    const d1 = { x: Math.sign(b.x - a.x), y: Math.sign(b.y - a.y) };
    const d2 = { x: Math.sign(c.x - b.x), y: Math.sign(c.y - b.y) };
    if (d1.x === -d2.x && d1.y === -d2.y) count++;
  }
  return count;
}
