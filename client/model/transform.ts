import type { NewShape, ShapePatch } from './shape.ts';
import { shapeBounds } from './geometry.ts';
import { roundCoordinate, type Bounds, type Point } from './plane.ts';
import { shapeUtil } from '../shapes/registry.ts';
import type { GestureTransform } from '../../shared/presence.ts';

/**
 * Resize and rotate of a selection as pure functions from shapes to shapes, so the select tool can
 * preview them in the draft and write them once, and tests can check them without a canvas.
 */

/** The box around every given shape, or null for none. */
export function unionBounds(shapes: Iterable<NewShape>): Bounds | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const shape of shapes) {
    const b = shapeBounds(shape);
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

const round = roundCoordinate;

/**
 * The shape scaled by (sx, sy) about the board point `anchor`: its origin moves, and its type's
 * util scales the rest (boxes and notes change size, ink and lines scale their points, text
 * scales its font with the height).
 */
export function scaleShape<S extends NewShape>(shape: S, anchor: Point, sx: number, sy: number): S {
  const scaled = shapeUtil(shape).resize(shape, sx, sy) as S;
  return { ...scaled, x: round(anchor.x + (shape.x - anchor.x) * sx), y: round(anchor.y + (shape.y - anchor.y) * sy) };
}

/** The shape turned by `degrees` about the board point `center` (it rotates about its own origin). */
export function rotateShape<S extends NewShape>(shape: S, center: Point, degrees: number): S {
  const r = (degrees * Math.PI) / 180;
  const dx = shape.x - center.x;
  const dy = shape.y - center.y;
  return {
    ...shape,
    x: round(center.x + dx * Math.cos(r) - dy * Math.sin(r)),
    y: round(center.y + dx * Math.sin(r) + dy * Math.cos(r)),
    rotation: round((((shape.rotation + degrees) % 360) + 360) % 360),
  };
}

/**
 * The shape as a resize or rotation leaves it: what the select tool previews and writes, and what
 * others compute from the parameters it publishes while the gesture runs.
 */
export function applyTransform<S extends NewShape>(shape: S, transform: GestureTransform): S {
  if (transform.kind === 'rotate') return rotateShape(shape, transform.center, transform.degrees);
  const scaled = scaleShape(shape, transform.origin, transform.sx, transform.sy);
  return { ...scaled, x: round(scaled.x + transform.to.x - transform.origin.x), y: round(scaled.y + transform.to.y - transform.origin.y) };
}

/** The fields that differ between two versions of a shape, as a patch. */
export function diffShape(before: NewShape, after: NewShape): ShapePatch {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (key === 'id' || key === 'type') continue;
    const old = (before as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value) && Array.isArray(old) && value.length === old.length && value.every((n, i) => n === old[i])) continue;
    if (value !== old) patch[key] = value;
  }
  return patch as ShapePatch;
}
