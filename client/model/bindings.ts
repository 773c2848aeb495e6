import { hasBoundEnds, type LinearShape, type Shape } from '../../shared/schema.ts';
import { rotate, type Point } from './plane.ts';
import type { NewShape, ShapePatch, ShapeSource } from './shape.ts';

/**
 * Arrows bound to shapes follow them. When shapes change (moved, resized, rotated), each bound end
 * keeps its place relative to the shape: its position in the shape's own unrotated frame, as a
 * share of the width and height, is carried over to the changed shape. The board derives bound
 * ends from the shapes (bound-ends.ts), so a gesture writes only the shapes it changed; the select
 * tool and the presence of others use followedShapes to show the arrows following while the
 * gesture runs, before anything is written.
 */

/** Ids of the lines and arrows with an end bound to one of `ids`, leaving out those among `ids`. */
export function boundLinearIds(board: Pick<ShapeSource, 'ordered'>, ids: ReadonlySet<string>): string[] {
  const found: string[] = [];
  if (ids.size === 0) return found;
  for (const shape of board.ordered()) {
    if (!hasBoundEnds(shape) || ids.has(shape.id)) continue;
    if ((shape.startBinding !== null && ids.has(shape.startBinding)) || (shape.endBinding !== null && ids.has(shape.endBinding))) found.push(shape.id);
  }
  return found;
}

/**
 * The lines and arrows bound to the `changed` shapes as they are once they follow them, by id.
 * Only the `candidates` are looked at when given (from boundLinearIds, so a gesture does not scan
 * the board on every pointer move); otherwise every shape on the board is.
 */
export function followedShapes(board: ShapeSource, changed: ReadonlyMap<string, NewShape>, candidates?: Iterable<string>): Map<string, LinearShape> {
  const followed = new Map<string, LinearShape>();
  if (changed.size === 0) return followed;
  const shapes = candidates === undefined ? board.ordered() : [...candidates].map((id) => board.get(id));
  for (const shape of shapes) {
    if (shape === undefined || !hasBoundEnds(shape) || changed.has(shape.id)) continue;
    const start = shape.startBinding !== null ? changed.get(shape.startBinding) : undefined;
    const end = shape.endBinding !== null ? changed.get(shape.endBinding) : undefined;
    if (start === undefined && end === undefined) continue;
    const points = absolutePoints(shape);
    const last = points.length - 1;
    if (last < 1) continue;
    const before = { start: points[0]!, end: points[last]! };
    const after = {
      start: start !== undefined ? carry(before.start, board.get(start.id), start) : before.start,
      end: end !== undefined ? carry(before.end, board.get(end.id), end) : before.end,
    };
    // With both ends carried, the points between them go along (two shapes moved together keep
    // the arrow's shape); with one end carried, they stay where they were.
    const inner = start !== undefined && end !== undefined ? similarity(before.start, before.end, after.start, after.end) : (p: Point) => p;
    const moved = points.map((p, i) => (i === 0 ? after.start : i === last ? after.end : inner(p)));
    followed.set(shape.id, { ...shape, ...relativePoints(moved, shape.rotation) });
  }
  return followed;
}

/**
 * Patches that detach lines and arrows from the shapes in `deleted`: they stay where they are
 * (`shapes` are the board's, ends resolved: the patch writes them, as the end was derived) and
 * lose the binding, which would otherwise point at nothing until a shape with that id came back
 * some other way (an imported file keeps ids). Written with the delete, an undo restores both.
 * Lines and arrows that are themselves deleted are left alone.
 */
export function detachBindings(shapes: Iterable<Shape>, deleted: ReadonlySet<string>): Map<string, ShapePatch> {
  const patches = new Map<string, ShapePatch>();
  if (deleted.size === 0) return patches;
  for (const shape of shapes) {
    if (!hasBoundEnds(shape) || deleted.has(shape.id)) continue;
    const patch = unbindPatch(shape, (id) => deleted.has(id));
    if (patch) patches.set(shape.id, patch);
  }
  return patches;
}

