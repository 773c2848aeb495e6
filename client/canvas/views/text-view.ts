import Konva from 'konva';
import type { TextShape } from '../../../shared/schema.ts';
import type { DistributiveOmit } from '../../model/board.ts';
import { NODE_DEFAULTS } from './style.ts';
import { TextNode } from './text-node.ts';
import { placement, type ShapeView } from './view.ts';

type Text = DistributiveOmit<TextShape, 'index'>;

export const FONT_FAMILY = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Line height of all text, as a multiple of the font size (the text editor uses the same). */
export const LINE_HEIGHT = 1.25;

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
