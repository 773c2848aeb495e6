import type { RectShape } from '../../../shared/schema.ts';
import { svgFill, svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { boxBounds, boxContains, boxResize } from '../box.ts';
import { RECT_INSET } from '../box-label.ts';
import { boxLabelText, labelSvg } from '../box-label-text.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { rectTool } from './rect-tool.ts';
import { rectView } from './rect-view.ts';

/** Rectangle: the whole box hits, filled or not, so an outline is easy to pick up; its label sits inside a small padding. */
export const rectUtil: ShapeUtil<RectShape, 'rectangle'> = {
  type: 'rect',
  localBounds: boxBounds,
  hitTest: boxContains,
  resize: boxResize,
  view: rectView,
  toSvg: (shape) => `<rect width="${svgNumber(shape.width)}" height="${svgNumber(shape.height)}" ${svgStroke(shape)} ${svgFill(shape)}/>` + labelSvg(shape, RECT_INSET),
  text: boxLabelText(RECT_INSET),
  tool: rectTool,
};
