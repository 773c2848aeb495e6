import type { ShapeBase, ShapeDef } from './base.ts';
import { readBox, type BoxFields } from './box.ts';

/** A diamond: the rhombus through the middles of the sides of a box of `width` × `height` from the origin. */
export interface DiamondShape extends ShapeBase, BoxFields {
  type: 'diamond';
}

export const diamondDef: ShapeDef<DiamondShape> = {
  type: 'diamond',
  read: readBox,
  example: { width: 160, height: 100 },
};
