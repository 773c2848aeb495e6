import { hitShape } from './geometry.ts';
import type { Point } from './plane.ts';
import type { ShapeSource } from './shape.ts';
import type { Shape } from '../../shared/schema.ts';

/**
 * The topmost unlocked shape under `point`, or null. A linear scan from the top: fine for clicks
 * on boards of thousands of shapes; a spatial index can replace it without changing callers.
 */
export function shapeAt(board: Pick<ShapeSource, 'ordered'>, point: Point, tolerance: number): Shape | null {
  const shapes = board.ordered();
  for (let i = shapes.length - 1; i >= 0; i--) {
    const shape = shapes[i]!;
    if (!shape.locked && hitShape(shape, point, tolerance)) return shape;
  }
  return null;
}
