import type { LinearShape } from '../../../shared/schema.ts';
import { elbowRoute } from '../../model/elbow-route.ts';
import type { Point } from '../../model/plane.ts';
import type { NewShapeOf } from '../../model/shape.ts';

type Linear = NewShapeOf<LinearShape>;

/** How many segments a curved line is drawn with: smooth at any size a board shows. */
const CURVE_SEGMENTS = 32;

/**
 * The path a line or an arrow draws, as a flat [x0, y0, …] array in its own frame: one place for
 * the canvas, the bounds, the hit test, the arrowheads and the SVG, so they all agree.
 * `straight`: its points. `curved`: a quadratic curve from the first point to the last whose
 * middle stands `bend` off the chord's midpoint (to the left of start→end when positive),
 * sampled to a polyline. `elbow`: its points when they are a horizontal and vertical route (the
 * board routes bound arrows around their shapes), otherwise a plain route between its ends.
 */
export function linearPath(shape: Linear): number[] {
  const points = shape.points;
  const n = points.length;
  if (n < 4 || shape.arrowKind === 'straight') return points;
  const start = { x: points[0]!, y: points[1]! };
  const end = { x: points[n - 2]!, y: points[n - 1]! };
  if (shape.arrowKind === 'elbow') {
    if (isOrthogonal(points)) return points;
    return elbowRoute({ point: start, box: null }, { point: end, box: null }).flatMap((p) => [p.x, p.y]);
  }
  const control = curveControl(start, end, shape.bend);
  const out: number[] = [];
  for (let i = 0; i <= CURVE_SEGMENTS; i++) {
    const t = i / CURVE_SEGMENTS;
    const u = 1 - t;
    out.push(u * u * start.x + 2 * u * t * control.x + t * t * end.x, u * u * start.y + 2 * u * t * control.y + t * t * end.y);
  }
  return out;
}

/** The middle of the curve of a curved line from `start` to `end` bowed by `bend` (the bend handle's place). */
export function curveMiddle(start: Point, end: Point, bend: number): Point {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const length = Math.hypot(dx, dy);
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  if (length === 0) return mid;
  // Left of start→end on screen (y grows downwards).
  return { x: mid.x + (dy / length) * bend, y: mid.y - (dx / length) * bend };
}

/** The bend that puts the curve's middle nearest `point` (the bend handle dragged there). */
export function bendThrough(start: Point, end: Point, point: Point): number {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return 0;
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  return ((point.x - mid.x) * dy - (point.y - mid.y) * dx) / length;
}

/** The quadratic control point whose curve passes through curveMiddle at its half-way point. */
function curveControl(start: Point, end: Point, bend: number): Point {
  const middle = curveMiddle(start, end, bend);
  return { x: 2 * middle.x - (start.x + end.x) / 2, y: 2 * middle.y - (start.y + end.y) / 2 };
}

function isOrthogonal(points: readonly number[]): boolean {
  for (let i = 2; i + 1 < points.length; i += 2) {
    if (points[i] !== points[i - 2] && points[i + 1] !== points[i - 1]) return false;
  }
  return true;
}
