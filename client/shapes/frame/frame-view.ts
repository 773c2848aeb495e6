import Konva from 'konva';
import type { FrameShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { NODE_DEFAULTS } from '../../canvas/views/style.ts';
import { TextNode } from '../../canvas/views/text-node.ts';
import { paintOf, placement, type ShapeView } from '../../canvas/views/view.ts';
import { FONT_FAMILY, FRAME_STYLE, FRAME_TITLE_BAND, LINE_HEIGHT } from '../constants.ts';
import { frameTitle, isDressed } from './frame-geometry.ts';

type Frame = NewShapeOf<FrameShape>;

/**
 * A frame: its light box with a thin grey border, and its title above it, cut to the frame's width
 * with an ellipsis. One group, so it moves and fades as one. Its children are not in it: the
 * renderer draws them in a clipping group of their own above it (client/canvas/renderer.ts).
 */
export const frameView: ShapeView<Frame, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    group.add(new Konva.Rect({ ...NODE_DEFAULTS, name: 'box', strokeWidth: FRAME_STYLE.borderWidth }));
    group.add(
      new TextNode({
        ...NODE_DEFAULTS,
        name: 'title',
        y: -FRAME_TITLE_BAND,
        fontSize: FRAME_STYLE.titleFontSize,
        fontFamily: FONT_FAMILY,
        lineHeight: LINE_HEIGHT,
        wrap: 'none',
        ellipsis: true,
      }),
    );
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape, _mode, ctx) {
    const dressed = isDressed(shape);
    const paint = paintOf(ctx);
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.box')?.setAttrs({ width: shape.width, height: shape.height, strokeEnabled: dressed, fill: paint(FRAME_STYLE.fill), stroke: paint(FRAME_STYLE.border) });
    group.findOne('.title')?.setAttrs({ text: frameTitle(shape), width: shape.width, visible: dressed, fill: paint(FRAME_STYLE.titleColor) });
  },
};
