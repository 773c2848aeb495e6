import type { Anchor } from '../../shared/shapes/linear.ts';
import { hasBoundEnds, type LinearShape, type Shape } from '../../shared/schema.ts';
import { elbowRoute } from './elbow-route.ts';
import { rotate, type Bounds, type Point } from './plane.ts';

/**
 * Bound ends are derived, not stored: a line's or an arrow's end bound to a shape is placed from
 * that shape's current geometry and the end's anchor every time either is read. So the arrow stays
 * attached whoever moves the shape (another user, an undo, a bot that never touches the arrow).
 */

/** The edge of a shape as a closed polygon in its own frame; null when the type has none. */
export type OutlineOf = (shape: Shape) => readonly Point[] | null;

/** How far a bound end stops short of its shape's edge, before half the arrow's stroke. */
export const BOUND_END_GAP = 4;

/** A shape's own unrotated box extent; shapes without a size (lines, points) have none. */
function extent(shape: Shape): { width: number; height: number } | null {
  return 'width' in shape && 'height' in shape ? { width: shape.width, height: shape.height } : null;
}

/** The box polygon of a shape's own frame, the outline a type without one falls back to. */
function boxOutline(shape: Shape): Point[] | null {
  const size = extent(shape);
  if (size === null) return null;
  return [
    { x: 0, y: 0 },
    { x: size.width, y: 0 },
    { x: size.width, y: size.height },
    { x: 0, y: size.height },
  ];
}

const toBoard = (shape: Shape, p: Point): Point => {
  const r = rotate(p, shape.rotation);
  return { x: shape.x + r.x, y: shape.y + r.y };
};
const toLocal = (shape: Shape, p: Point): Point => rotate({ x: p.x - shape.x, y: p.y - shape.y }, -shape.rotation);

/** The anchor a stored board point stands for on `shape` (for records written before anchors). */
export function anchorFor(shape: Shape, point: Point): Anchor | null {
  const size = extent(shape);
  if (size === null) return null;
  const local = toLocal(shape, point);
  const clamp = (n: number): number => Math.min(1, Math.max(0, n));
  const share = (value: number, length: number): number => (length > 0 ? clamp(value / length) : 0.5);
  return { x: share(local.x, size.width), y: share(local.y, size.height) };
}

/** The board point of `anchor` on `shape`: its shares of the own box, turned and placed as the shape is. */
export function anchorPoint(shape: Shape, anchor: Anchor): Point | null {
  const size = extent(shape);
  if (size === null) return null;
  return toBoard(shape, { x: anchor.x * size.width, y: anchor.y * size.height });
}

/**
 * Where the segment from `from` to `to` (own frame) first crosses the closed polygon, as the
 * share t of the segment; null if it does not cross it.
 */
function firstCrossing(polygon: readonly Point[], from: Point, to: Point): number | null {
  let best: number | null = null;
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    const ex = b.x - a.x;
    const ey = b.y - a.y;
    const denom = dx * ey - dy * ex;
    if (denom === 0) continue;
    const t = ((a.x - from.x) * ey - (a.y - from.y) * ex) / denom;
    const u = ((a.x - from.x) * dy - (a.y - from.y) * dx) / denom;
    if (t < 0 || t > 1 || u < 0 || u > 1) continue;
    if (best === null || t < best) best = t;
  }
  return best;
}

