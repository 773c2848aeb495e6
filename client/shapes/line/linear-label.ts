import type { LinearShape } from '../../../shared/schema.ts';
import type { Bounds, Point } from '../../model/plane.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { CHAR_WIDTH, FONT_FAMILY, LINE_HEIGHT } from '../constants.ts';
import { linearPath } from './linear-path.ts';

type Linear = NewShapeOf<LinearShape>;

/** A label on a line wraps at this width, in board units, so a long one stays near its line. */
export const LABEL_MAX_WIDTH = 240;

/** Room left around a label's text, inside the box the line leaves a gap for. */
export const LABEL_PADDING = 4;

/** The point half-way along a flat [x, y, …] path, by length. */
export function pathMiddle(path: readonly number[]): Point {
  let total = 0;
  for (let i = 2; i + 1 < path.length; i += 2) total += Math.hypot(path[i]! - path[i - 2]!, path[i + 1]! - path[i - 1]!);
  let left = total / 2;
  for (let i = 2; i + 1 < path.length; i += 2) {
    const length = Math.hypot(path[i]! - path[i - 2]!, path[i + 1]! - path[i - 1]!);
    if (length >= left && length > 0) {
      const t = left / length;
      return { x: path[i - 2]! + (path[i]! - path[i - 2]!) * t, y: path[i - 1]! + (path[i + 1]! - path[i - 1]!) * t };
    }
    left -= length;
  }
  return { x: path[0] ?? 0, y: path[1] ?? 0 };
}

/** The label's text in lines, wrapped at words to LABEL_MAX_WIDTH (the estimate every text uses). */
export function labelLines(text: string, fontSize: number): string[] {
  const perLine = Math.max(1, Math.floor(LABEL_MAX_WIDTH / (fontSize * CHAR_WIDTH)));
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (next.length > perLine && line !== '') {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** The box of `text` as the label of `shape`, centred on its path's middle, in its own frame. */
export function labelBox(shape: Linear, text: string = shape.text): Bounds {
  const lines = labelLines(text, shape.fontSize);
  const longest = Math.max(1, ...lines.map((line) => line.length));
  const width = Math.min(LABEL_MAX_WIDTH, longest * shape.fontSize * CHAR_WIDTH) + 2 * LABEL_PADDING;
  const height = lines.length * shape.fontSize * LINE_HEIGHT + 2 * LABEL_PADDING;
  const middle = pathMiddle(linearPath(shape));
  return { x: middle.x - width / 2, y: middle.y - height / 2, width, height };
}

/** The label's box when it has visible text; null for none (a plain line draws no gap). */
export function drawnLabelBox(shape: Linear): Bounds | null {
  return shape.text.trim() === '' ? null : labelBox(shape);
}

/** How the label is laid out in the line's own frame: the Konva.Text attributes its view draws with. */
export function linearLabelLayout(shape: Linear) {
  const box = labelBox(shape);
  return {
    text: shape.text,
    x: box.x,
    y: box.y,
    width: box.width,
    height: box.height,
    padding: LABEL_PADDING,
    fontSize: shape.fontSize,
    fontFamily: FONT_FAMILY,
    lineHeight: LINE_HEIGHT,
    align: 'center',
    verticalAlign: 'middle',
    wrap: 'word',
  };
}
