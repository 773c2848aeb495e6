import Konva from 'konva';
import type { TextShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { FONT_FAMILY, LINE_HEIGHT } from '../constants.ts';
import { NODE_DEFAULTS } from '../../canvas/views/style.ts';
import { TextNode } from '../../canvas/views/text-node.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Text = NewShapeOf<TextShape>;

/** How a text shape's text is laid out, apart from where it is placed (caret layout uses it too). */
export const textLayoutAttrs = (shape: Text) => ({
  text: shape.text,
  fontSize: shape.fontSize,
  fontFamily: FONT_FAMILY,
  lineHeight: LINE_HEIGHT,
  // Width 0 means "as wide as the text": leave Konva's width on auto.
  width: shape.width > 0 ? shape.width : undefined,
  wrap: shape.width > 0 ? 'word' : 'none',
});

const attrs = (shape: Text) => ({
  ...placement(shape),
  ...textLayoutAttrs(shape),
  fill: shape.strokeColor,
  opacity: shape.opacity,
});

export const textView: ShapeView<Text, Konva.Text> = {
  create: (shape) => new TextNode({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
