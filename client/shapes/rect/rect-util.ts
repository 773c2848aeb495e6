import type { RectShape } from '../../../shared/schema.ts';
import { svgFill, svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { boxBounds, boxContains, boxResize } from '../box.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { rectTool } from './rect-tool.ts';
import { rectView } from './rect-view.ts';

/** Rectangle: the whole box hits, filled or not, so an outline is easy to pick up. */
export const rectUtil: ShapeUtil<RectShape, 'rectangle'> = {
  type: 'rect',
  localBounds: boxBounds,
  hitTest: boxContains,
  resize: boxResize,
  view: rectView,
  toSvg: (shape) => `<rect width="${svgNumber(shape.width)}" height="${svgNumber(shape.height)}" ${svgStroke(shape)} ${svgFill(shape)}/>`,
  tool: rectTool,
};
