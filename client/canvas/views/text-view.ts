import Konva from 'konva';
import type { TextShape } from '../../../shared/schema.ts';
import type { DistributiveOmit } from '../../model/board.ts';
import { NODE_DEFAULTS } from './style.ts';
import { TextNode } from './text-node.ts';
import { placement, type ShapeView } from './view.ts';

type Text = DistributiveOmit<TextShape, 'index'>;

export const FONT_FAMILY = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const attrs = (shape: Text) => ({
  ...placement(shape),
  text: shape.text,
  fontSize: shape.fontSize,
  fontFamily: FONT_FAMILY,
  lineHeight: 1.25,
  fill: shape.strokeColor,
  opacity: shape.opacity,
  // Width 0 means "as wide as the text": leave Konva's width on auto.
  width: shape.width > 0 ? shape.width : undefined,
  wrap: shape.width > 0 ? 'word' : 'none',
});

export const textView: ShapeView<Text, Konva.Text> = {
  create: (shape) => new TextNode({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
