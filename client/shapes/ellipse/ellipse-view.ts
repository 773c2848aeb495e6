import Konva from 'konva';
import type { EllipseShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Ellipse = NewShapeOf<EllipseShape>;

// Konva centres an ellipse on its position; the negative offset puts the box's corner at the
// shape's origin instead, so rotation and bounds work like every other shape.
const attrs = (shape: Ellipse) => ({
  ...placement(shape),
  ...strokeAttrs(shape),
  fill: fillOf(shape),
  radiusX: shape.width / 2,
  radiusY: shape.height / 2,
  offsetX: -shape.width / 2,
  offsetY: -shape.height / 2,
});

export const ellipseView: ShapeView<Ellipse, Konva.Ellipse> = {
  create: (shape) => new Konva.Ellipse({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
