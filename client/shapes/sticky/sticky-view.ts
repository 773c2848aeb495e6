import Konva from 'konva';
import type { StickyShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { STICKY_CORNER_RADIUS } from '../constants.ts';
import { NODE_DEFAULTS } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';
import { STICKY_INSET } from '../box-label.ts';
import { labelLayoutAttrs } from '../box-label-text.ts';
import { syncLabelNode } from '../box-label-view.ts';

type Sticky = NewShapeOf<StickyShape>;

/** A note: a filled card with its text inside, as one group so it moves and fades as one. */
export const stickyView: ShapeView<Sticky, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    // No drop shadow: a blurred shadow per note is the dearest thing a 2D canvas draws, and a board
    // of notes would pay it on every pan and zoom frame.
    group.add(new Konva.Rect({ ...NODE_DEFAULTS, name: 'card', cornerRadius: STICKY_CORNER_RADIUS }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.card')?.setAttrs({ width: shape.width, height: shape.height, fill: shape.fillColor });
    syncLabelNode(group, { ...labelLayoutAttrs(shape, STICKY_INSET), fill: shape.strokeColor });
  },
};