function insidePolygon(polygon: readonly Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * The end attached to `target` at `anchor`, seen from `neighbour` (the arrow's next point): the
 * anchor point, or, when that lies inside the shape, where the segment from the neighbour towards
 * it crosses the outline, stopped `gap` short. A neighbour inside the shape too has no crossing
 * to stop at: the end is then the anchor point itself.
 */
export function attachedEnd(target: Shape, anchor: Anchor, neighbour: Point, gap: number, outlineOf?: OutlineOf): Point | null {
  const size = extent(target);
  if (size === null) return null;
  const polygon = outlineOf?.(target) ?? boxOutline(target);
  const localAnchor = { x: anchor.x * size.width, y: anchor.y * size.height };
  if (polygon === null || polygon.length < 3) return toBoard(target, localAnchor);
  const from = toLocal(target, neighbour);
  if (insidePolygon(polygon, from)) return toBoard(target, localAnchor);
  const t = firstCrossing(polygon, from, localAnchor);
  if (t === null) return toBoard(target, localAnchor);
  const dx = localAnchor.x - from.x;
  const dy = localAnchor.y - from.y;
  const length = Math.hypot(dx, dy);
  // Back off along the segment, but never past the neighbour.
  const back = length > 0 ? Math.min(t, gap / length) : 0;
  const s = t - back;
  return toBoard(target, { x: from.x + dx * s, y: from.y + dy * s });
}

/** The board box around a shape's own box as it is turned and placed; null without a size. */
function boardBox(shape: Shape): Bounds | null {
  const corners = boxOutline(shape)?.map((p) => toBoard(shape, p));
  if (corners === undefined) return null;
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * `shape` with each bound end placed on its bound shape (`lookup`), and the anchors of ends stored
 * without one taken from the stored point. Pure and idempotent: resolving a resolved shape gives
 * it back. Ends bound to a shape `lookup` does not know, or to a shape with no box, stay as stored.
 */
export function resolveBoundEnds<S extends LinearShape>(shape: S, lookup: (id: string) => Shape | undefined, outlineOf?: OutlineOf): S {
  if (!hasBoundEnds(shape)) return shape;
  const startTarget = shape.startBinding !== null ? lookup(shape.startBinding) : undefined;
  const endTarget = shape.endBinding !== null ? lookup(shape.endBinding) : undefined;
  if (startTarget === undefined && endTarget === undefined) return shape;
  const points: Point[] = [];
  for (let i = 0; i + 1 < shape.points.length; i += 2) points.push(toBoardOf(shape, { x: shape.points[i]!, y: shape.points[i + 1]! }));
  const last = points.length - 1;
  if (last < 1) return shape;
  const startAnchor = startTarget !== undefined ? (shape.startAnchor ?? anchorFor(startTarget, points[0]!)) : shape.startAnchor;
  const endAnchor = endTarget !== undefined ? (shape.endAnchor ?? anchorFor(endTarget, points[last]!)) : shape.endAnchor;
  const startAt = startTarget !== undefined && startAnchor !== null ? anchorPoint(startTarget, startAnchor) : null;
  const endAt = endTarget !== undefined && endAnchor !== null ? anchorPoint(endTarget, endAnchor) : null;
  // A straight arrow with inner points aims from them; otherwise each end aims from the other
  // end's anchor (the shapes' attachment points, not where the ends stopped last time), which
  // keeps the result independent of the stored ends and so idempotent.
  const innerAim = shape.arrowKind === 'straight' && last >= 2;
  const startNeighbour = innerAim ? points[1]! : (endAt ?? points[last]!);
  const endNeighbour = innerAim ? points[last - 1]! : (startAt ?? points[0]!);
  const gap = BOUND_END_GAP + shape.strokeWidth / 2;
  const start = startTarget !== undefined && startAnchor !== null ? attachedEnd(startTarget, startAnchor, startNeighbour, gap, outlineOf) : null;
  const end = endTarget !== undefined && endAnchor !== null ? attachedEnd(endTarget, endAnchor, endNeighbour, gap, outlineOf) : null;
  if (start === null && end === null) return shape;
  const ends = points.map((p, i) => (i === 0 && start !== null ? start : i === last && end !== null ? end : p));
  // An elbow arrow is routed again from its resolved ends around its bound shapes' boxes.
  const moved =
    shape.arrowKind === 'elbow'
      ? elbowRoute({ point: ends[0]!, box: startTarget !== undefined ? boardBox(startTarget) : null }, { point: ends[last]!, box: endTarget !== undefined ? boardBox(endTarget) : null })
      : ends;
  // The origin stays at the first point, so the stored frame (rotation included) is kept.
  const origin = moved[0]!;
  const flat = moved.flatMap((p) => {
    const local = rotate({ x: p.x - origin.x, y: p.y - origin.y }, -shape.rotation);
    return [round(local.x), round(local.y)];
  });
  return { ...shape, x: round(origin.x), y: round(origin.y), points: flat, startAnchor, endAnchor };
}

function toBoardOf(shape: LinearShape, p: Point): Point {
  const r = rotate(p, shape.rotation);
  return { x: shape.x + r.x, y: shape.y + r.y };
}
