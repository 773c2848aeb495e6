import type { EllipseShape } from '../../../shared/schema.ts';
import { svgFill, svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { boxBounds, boxResize } from '../box.ts';
import { ELLIPSE_INSET } from '../box-label.ts';
import { boxLabelText, labelSvg } from '../box-label-text.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { ellipseTool } from './ellipse-tool.ts';
import { ellipseView } from './ellipse-view.ts';

/** Ellipse inscribed in its box: it hits inside the ellipse grown by half the stroke and the tolerance. */
export const ellipseUtil: ShapeUtil<EllipseShape, 'ellipse'> = {
  type: 'ellipse',
  localBounds: boxBounds,
  hitTest(shape, p, tolerance) {
    const pad = shape.strokeWidth / 2 + tolerance;
    const nx = (p.x - shape.width / 2) / (shape.width / 2 + pad);
    const ny = (p.y - shape.height / 2) / (shape.height / 2 + pad);
    return nx * nx + ny * ny <= 1;
  },
  // Enough sides that an arrow's end sits on the drawn curve to within a pixel at ordinary sizes.
  outline: (shape) => Array.from({ length: 48 }, (_, i) => {
    const angle = (i / 48) * 2 * Math.PI;
    return { x: (shape.width / 2) * (1 + Math.cos(angle)), y: (shape.height / 2) * (1 + Math.sin(angle)) };
  }),
  resize: boxResize,
  view: ellipseView,
  toSvg(shape) {
    const [rx, ry] = [svgNumber(shape.width / 2), svgNumber(shape.height / 2)];
    return `<ellipse cx="${rx}" cy="${ry}" rx="${rx}" ry="${ry}" ${svgStroke(shape)} ${svgFill(shape)}/>` + labelSvg(shape, ELLIPSE_INSET);
  },
  text: boxLabelText(ELLIPSE_INSET),
  tool: ellipseTool,
};
