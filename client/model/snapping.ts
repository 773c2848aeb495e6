import { shapeBounds } from './geometry.ts';
import { roundCoordinate, type Bounds, type Point } from './plane.ts';
import type { NewShape, ShapeSource } from './shape.ts';
import type { SnapContext, SnapGuide } from './snap-state.ts';

export type { SnapContext, SnapGuide } from './snap-state.ts';

/**
 * Snapping of a moved or resized selection, as pure functions of boxes: to the edges and centres
 * of the shapes near it, to equal gaps between neighbours in a row or column, or to the grid. The
 * select tool asks; the snap-guides layer draws the guides this returns. Candidates come from a
 * region query (the renderer's spatial index), never from a scan of the board.
 */

/** Spacing of the grid, in board units (the dot grid drawn behind the board uses it too). */
export const GRID_SIZE = 24;
/** How close on screen an edge or centre must come to a line to snap to it (CSS px). */
export const SNAP_DISTANCE_PX = 8;
/**
 * How far on screen around the moving box shapes are looked at (CSS px): far enough to find the
 * next shape in a row for an equal gap, near enough that a dense board gives few candidates.
 */
export const SNAP_REACH_PX = 480;

/** A box's offset that snaps it, and the guides that show why; (0, 0) and none when nothing is near. */
export interface SnapOffset {
  dx: number;
  dy: number;
  guides: SnapGuide[];
}

