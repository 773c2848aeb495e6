import type { ShapeBase, ShapeDef } from './base.ts';
import { readBox, type BoxFields } from './box.ts';

/** An ellipse inscribed in a box of `width` × `height` from the origin. */
export interface EllipseShape extends ShapeBase, BoxFields {
  type: 'ellipse';
}

export const ellipseDef: ShapeDef<EllipseShape> = {
  type: 'ellipse',
  read: readBox,
  example: { width: 160, height: 100 },
};
