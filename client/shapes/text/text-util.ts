import { SHAPE_LIMITS, type TextShape } from '../../../shared/schema.ts';
import { svgText } from '../../export/svg-markup.ts';
import { roundCoordinate, type Bounds } from '../../model/plane.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { MIN_SIDE } from '../box.ts';
import { CHAR_WIDTH, LINE_HEIGHT } from '../constants.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { textTool } from './text-tool.ts';
import { textLayoutAttrs, textView } from './text-view.ts';

/** The editor's estimate of a character's width, a little over CHAR_WIDTH so that the caret never wraps. */
const EDITOR_CHAR_WIDTH = 0.62;
/** Extra editor height, in screen pixels, so the last line's descenders are not cut. */
const EDITOR_SLACK_PX = 4;

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
export const textUtil: ShapeUtil<TextShape, 'text'> = {
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
  text: {
    layout: textLayoutAttrs,
    editorBox(shape, value, scale) {
      // As wide as the longest line typed so far and a little more, so the caret has room.
      const lines = value.split('\n');
      const longest = Math.max(2, ...lines.map((line) => line.length + 1));
      return {
        width: shape.width > 0 ? shape.width * scale : longest * EDITOR_CHAR_WIDTH * shape.fontSize * scale,
        height: lines.length * LINE_HEIGHT * shape.fontSize * scale + EDITOR_SLACK_PX,
        padding: 0,
        background: '',
      };
    },
  },
  fromPlainText: (id, text, at, style) => ({
    ...style,
    id,
    type: 'text',
    x: Math.round(at.x),
    y: Math.round(at.y),
    rotation: 0,
    locked: false,
    text: text.slice(0, SHAPE_LIMITS.maxTextLength),
    width: 0,
  }),
  tool: textTool,
};
