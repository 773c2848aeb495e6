import type { BoxFields, Shape } from '../../shared/schema.ts';
import { roundCoordinate, type Bounds, type Point } from '../model/plane.ts';
import type { NewShapeOf } from '../model/shape.ts';

/** Geometry the box-shaped types share (rectangle, ellipse, diamond, note): a box from the origin. */

type Box = NewShapeOf<Extract<Shape, BoxFields>>;

/** Smallest side a resize leaves, in board units, so a shape never collapses to nothing. */
export const MIN_SIDE = 1;

/** The box, grown by half the stroke on every side. */
export function boxBounds(shape: Pick<Box, 'width' | 'height' | 'strokeWidth'>): Bounds {
  const pad = shape.strokeWidth / 2;
  return { x: -pad, y: -pad, width: shape.width + 2 * pad, height: shape.height + 2 * pad };
}

/** Whether a point of the shape's frame is inside the box grown by half the stroke and `tolerance`. */
export function boxContains(shape: Pick<Box, 'width' | 'height' | 'strokeWidth'>, p: Point, tolerance: number): boolean {
  const pad = shape.strokeWidth / 2 + tolerance;
  return p.x >= -pad && p.y >= -pad && p.x <= shape.width + pad && p.y <= shape.height + pad;
}

/** The box scaled, never below MIN_SIDE on a side. */
export function boxResize<S extends Pick<Box, 'width' | 'height'>>(shape: S, sx: number, sy: number): S {
  return { ...shape, width: roundCoordinate(Math.max(MIN_SIDE, shape.width * sx)), height: roundCoordinate(Math.max(MIN_SIDE, shape.height * sy)) };
}
