import Konva from 'konva';
import type { BoxShape } from '../../../shared/schema.ts';
import type { DistributiveOmit } from '../../model/board.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from './style.ts';
import { placement, type ShapeView } from './view.ts';

type Diamond = DistributiveOmit<BoxShape, 'index'>;

const attrs = (shape: Diamond) => {
  const w = shape.width;
  const h = shape.height;
  return { ...placement(shape), ...strokeAttrs(shape), fill: fillOf(shape), closed: true, points: [w / 2, 0, w, h / 2, w / 2, h, 0, h / 2] };
};

export const diamondView: ShapeView<Diamond, Konva.Line> = {
  create: (shape) => new Konva.Line({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
