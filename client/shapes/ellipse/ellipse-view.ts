import Konva from 'konva';
import type { EllipseShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';
import { ELLIPSE_INSET } from '../box-label.ts';
import { labelLayoutAttrs } from '../box-label-text.ts';
import { syncLabelNode } from '../box-label-view.ts';

type Ellipse = NewShapeOf<EllipseShape>;

// Konva centres an ellipse on its position; placing it at the box's middle puts the box's corner
// at the group's origin, so rotation and bounds work like every other shape. The group fades as
// a whole (its opacity), so the ellipse is drawn opaque inside it.
const attrs = (shape: Ellipse) => ({
  ...strokeAttrs(shape),
  opacity: 1,
  fill: fillOf(shape),
  radiusX: shape.width / 2,
  radiusY: shape.height / 2,
  x: shape.width / 2,
  y: shape.height / 2,
});

/** An ellipse and its label, as one group so they move, turn and fade as one. */
export const ellipseView: ShapeView<Ellipse, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    group.add(new Konva.Ellipse({ ...NODE_DEFAULTS, name: 'body' }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.body')?.setAttrs(attrs(shape));
    syncLabelNode(group, { ...labelLayoutAttrs(shape, ELLIPSE_INSET), fill: shape.strokeColor });
  },
};
