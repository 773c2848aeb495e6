import type { Arrowhead as HeadKind, LinearShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { distanceToPolyline, type Point } from '../../model/plane.ts';
import { arrowheadSize } from '../constants.ts';
import { linearPath } from './linear-path.ts';

/**
 * Where a line's arrowheads are and what they look like: one place for the view, the bounds, the
 * hit test and the SVG export, so a head that is drawn is also selected and exported.
 * `arrow`: an open chevron; `triangle`: a filled triangle; `dot`: a filled circle ending at the
 * tip; `bar`: a line across the end.
 */

type Linear = NewShapeOf<LinearShape>;

/** One head: its kind, the tip (the path's end) and its two back corners, `size` back and apart. */
export interface Arrowhead {
  readonly kind: Exclude<HeadKind, 'none'>;
  readonly tip: Point;
  readonly left: Point;
  readonly right: Point;
  readonly size: number;
}

/**
 * Whether the line draws its start and end heads. A line of width 0 draws nothing, heads
 * included: its bounds at width 0 are then its bare points, which the select tool scales about.
 */
export function drawnHeads(shape: Linear): { start: boolean; end: boolean } {
  const drawn = shape.strokeWidth > 0 && shape.points.length >= 4;
  return { start: drawn && shape.startArrowhead !== 'none', end: drawn && shape.endArrowhead !== 'none' };
}

/**
 * The head at one end of `path`: pointing along it from the nearest point that differs from the
 * end (so repeated end points still give a direction), `size` long and `size` wide.
 */
function headAt(kind: Arrowhead['kind'], path: readonly number[], atStart: boolean, size: number): Arrowhead {
  const last = path.length - 2;
  const tip = atStart ? { x: path[0]!, y: path[1]! } : { x: path[last]!, y: path[last + 1]! };
  let dx = 0;
  let dy = 0;
  for (let i = atStart ? 0 : last; dx === 0 && dy === 0 && i >= 0 && i <= last; i += atStart ? 2 : -2) {
    dx = tip.x - path[i]!;
    dy = tip.y - path[i + 1]!;
  }
  const angle = Math.atan2(dy, dx);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const back = { x: tip.x - size * cos, y: tip.y - size * sin };
  const half = size / 2;
  return { kind, tip, left: { x: back.x + half * sin, y: back.y - half * cos }, right: { x: back.x - half * sin, y: back.y + half * cos }, size };
}

/** The heads the line draws, end first (the order the SVG export writes them in). */
export function arrowheads(shape: Linear): Arrowhead[] {
  const heads = drawnHeads(shape);
  const size = arrowheadSize(shape.strokeWidth);
  const out: Arrowhead[] = [];
  const path = linearPath(shape);
  if (heads.end && shape.endArrowhead !== 'none') out.push(headAt(shape.endArrowhead, path, false, size));
  if (heads.start && shape.startArrowhead !== 'none') out.push(headAt(shape.startArrowhead, path, true, size));
  return out;
}

/** A dot's centre and radius: the circle ends at the tip. */
export function dotOf(head: Arrowhead): { center: Point; radius: number } {
  const radius = head.size / 3;
  const back = { x: (head.left.x + head.right.x) / 2, y: (head.left.y + head.right.y) / 2 };
  const t = radius / head.size;
  return { center: { x: head.tip.x + (back.x - head.tip.x) * t, y: head.tip.y + (back.y - head.tip.y) * t }, radius };
}

/** A bar's two ends: across the tip, as wide as the head. */
export function barOf(head: Arrowhead): [Point, Point] {
  const back = { x: (head.left.x + head.right.x) / 2, y: (head.left.y + head.right.y) / 2 };
  return [
    { x: head.tip.x + head.left.x - back.x, y: head.tip.y + head.left.y - back.y },
    { x: head.tip.x + head.right.x - back.x, y: head.tip.y + head.right.y - back.y },
  ];
}

/** The points a head's drawing reaches, for the bounds (a dot's by its box). */
export function headExtent(head: Arrowhead): Point[] {
  switch (head.kind) {
    case 'dot': {
      const { center, radius } = dotOf(head);
      return [
        { x: center.x - radius, y: center.y - radius },
        { x: center.x + radius, y: center.y + radius },
      ];
    }
    case 'bar':
      return barOf(head);
    default:
      return [head.tip, head.left, head.right];
  }
}

/** Distance from `p` to the head as drawn (0 inside a filled one). */
export function distanceToArrowhead(p: Point, head: Arrowhead): number {
  const { tip: a, left: b, right: c } = head;
  switch (head.kind) {
    case 'dot': {
      const { center, radius } = dotOf(head);
      return Math.max(0, Math.hypot(p.x - center.x, p.y - center.y) - radius);
    }
    case 'bar': {
      const [u, v] = barOf(head);
      return distanceToPolyline(p, [u.x, u.y, v.x, v.y], 2);
    }
    case 'arrow':
      return distanceToPolyline(p, [b.x, b.y, a.x, a.y, c.x, c.y], 2);
    case 'triangle': {
      const side = (u: Point, v: Point): number => (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
      const [s1, s2, s3] = [side(a, b), side(b, c), side(c, a)];
      if ((s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0)) return 0;
      return distanceToPolyline(p, [a.x, a.y, b.x, b.y, c.x, c.y, a.x, a.y], 2);
    }
  }
}
