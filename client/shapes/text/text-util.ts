import type { TextShape } from '../../../shared/schema.ts';
import { svgText } from '../../export/svg-markup.ts';
import { roundCoordinate, type Bounds } from '../../model/plane.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { SHAPE_LIMITS } from '../../../shared/schema.ts';
import { MIN_SIDE } from '../box.ts';
import { CHAR_WIDTH, LINE_HEIGHT } from '../constants.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { textView } from './text-view.ts';

/** Approximate size of a text block, until text is measured (issue 3). */
export function textSize(text: string, fontSize: number): { width: number; height: number } {
  const lines = text.split('\n');
  const longest = Math.max(1, ...lines.map((line) => line.length));
  return { width: longest * fontSize * CHAR_WIDTH, height: lines.length * fontSize * LINE_HEIGHT };
}

function textBounds(shape: NewShapeOf<TextShape>): Bounds {
  const size = textSize(shape.text, shape.fontSize);
  return { x: 0, y: 0, width: shape.width > 0 ? shape.width : size.width, height: size.height };
}

/** Text: its block hits, as estimated from its lines; resizing scales the font with the height. */
export const textUtil: ShapeUtil<TextShape> = {
  type: 'text',
  localBounds: textBounds,
  hitTest(shape, p, tolerance) {
    const b = textBounds(shape);
    return p.x >= b.x - tolerance && p.y >= b.y - tolerance && p.x <= b.x + b.width + tolerance && p.y <= b.y + b.height + tolerance;
  },
  resize(shape, sx, sy) {
    const fontSize = roundCoordinate(Math.min(SHAPE_LIMITS.maxFontSize, Math.max(SHAPE_LIMITS.minFontSize, shape.fontSize * sy)));
    return { ...shape, fontSize, width: shape.width > 0 ? roundCoordinate(Math.max(MIN_SIDE, shape.width * sx)) : 0 };
  },
  view: textView,
  toSvg: (shape) => svgText(shape.text.split('\n'), 0, 0, shape.fontSize, shape.strokeColor),
};
