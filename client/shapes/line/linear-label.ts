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

/**
 * The path in pieces that leave a gap for the label's box: each segment clipped to the part
 * outside the box (Liang–Barsky). Without a label, the path itself, whole.
 */
export function pathPieces(path: readonly number[], box: Bounds | null): number[][] {
  if (box === null) return [[...path]];
  const pieces: number[][] = [];
  let current: number[] = [];
  const flush = (): void => {
    if (current.length >= 4) pieces.push(current);
    current = [];
  };
  const add = (x: number, y: number): void => {
    const n = current.length;
    if (n >= 2 && current[n - 2] === x && current[n - 1] === y) return;
    current.push(x, y);
  };
  for (let i = 2; i + 1 < path.length; i += 2) {
    const [x0, y0, x1, y1] = [path[i - 2]!, path[i - 1]!, path[i]!, path[i + 1]!];
    const inside = clipToBox(x0, y0, x1, y1, box);
    if (inside === null) {
      add(x0, y0);
      add(x1, y1);
      continue;
    }
    const [t0, t1] = inside;
    // Rounded to hundredths, as every stored coordinate is.
    const round = (n: number): number => Math.round(n * 100) / 100;
    const at = (t: number): [number, number] => [round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)];
    if (t0 > 0) {
      add(x0, y0);
      add(...at(t0));
    }
    flush();
    if (t1 < 1) {
      add(...at(t1));
      add(x1, y1);
    }
  }
  flush();
  return pieces;
}

/** The share [t0, t1] of the segment inside the box, or null if it misses it. */
function clipToBox(x0: number, y0: number, x1: number, y1: number, box: Bounds): [number, number] | null {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, x0 - box.x],
    [dx, box.x + box.width - x0],
    [-dy, y0 - box.y],
    [dy, box.y + box.height - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return null;
  }
  return t1 > t0 ? [t0, t1] : null;
}
