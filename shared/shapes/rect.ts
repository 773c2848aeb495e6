import type { ShapeBase, ShapeDef } from './base.ts';
import { readBox, type BoxFields } from './box.ts';

/** A rectangle: a box of `width` × `height` from the origin. */
export interface RectShape extends ShapeBase, BoxFields {
  type: 'rect';
}

export const rectDef: ShapeDef<RectShape> = {
  type: 'rect',
  read: readBox,
  example: { width: 160, height: 100 },
};
