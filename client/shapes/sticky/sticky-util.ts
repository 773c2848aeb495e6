import type { StickyShape } from '../../../shared/schema.ts';
import { svgNumber } from '../../export/svg-markup.ts';
import { boxBounds, boxContains, boxResize } from '../box.ts';
import { STICKY_INSET } from '../box-label.ts';
import { boxLabelText, labelSvg } from '../box-label-text.ts';
import { STICKY_CORNER_RADIUS } from '../constants.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { stickyTool } from './sticky-tool.ts';
import { stickyView } from './sticky-view.ts';

/** Sticky note: a card that hits as a whole, with its text wrapped inside a padding and grown into as it is typed. */
export const stickyUtil: ShapeUtil<StickyShape, 'sticky'> = {
  type: 'sticky',
  localBounds: boxBounds,
  hitTest: boxContains,
  resize: boxResize,
  view: stickyView,
  toSvg: (shape) =>
    `<rect width="${svgNumber(shape.width)}" height="${svgNumber(shape.height)}" rx="${STICKY_CORNER_RADIUS}" fill="${shape.fillColor}"/>` + labelSvg(shape, STICKY_INSET),
  // The editor covers the card, in the card's colour, its text where the card's is.
  text: boxLabelText<StickyShape>(STICKY_INSET, (shape) => shape.fillColor),
  tool: stickyTool,
};
