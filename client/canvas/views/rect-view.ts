import Konva from 'konva';
import type { BoxShape } from '../../../shared/schema.ts';
import type { DistributiveOmit } from '../../model/board.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from './style.ts';
import { placement, type ShapeView } from './view.ts';

type Rect = DistributiveOmit<BoxShape, 'index'>;

const attrs = (shape: Rect) => ({ ...placement(shape), ...strokeAttrs(shape), fill: fillOf(shape), width: shape.width, height: shape.height });

export const rectView: ShapeView<Rect, Konva.Rect> = {
  create: (shape) => new Konva.Rect({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
