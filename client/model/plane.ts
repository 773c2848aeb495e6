/**
 * Points, boxes and turns in the board plane: the geometry every shape util, the camera and the
 * tools share. It knows nothing of shape types, so anything may import it.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rounds a board coordinate to what is worth storing (1/100 of a unit). */
export function roundCoordinate(value: number): number {
  return Math.round(value * 100) / 100;
}

/** `p` turned about the origin by `degrees` (clockwise on screen, as Konva rotates). */
export function rotate(p: Point, degrees: number): Point {
  if (degrees === 0) return p;
  const r = (degrees * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  return { x: p.x * cos - p.y * sin, y: p.x * sin + p.y * cos };
}

/** The box around the points of a flat [x, y, …] array (`stride` numbers per point), grown by `pad` on every side. */
export function pointsBounds(points: readonly number[], stride: number, pad: number): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += stride) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
}

/** Distance from `p` to the polyline through a flat [x, y, …] array (`stride` numbers per point). */
export function distanceToPolyline(p: Point, points: readonly number[], stride: number): number {
  if (points.length < 2) return Infinity;
  let best = Math.hypot(p.x - points[0]!, p.y - points[1]!);
  for (let i = stride; i + 1 < points.length; i += stride) {
    best = Math.min(best, distanceToSegment(p, points[i - stride]!, points[i - stride + 1]!, points[i]!, points[i + 1]!));
  }
  return best;
}

function distanceToSegment(p: Point, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / lengthSquared));
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}
