import type { DiamondShape } from '../../../shared/schema.ts';
import { svgFill, svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { boxBounds, boxResize } from '../box.ts';
import { DIAMOND_INSET } from '../box-label.ts';
import { boxLabelText, labelSvg } from '../box-label-text.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { diamondTool } from './diamond-tool.ts';
import { diamondCorners, diamondView } from './diamond-view.ts';

/** Diamond through the middles of its box's sides: it hits inside the diamond grown by half the stroke and the tolerance. */
export const diamondUtil: ShapeUtil<DiamondShape, 'diamond'> = {
  type: 'diamond',
  localBounds: boxBounds,
  hitTest(shape, p, tolerance) {
    const pad = shape.strokeWidth / 2 + tolerance;
    return Math.abs(p.x - shape.width / 2) / (shape.width / 2 + pad) + Math.abs(p.y - shape.height / 2) / (shape.height / 2 + pad) <= 1;
  },
  outline: (shape) => [
    { x: shape.width / 2, y: 0 },
    { x: shape.width, y: shape.height / 2 },
    { x: shape.width / 2, y: shape.height },
    { x: 0, y: shape.height / 2 },
  ],
  resize: boxResize,
  view: diamondView,
  toSvg: (shape) => `<polygon points="${diamondCorners(shape).map(svgNumber).join(' ')}" ${svgStroke(shape)} ${svgFill(shape)}/>` + labelSvg(shape, DIAMOND_INSET),
  text: boxLabelText(DIAMOND_INSET),
  tool: diamondTool,
};
