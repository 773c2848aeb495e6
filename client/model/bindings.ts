import type { LinearShape } from '../../shared/schema.ts';
import type { Board, NewShape, ShapePatch } from './board.ts';
import type { Point } from './geometry.ts';

/**
 * Arrows bound to shapes follow them. When shapes change (moved, resized, rotated), each bound end
 * keeps its place relative to the shape: its position in the shape's own unrotated frame, as a
 * share of the width and height, is carried over to the changed shape. The mover writes the
 * arrows in the same transaction, so the move and the arrows are one undo step.
 */
export function followBindings(board: Board, changed: ReadonlyMap<string, NewShape>): Map<string, ShapePatch> {
  const patches = new Map<string, ShapePatch>();
  if (changed.size === 0) return patches;
  for (const shape of board.ordered()) {
    if ((shape.type !== 'arrow' && shape.type !== 'line') || changed.has(shape.id)) continue;
    const start = shape.startBinding !== null ? changed.get(shape.startBinding) : undefined;
    const end = shape.endBinding !== null ? changed.get(shape.endBinding) : undefined;
    if (start === undefined && end === undefined) continue;
    const points = absolutePoints(shape);
    if (start !== undefined) points[0] = carry(points[0]!, board.get(start.id), start);
    if (end !== undefined) points[points.length - 1] = carry(points[points.length - 1]!, board.get(end.id), end);
    const origin = points[0]!;
    patches.set(shape.id, {
      x: round(origin.x),
      y: round(origin.y),
      points: points.flatMap((p) => [round(p.x - origin.x), round(p.y - origin.y)]),
    });
  }
  return patches;
}

const round = (n: number): number => Math.round(n * 100) / 100;

function absolutePoints(shape: LinearShape): Point[] {
  const points: Point[] = [];
  const r = (shape.rotation * Math.PI) / 180;
  for (let i = 0; i + 1 < shape.points.length; i += 2) {
    const px = shape.points[i]!;
    const py = shape.points[i + 1]!;
    points.push({ x: shape.x + px * Math.cos(r) - py * Math.sin(r), y: shape.y + px * Math.sin(r) + py * Math.cos(r) });
  }
  return points;
}

/** `point`, attached to `before`, carried to where it belongs on `after`. */
function carry(point: Point, before: NewShape | undefined, after: NewShape): Point {
  if (before === undefined) return point;
  const local = toLocal(point, before);
  const [bw, bh] = extent(before);
  const [aw, ah] = extent(after);
  const scaled = { x: bw > 0 ? (local.x / bw) * aw : local.x, y: bh > 0 ? (local.y / bh) * ah : local.y };
  const r = (after.rotation * Math.PI) / 180;
  return { x: after.x + scaled.x * Math.cos(r) - scaled.y * Math.sin(r), y: after.y + scaled.x * Math.sin(r) + scaled.y * Math.cos(r) };
}

function toLocal(point: Point, shape: NewShape): Point {
  const r = (-shape.rotation * Math.PI) / 180;
  const dx = point.x - shape.x;
  const dy = point.y - shape.y;
  return { x: dx * Math.cos(r) - dy * Math.sin(r), y: dx * Math.sin(r) + dy * Math.cos(r) };
}

function extent(shape: NewShape): [number, number] {
  return 'height' in shape ? [shape.width, shape.height] : [0, 0];
}
