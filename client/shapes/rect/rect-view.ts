import Konva from 'konva';
import type { RectShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Rect = NewShapeOf<RectShape>;

const attrs = (shape: Rect) => ({ ...placement(shape), ...strokeAttrs(shape), fill: fillOf(shape), width: shape.width, height: shape.height });

export const rectView: ShapeView<Rect, Konva.Rect> = {
  create: (shape) => new Konva.Rect({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
