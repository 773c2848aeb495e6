import Konva from 'konva';
import type { RectShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';
import { RECT_INSET } from '../box-label.ts';
import { labelLayoutAttrs } from '../box-label-text.ts';
import { syncLabelNode } from '../box-label-view.ts';

type Rect = NewShapeOf<RectShape>;

// The group fades as a whole (its opacity), so the box is drawn opaque inside it.
const attrs = (shape: Rect) => ({ ...strokeAttrs(shape), opacity: 1, fill: fillOf(shape), width: shape.width, height: shape.height });

/** A rectangle and its label, as one group so they move, turn and fade as one. */
export const rectView: ShapeView<Rect, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    group.add(new Konva.Rect({ ...NODE_DEFAULTS, name: 'body' }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.body')?.setAttrs(attrs(shape));
    syncLabelNode(group, { ...labelLayoutAttrs(shape, RECT_INSET), fill: shape.strokeColor });
  },
};
