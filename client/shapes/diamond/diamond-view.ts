import Konva from 'konva';
import type { DiamondShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, strokeAttrs } from '../../canvas/views/style.ts';
import { DIAMOND_INSET } from '../box-label.ts';
import { labelledBoxView } from '../box-label-view.ts';

type Diamond = NewShapeOf<DiamondShape>;

/** The corners as a flat [x, y, …] array, clockwise from the top: the view and the SVG export draw the same polygon. */
export function diamondCorners(shape: Pick<Diamond, 'width' | 'height'>): number[] {
  const w = shape.width;
  const h = shape.height;
  return [w / 2, 0, w, h / 2, w / 2, h, 0, h / 2];
}

const attrs = (shape: Diamond) => ({ ...strokeAttrs(shape), fill: fillOf(shape), closed: true, points: diamondCorners(shape) });

/** A diamond and its label. */
export const diamondView = labelledBoxView(() => new Konva.Line({ closed: true }), attrs, DIAMOND_INSET);
