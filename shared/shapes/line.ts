import type { ShapeBase, ShapeDef } from './base.ts';
import { LABEL_TEXT } from './label.ts';
import { readLinear, type LinearFields } from './linear.ts';

/** A line through its points; without arrowheads unless a record says otherwise. */
export interface LineShape extends ShapeBase, LinearFields {
  type: 'line';
}

export const lineDef: ShapeDef<LineShape> = {
  type: 'line',
  pointStride: 2,
  boundEnds: true,
  text: LABEL_TEXT,
  read: (record) => readLinear(record, 'none'),
  example: { points: [0, 0, 160, 60], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none', endArrowhead: 'none', arrowKind: 'straight', bend: 0, text: '' },
};
