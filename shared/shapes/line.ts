import type { ShapeBase, ShapeDef } from './base.ts';
import { readLinear, type LinearFields } from './linear.ts';

/** A line through its points; without arrowheads unless a record says otherwise. */
export interface LineShape extends ShapeBase, LinearFields {
  type: 'line';
}

export const lineDef: ShapeDef<LineShape> = {
  type: 'line',
  pointStride: 2,
  boundEnds: true,
  read: (record) => readLinear(record, false),
  example: { points: [0, 0, 160, 60], startBinding: null, endBinding: null, startArrowhead: false, endArrowhead: false },
};
