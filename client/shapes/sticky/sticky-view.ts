import Konva from 'konva';
import type { StickyShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { FONT_FAMILY, LINE_HEIGHT, STICKY_CORNER_RADIUS, STICKY_PADDING } from '../constants.ts';
import { NODE_DEFAULTS } from '../../canvas/views/style.ts';
import { TextNode } from '../../canvas/views/text-node.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Sticky = NewShapeOf<StickyShape>;

/** How a note's text is laid out in its card, at the card's origin (caret layout uses it too). */
export const stickyLabelLayoutAttrs = (shape: Sticky) => ({
  text: shape.text,
  fontSize: shape.fontSize,
  fontFamily: FONT_FAMILY,
  lineHeight: LINE_HEIGHT,
  wrap: 'word',
  padding: STICKY_PADDING,
  width: shape.width,
  height: shape.height,
});

/** A note: a filled card with its text inside, as one group so it moves and fades as one. */
export const stickyView: ShapeView<Sticky, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    // No drop shadow: a blurred shadow per note is the dearest thing a 2D canvas draws, and a board
    // of notes would pay it on every pan and zoom frame.
    group.add(new Konva.Rect({ ...NODE_DEFAULTS, name: 'card', cornerRadius: STICKY_CORNER_RADIUS }));
    group.add(new TextNode({ ...NODE_DEFAULTS, name: 'label' }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.card')?.setAttrs({ width: shape.width, height: shape.height, fill: shape.fillColor });
    group.findOne('.label')?.setAttrs({ ...stickyLabelLayoutAttrs(shape), fill: shape.strokeColor });
  },
};