/**
 * Patches that detach the lines and arrows among `changed` from shapes not changed with them: an
 * arrow moved, resized or rotated on its own no longer ends at its shape, and would jump back to
 * it at that shape's next move (Excalidraw and tldraw unbind it too). Ends bound to shapes changed
 * in the same gesture keep their binding. The patch writes the arrow's points as `changed` has
 * them: a bound end's stored point may be stale (derived ends are not written back).
 */
export function releasedBindings(changed: ReadonlyMap<string, NewShape>): Map<string, ShapePatch> {
  const patches = new Map<string, ShapePatch>();
  for (const shape of changed.values()) {
    if (!hasBoundEnds(shape)) continue;
    const patch = unbindPatch(shape, (id) => !changed.has(id));
    if (patch) patches.set(shape.id, patch);
  }
  return patches;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** The patch that unbinds the ends of `shape` bound to a shape `letsGo` picks; null if none is. */
function unbindPatch(shape: Pick<LinearShape, 'startBinding' | 'endBinding' | 'x' | 'y' | 'points'>, letsGo: (id: string) => boolean): ShapePatch | null {
  const patch: Partial<Pick<LinearShape, 'startBinding' | 'endBinding' | 'startAnchor' | 'endAnchor'>> = {};
  if (shape.startBinding !== null && letsGo(shape.startBinding)) Object.assign(patch, { startBinding: null, startAnchor: null });
  if (shape.endBinding !== null && letsGo(shape.endBinding)) Object.assign(patch, { endBinding: null, endAnchor: null });
  return Object.keys(patch).length > 0 ? { ...patch, x: shape.x, y: shape.y, points: [...shape.points] } : null;
}

function absolutePoints(shape: LinearShape): Point[] {
  const points: Point[] = [];
  for (let i = 0; i + 1 < shape.points.length; i += 2) {
    const p = rotate({ x: shape.points[i]!, y: shape.points[i + 1]! }, shape.rotation);
    points.push({ x: shape.x + p.x, y: shape.y + p.y });
  }
  return points;
}

/**
 * Board points back into a line's fields: the origin at the first point, the points relative to it
 * in the line's own frame, so a rotated line keeps its rotation and is drawn where the points are.
 */
function relativePoints(points: readonly Point[], rotation: number): Pick<LinearShape, 'x' | 'y' | 'points'> {
  const origin = points[0]!;
  return {
    x: round(origin.x),
    y: round(origin.y),
    points: points.flatMap((p) => {
      const local = rotate({ x: p.x - origin.x, y: p.y - origin.y }, -rotation);
      return [round(local.x), round(local.y)];
    }),
  };
}

/** The turn, scale and shift that takes a0 to a1 and b0 to b1 (only the shift if a0 is b0). */
function similarity(a0: Point, b0: Point, a1: Point, b1: Point): (p: Point) => Point {
  const ux = b0.x - a0.x;
  const uy = b0.y - a0.y;
  const length = ux * ux + uy * uy;
  if (length === 0) return (p) => ({ x: p.x + a1.x - a0.x, y: p.y + a1.y - a0.y });
  // As complex numbers: p ↦ a1 + (p − a0)·k with k = (b1 − a1) / (b0 − a0).
  const vx = b1.x - a1.x;
  const vy = b1.y - a1.y;
  const kx = (vx * ux + vy * uy) / length;
  const ky = (vy * ux - vx * uy) / length;
  return (p) => {
    const dx = p.x - a0.x;
    const dy = p.y - a0.y;
    return { x: a1.x + dx * kx - dy * ky, y: a1.y + dx * ky + dy * kx };
  };
}

/** `point`, attached to `before`, carried to where it belongs on `after`. */
function carry(point: Point, before: NewShape | undefined, after: NewShape): Point {
  if (before === undefined) return point;
  const local = rotate({ x: point.x - before.x, y: point.y - before.y }, -before.rotation);
  const [bw, bh] = extent(before);
  const [aw, ah] = extent(after);
  const scaled = rotate({ x: bw > 0 ? (local.x / bw) * aw : local.x, y: bh > 0 ? (local.y / bh) * ah : local.y }, after.rotation);
  return { x: after.x + scaled.x, y: after.y + scaled.y };
}

function extent(shape: NewShape): [number, number] {
  return 'height' in shape ? [shape.width, shape.height] : [0, 0];
}
