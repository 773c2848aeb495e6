import { shapeUtil } from '../shapes/registry.ts';
import { rotate, type Bounds, type Point } from './plane.ts';
import type { NewShape } from './shape.ts';

/**
 * Board-space geometry of shapes, without a canvas: bounds for the selection outline and hit
 * tests for the select tool. Every view draws a shape from its origin (x, y) and rotates it
 * about that origin, so each type's util answers in that frame and this turns the answer onto
 * the board.
 */

export { rotate, type Bounds, type Point } from './plane.ts';

/** The shape's extent in its own unrotated coordinates, stroke included. */
export function localBounds(shape: NewShape): Bounds {
  return shapeUtil(shape).localBounds(shape);
}

/** The axis-aligned box around the shape on the board, rotation included. */
export function shapeBounds(shape: NewShape): Bounds {
  const local = localBounds(shape);
  if (shape.rotation === 0) return { x: shape.x + local.x, y: shape.y + local.y, width: local.width, height: local.height };
  const corners = [
    { x: local.x, y: local.y },
    { x: local.x + local.width, y: local.y },
    { x: local.x, y: local.y + local.height },
    { x: local.x + local.width, y: local.y + local.height },
  ].map((corner) => rotate(corner, shape.rotation));
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  return { x: shape.x + minX, y: shape.y + minY, width: Math.max(...xs) - minX, height: Math.max(...ys) - minY };
}

/** True if `point` (board space) is on the shape, within `tolerance` board units. */
export function hitShape(shape: NewShape, point: Point, tolerance: number): boolean {
  return shapeUtil(shape).hitTest(shape, rotate({ x: point.x - shape.x, y: point.y - shape.y }, -shape.rotation), tolerance);
}

/**
 * True if a pointer at `point` (board space) picks the shape: where it hits, or fewer places for a
 * type that says so (a frame: its title and edge, see ShapeUtil.pickTest).
 */
export function pickShape(shape: NewShape, point: Point, tolerance: number): boolean {
  const util = shapeUtil(shape);
  const local = rotate({ x: point.x - shape.x, y: point.y - shape.y }, -shape.rotation);
  return (util.pickTest ?? util.hitTest)(shape, local, tolerance);
}