/** `box` grown by `margin` on every side. */
export function grow(box: Bounds, margin: number): Bounds {
  return { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
}

/**
 * The box snapping lines up: the shape's geometry without its stroke, as the resize handles scale
 * it, so a snapped edge puts the stored edges on one line (x equal) whatever the strokes.
 */
export function snapBounds(shape: NewShape): Bounds {
  return shapeBounds({ ...shape, strokeWidth: 0 });
}

/** The bounds of the shapes `near` names, except those in `exclude` (the moving shapes and what they pull). */
export function snapCandidates(source: Pick<ShapeSource, 'get'>, near: Iterable<string>, exclude: ReadonlySet<string>): Bounds[] {
  const out: Bounds[] = [];
  for (const id of near) {
    if (exclude.has(id)) continue;
    const shape = source.get(id);
    if (shape !== undefined) out.push(snapBounds(shape));
  }
  return out;
}

/** One axis of a box: start, size; and the other axis's extent, for guides and rows. */
interface Axis {
  start: (b: Bounds) => number;
  size: (b: Bounds) => number;
  crossStart: (b: Bounds) => number;
  crossSize: (b: Bounds) => number;
  /** A board point from a coordinate on this axis and one on the other. */
  point: (along: number, across: number) => Point;
}

const X: Axis = { start: (b) => b.x, size: (b) => b.width, crossStart: (b) => b.y, crossSize: (b) => b.height, point: (along, across) => ({ x: along, y: across }) };
const Y: Axis = { start: (b) => b.y, size: (b) => b.height, crossStart: (b) => b.x, crossSize: (b) => b.width, point: (along, across) => ({ x: across, y: along }) };

const lines = (axis: Axis, b: Bounds): [number, number, number] => [axis.start(b), axis.start(b) + axis.size(b) / 2, axis.start(b) + axis.size(b)];
const end = (axis: Axis, b: Bounds): number => axis.start(b) + axis.size(b);
/** True if the boxes overlap across `axis` (side by side along it: in one row for X). */
const sameRow = (axis: Axis, a: Bounds, b: Bounds): boolean =>
  axis.crossStart(a) < axis.crossStart(b) + axis.crossSize(b) && axis.crossStart(b) < axis.crossStart(a) + axis.crossSize(a);

/** The best snap along one axis: its offset, and the gap guides that go with it (alignment guides are found after). */
interface AxisSnap {
  offset: number;
  gaps: SnapGuide[];
}

/** A gap guide between two boxes along `axis`, across the middle of where they overlap. */
function gapGuide(axis: Axis, left: Bounds, right: Bounds): SnapGuide {
  const top = Math.max(axis.crossStart(left), axis.crossStart(right));
  const bottom = Math.min(axis.crossStart(left) + axis.crossSize(left), axis.crossStart(right) + axis.crossSize(right));
  const across = (top + bottom) / 2;
  return { kind: 'gap', from: axis.point(end(axis, left), across), to: axis.point(axis.start(right), across) };
}

function snapAxis(axis: Axis, box: Bounds, candidates: readonly Bounds[], threshold: number): AxisSnap | null {
  let best: AxisSnap | null = null;
  const consider = (offset: number, gaps: () => SnapGuide[]): void => {
    if (Math.abs(offset) > threshold || (best !== null && Math.abs(offset) >= Math.abs(best.offset))) return;
    best = { offset, gaps: gaps() };
  };
  const own = lines(axis, box);
  for (const c of candidates) {
    for (const target of lines(axis, c)) for (const line of own) consider(target - line, () => []);
  }
  // Equal gaps: only shapes in the box's row count (for X; its column for Y).
  const row = candidates.filter((c) => sameRow(axis, c, box));
  const before = row.filter((c) => end(axis, c) <= axis.start(box) + threshold);
  const after = row.filter((c) => axis.start(c) >= end(axis, box) - threshold);
  const moved = (offset: number): Bounds => (axis === X ? { ...box, x: box.x + offset } : { ...box, y: box.y + offset });
  for (const a of before) {
    // The nearest shape before `a` in the row sets the gap to repeat after it.
    let b: Bounds | null = null;
    for (const c of row) if (c !== a && end(axis, c) <= axis.start(a) && (b === null || end(axis, c) > end(axis, b))) b = c;
    if (b === null) continue;
    const gap = axis.start(a) - end(axis, b);
    const offset = end(axis, a) + gap - axis.start(box);
    consider(offset, () => [gapGuide(axis, b, a), gapGuide(axis, a, moved(offset))]);
  }
  for (const a of after) {
    let b: Bounds | null = null;
    for (const c of row) if (c !== a && axis.start(c) >= end(axis, a) && (b === null || axis.start(c) < axis.start(b))) b = c;
    if (b === null) continue;
    const gap = axis.start(b) - end(axis, a);
    const offset = axis.start(a) - gap - end(axis, box);
    consider(offset, () => [gapGuide(axis, moved(offset), a), gapGuide(axis, a, b)]);
  }
  // Midway between the nearest shape on each side.
  const left = before.reduce<Bounds | null>((n, c) => (n === null || end(axis, c) > end(axis, n) ? c : n), null);
  const right = after.reduce<Bounds | null>((n, c) => (n === null || axis.start(c) < axis.start(n) ? c : n), null);
  if (left !== null && right !== null && axis.start(right) - end(axis, left) >= axis.size(box)) {
    const offset = (end(axis, left) + axis.start(right) - axis.size(box)) / 2 - axis.start(box);
    consider(offset, () => [gapGuide(axis, left, moved(offset)), gapGuide(axis, moved(offset), right)]);
  }
  return best;
}

/** Lines closer than this (board units) are drawn as one: what is snapped lies on them, up to rounding. */
const SAME_LINE = 0.01;

/**
 * Guides for each edge or centre of `box` that lies on an edge or centre of a candidate: one line
 * per position, spanning the box and every candidate on it.
 */
function alignGuides(axis: Axis, box: Bounds, candidates: readonly Bounds[]): SnapGuide[] {
  const spans = new Map<number, [number, number]>();
  const own = lines(axis, box);
  for (const c of candidates) {
    for (const target of lines(axis, c)) {
      if (!own.some((line) => Math.abs(line - target) < SAME_LINE)) continue;
      const key = roundCoordinate(target);
      const [from, to] = spans.get(key) ?? [axis.crossStart(box), axis.crossStart(box) + axis.crossSize(box)];
      spans.set(key, [Math.min(from, axis.crossStart(c)), Math.max(to, axis.crossStart(c) + axis.crossSize(c))]);
    }
  }
  return [...spans].map(([at, [from, to]]) => ({ kind: 'align', from: axis.point(at, from), to: axis.point(at, to) }));
}

/**
 * The offset that snaps `box` (a moving selection's bounds) to the candidates' edges, centres or
 * equal gaps within `threshold` board units, each axis on its own, with the guides to show.
 */
export function snapBox(box: Bounds, candidates: readonly Bounds[], threshold: number): SnapOffset {
  const sx = snapAxis(X, box, candidates, threshold);
  const sy = snapAxis(Y, box, candidates, threshold);
  const dx = sx?.offset ?? 0;
  const dy = sy?.offset ?? 0;
  const snapped = { ...box, x: box.x + dx, y: box.y + dy };
  const guides = [
    ...(sx !== null ? [...alignGuides(X, snapped, candidates), ...sx.gaps] : []),
    ...(sy !== null ? [...alignGuides(Y, snapped, candidates), ...sy.gaps] : []),
  ];
  return { dx, dy, guides };
}

/**
 * A resize handle's point snapped, on the axes it moves, to the candidates' edges and centres
 * within `threshold`, with the guides to show (a line through the point and the candidates on it).
 */
export function snapPoint(point: Point, axes: { x: boolean; y: boolean }, candidates: readonly Bounds[], threshold: number): { point: Point; guides: SnapGuide[] } {
  const dot = { x: point.x, y: point.y, width: 0, height: 0 };
  const nearest = (axis: Axis): number | null => {
    let best: number | null = null;
    for (const c of candidates) {
      for (const target of lines(axis, c)) {
        const offset = target - axis.start(dot);
        if (Math.abs(offset) <= threshold && (best === null || Math.abs(offset) < Math.abs(best))) best = offset;
      }
    }
    return best;
  };
  const dx = axes.x ? nearest(X) : null;
  const dy = axes.y ? nearest(Y) : null;
  const snapped = { ...dot, x: dot.x + (dx ?? 0), y: dot.y + (dy ?? 0) };
  const guides = [...(dx !== null ? alignGuides(X, snapped, candidates) : []), ...(dy !== null ? alignGuides(Y, snapped, candidates) : [])];
  return { point: { x: snapped.x, y: snapped.y }, guides };
}

/** `value` on the nearest grid line. */
export function toGrid(value: number, size = GRID_SIZE): number {
  return Math.round(value / size) * size;
}

/** What a pointer event says about snapping: Alt held turns it off; the zoom sets the distance. */
export interface SnapInput {
  altKey: boolean;
  scale: number;
}

/**
 * The snapped translation of a drag of `box` by (dx, dy): the box's top-left on the grid when the
 * grid is on, else its edges, centres and gaps on the shapes near it (except `exclude`). Guides
 * are set on the context (none when not snapped). No context, or Alt, gives the drag as it is.
 */
export function snapDrag(snap: SnapContext | undefined, source: Pick<ShapeSource, 'get'>, box: Bounds, exclude: ReadonlySet<string>, dx: number, dy: number, input: SnapInput): Point {
  if (snap === undefined) return { x: dx, y: dy };
  const moved = { ...box, x: box.x + dx, y: box.y + dy };
  let offset: SnapOffset = { dx: 0, dy: 0, guides: [] };
  if (!input.altKey && snap.grid) offset = { dx: toGrid(moved.x) - moved.x, dy: toGrid(moved.y) - moved.y, guides: [] };
  else if (!input.altKey && snap.objects) {
    const near = snap.near(grow(moved, SNAP_REACH_PX / input.scale));
    offset = snapBox(moved, snapCandidates(source, near, exclude), SNAP_DISTANCE_PX / input.scale);
  }
  snap.setGuides(offset.guides);
  return { x: roundCoordinate(dx + offset.dx), y: roundCoordinate(dy + offset.dy) };
}

/** A resize handle dragged to `point`, snapped as snapDrag snaps a drag (on the axes the handle moves). */
export function snapHandle(snap: SnapContext | undefined, source: Pick<ShapeSource, 'get'>, point: Point, axes: { x: boolean; y: boolean }, exclude: ReadonlySet<string>, input: SnapInput): Point {
  if (snap === undefined) return point;
  let snapped: { point: Point; guides: SnapGuide[] } = { point, guides: [] };
  if (!input.altKey && snap.grid) snapped = { point: { x: axes.x ? toGrid(point.x) : point.x, y: axes.y ? toGrid(point.y) : point.y }, guides: [] };
  else if (!input.altKey && snap.objects) {
    const near = snap.near(grow({ ...point, width: 0, height: 0 }, SNAP_REACH_PX / input.scale));
    snapped = snapPoint(point, axes, snapCandidates(source, near, exclude), SNAP_DISTANCE_PX / input.scale);
  }
  snap.setGuides(snapped.guides);
  return snapped.point;
}
