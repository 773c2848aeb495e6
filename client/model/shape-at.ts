import { pickShape } from './geometry.ts';
import type { Point } from './plane.ts';
import type { ShapeSource } from './shape.ts';
import { holdsShapes, type Shape } from '../../shared/schema.ts';

/**
 * The topmost unlocked shape a pointer at `point` picks, or null. Frames are drawn below every
 * other shape whatever their index, so they are looked at last, and only their title and edge
 * pick them (geometry.ts pickShape). A linear scan from the top: fine for clicks on boards of
 * thousands of shapes; a spatial index can replace it without changing callers.
 */
export function shapeAt(board: Pick<ShapeSource, 'ordered'>, point: Point, tolerance: number): Shape | null {
  const shapes = board.ordered();
  let frame: Shape | null = null;
  for (let i = shapes.length - 1; i >= 0; i--) {
    const shape = shapes[i]!;
    if (shape.locked || (frame !== null && holdsShapes(shape))) continue;
    if (!pickShape(shape, point, tolerance)) continue;
    if (!holdsShapes(shape)) return shape;
    frame = shape;
  }
  return frame;
}
