import Konva from 'konva';
import type { EllipseShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, strokeAttrs } from '../../canvas/views/style.ts';
import { ELLIPSE_INSET } from '../box-label.ts';
import { labelledBoxView } from '../box-label-view.ts';

type Ellipse = NewShapeOf<EllipseShape>;

// Konva centres an ellipse on its position; placing it at the box's middle puts the box's corner
// at the group's origin, so rotation and bounds work like every other shape.
const attrs = (shape: Ellipse) => ({
  ...strokeAttrs(shape),
  fill: fillOf(shape),
  radiusX: shape.width / 2,
  radiusY: shape.height / 2,
  x: shape.width / 2,
  y: shape.height / 2,
});

/** An ellipse and its label. */
export const ellipseView = labelledBoxView(() => new Konva.Ellipse(), attrs, ELLIPSE_INSET);
