import type { ShapeBase, ShapeDef } from './base.ts';
import { readLabeledBox, type BoxFields } from './box.ts';
import { LABEL_TEXT, type LabelFields } from './label.ts';

/** A diamond: the rhombus through the middles of the sides of a box of `width` × `height` from the origin. */
export interface DiamondShape extends ShapeBase, BoxFields, LabelFields {
  type: 'diamond';
}

export const diamondDef: ShapeDef<DiamondShape> = {
  type: 'diamond',
  text: LABEL_TEXT,
  read: readLabeledBox,
  example: { width: 160, height: 100, text: 'A label that wraps inside', textAlign: 'center', verticalAlign: 'middle' },
};
