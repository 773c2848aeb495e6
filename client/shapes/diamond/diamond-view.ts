import Konva from 'konva';
import type { DiamondShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Diamond = NewShapeOf<DiamondShape>;

/** The corners as a flat [x, y, …] array, clockwise from the top: the view and the SVG export draw the same polygon. */
export function diamondCorners(shape: Pick<Diamond, 'width' | 'height'>): number[] {
  const w = shape.width;
  const h = shape.height;
  return [w / 2, 0, w, h / 2, w / 2, h, 0, h / 2];
}

const attrs = (shape: Diamond) => ({ ...placement(shape), ...strokeAttrs(shape), fill: fillOf(shape), closed: true, points: diamondCorners(shape) });

export const diamondView: ShapeView<Diamond, Konva.Line> = {
  create: (shape) => new Konva.Line({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
