import type { ShapeBase, ShapeDef } from './base.ts';
import { LABEL_TEXT } from './label.ts';
import { readLinear, type LinearFields } from './linear.ts';

/** An arrow: a line whose end has an arrowhead unless a record says otherwise. */
export interface ArrowShape extends ShapeBase, LinearFields {
  type: 'arrow';
}

export const arrowDef: ShapeDef<ArrowShape> = {
  type: 'arrow',
  pointStride: 2,
  boundEnds: true,
  text: LABEL_TEXT,
  read: (record) => readLinear(record, 'arrow'),
  example: { points: [0, 0, 80, 50, 160, 10], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none', endArrowhead: 'arrow', arrowKind: 'straight', bend: 0, text: 'yes' },
};
