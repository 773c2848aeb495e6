import type { ShapeBase, ShapeDef } from './base.ts';
import { readLabeledBox, type BoxFields } from './box.ts';
import { LABEL_TEXT, type LabelFields } from './label.ts';

/** An ellipse inscribed in a box of `width` × `height` from the origin. */
export interface EllipseShape extends ShapeBase, BoxFields, LabelFields {
  type: 'ellipse';
}

export const ellipseDef: ShapeDef<EllipseShape> = {
  type: 'ellipse',
  text: LABEL_TEXT,
  read: readLabeledBox,
  example: { width: 160, height: 100, text: 'A label that wraps inside', textAlign: 'center', verticalAlign: 'middle' },
};
