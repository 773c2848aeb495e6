import type { LinearShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { distanceToPolyline, type Point } from '../../model/plane.ts';
import { arrowheadSize } from '../constants.ts';
import { linearPath } from './linear-path.ts';

/**
 * Where a line's arrowheads are, as Konva.Arrow draws them: one place for the view's switches, the
 * bounds, the hit test and the SVG export, so a head that is drawn is also selected and exported.
 */

type Linear = NewShapeOf<LinearShape>;

/** An arrowhead's corners in the line's own frame: the tip (the line's end), then the two back corners. */
export type Arrowhead = readonly [Point, Point, Point];

/**
 * Whether the line draws its start and end heads. A line of width 0 draws nothing, heads
 * included: its bounds at width 0 are then its bare points, which the select tool scales about.
 */
export function drawnHeads(shape: Linear): { start: boolean; end: boolean } {
  const drawn = shape.strokeWidth > 0 && shape.points.length >= 4;
  return { start: drawn && shape.startArrowhead !== 'none', end: drawn && shape.endArrowhead !== 'none' };
}

/**
 * The head at one end: pointing along the line from the nearest point that differs from the end
 * (Konva's rule, so repeated end points still give a direction), `size` long and `size` wide.
 */
function headAt(points: readonly number[], atStart: boolean, size: number): Arrowhead {
  const last = points.length - 2;
  const tip = atStart ? { x: points[0]!, y: points[1]! } : { x: points[last]!, y: points[last + 1]! };
  let dx = 0;
  let dy = 0;
  for (let i = atStart ? 0 : last; dx === 0 && dy === 0 && i >= 0 && i <= last; i += atStart ? 2 : -2) {
    dx = tip.x - points[i]!;
    dy = tip.y - points[i + 1]!;
  }
  const angle = Math.atan2(dy, dx);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const back = { x: tip.x - size * cos, y: tip.y - size * sin };
  const half = size / 2;
  return [tip, { x: back.x + half * sin, y: back.y - half * cos }, { x: back.x - half * sin, y: back.y + half * cos }];
}

/** The heads the line draws, end first (the order the SVG export writes them in). */
export function arrowheads(shape: Linear): Arrowhead[] {
  const heads = drawnHeads(shape);
  const size = arrowheadSize(shape.strokeWidth);
  const out: Arrowhead[] = [];
  const path = linearPath(shape);
  if (heads.end) out.push(headAt(path, false, size));
  if (heads.start) out.push(headAt(path, true, size));
  return out;
}

/** Distance from `p` to the filled triangle `head` (0 inside it). */
export function distanceToArrowhead(p: Point, head: Arrowhead): number {
  const [a, b, c] = head;
  const side = (u: Point, v: Point): number => (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
  const [s1, s2, s3] = [side(a, b), side(b, c), side(c, a)];
  if ((s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0)) return 0;
  return distanceToPolyline(p, [a.x, a.y, b.x, b.y, c.x, c.y, a.x, a.y], 2);
}
