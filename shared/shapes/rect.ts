import type { ShapeBase, ShapeDef } from './base.ts';
import { readLabeledBox, type BoxFields } from './box.ts';
import { LABEL_TEXT, type LabelFields } from './label.ts';

/** A rectangle: a box of `width` × `height` from the origin. */
export interface RectShape extends ShapeBase, BoxFields, LabelFields {
  type: 'rect';
}

export const rectDef: ShapeDef<RectShape> = {
  type: 'rect',
  text: LABEL_TEXT,
  read: readLabeledBox,
  example: { width: 160, height: 100, text: 'A label that wraps inside', textAlign: 'center', verticalAlign: 'middle' },
};
