import type { TextAlign, VerticalAlign } from '../../shared/schema.ts';
import type { Bounds } from '../model/plane.ts';
import { CHAR_WIDTH, LINE_HEIGHT, STICKY_PADDING } from './constants.ts';

/**
 * Where a label sits inside a box-shaped type (rectangle, ellipse, diamond, note), as pure
 * geometry: the canvas view, the in-place editor, the SVG export and the growth of a box as its
 * label is typed all lay the label out from here, so they agree on where its lines go.
 */

/**
 * How a type's text area sits in its box: centred, spanning `share` of each side (the largest box
 * of the same proportions that the outline holds), less `padding` on every side.
 */
export interface LabelInset {
  readonly share: number;
  readonly padding: number;
}

/** A rectangle's text runs up to a small padding from its edges. */
export const RECT_INSET: LabelInset = Object.freeze({ share: 1, padding: 8 });
/** An ellipse holds a box of 1/√2 of its sides: text in it never crosses the curve. */
export const ELLIPSE_INSET: LabelInset = Object.freeze({ share: Math.SQRT1_2, padding: 4 });
/** A diamond holds a box of half its sides, corners on its edges. */
export const DIAMOND_INSET: LabelInset = Object.freeze({ share: 0.5, padding: 4 });
/** A note's text runs up to the note's padding, as it always has. */
export const STICKY_INSET: LabelInset = Object.freeze({ share: 1, padding: STICKY_PADDING });

/** Narrowest and lowest a text area gets, in board units, so a tiny box still lays text out. */
const MIN_AREA = 1;

/** The text area of a box of this size, in the box's own frame. */
export function labelArea(size: { width: number; height: number }, inset: LabelInset): Bounds {
  const width = Math.max(MIN_AREA, size.width * inset.share - 2 * inset.padding);
  const height = Math.max(MIN_AREA, size.height * inset.share - 2 * inset.padding);
  return { x: (size.width - width) / 2, y: (size.height - height) / 2, width, height };
}

/**
 * Greedy word wrap by estimated character width (CHAR_WIDTH): how the SVG export breaks a
 * label's lines and how much height the growth of a box allows for. Like Konva's word wrap, a
 * word longer than a line is broken across lines, and the spaces a line breaks at are dropped.
 * The estimate is wider than most text measures, so a box grown by it holds what the canvas draws.
 */
export function wrapLabel(text: string, width: number, fontSize: number): string[] {
  const perLine = Math.max(1, Math.floor(width / (fontSize * CHAR_WIDTH)));
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      const joined = line === '' ? rest : `${line} ${rest}`;
      if (joined.length <= perLine) {
        line = joined;
        continue;
      }
      if (line !== '') out.push(line);
      while (rest.length > perLine) {
        out.push(rest.slice(0, perLine));
        rest = rest.slice(perLine);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/** Height of `lines` lines of text at `fontSize`. */
export function linesHeight(lines: number, fontSize: number): number {
  return lines * LINE_HEIGHT * fontSize;
}

/** How many whole lines a text area of this height holds: the canvas draws no more (Konva drops the rest). */
export function labelLinesFitting(height: number, fontSize: number): number {
  // A hair of slack, so that a box grown to exactly its lines' height is not a line short by rounding.
  return Math.floor((height + 1e-6) / (LINE_HEIGHT * fontSize));
}

/** Share of the spare room above the text for each vertical alignment. */
const ABOVE: Readonly<Record<VerticalAlign, number>> = { top: 0, middle: 0.5, bottom: 1 };

/** Where the first line's top is in a text area holding `textHeight` of text. */
export function labelTop(area: Bounds, textHeight: number, align: VerticalAlign): number {
  return area.y + (area.height - textHeight) * ABOVE[align];
}

/** The x each line is anchored at for an alignment: its left end, middle or right end. */
export function labelAnchorX(area: Bounds, align: TextAlign): number {
  switch (align) {
    case 'left':
      return area.x;
    case 'center':
      return area.x + area.width / 2;
    case 'right':
      return area.x + area.width;
  }
}

/**
 * The height a box of this size needs for `text` in its text area: its own height when the text
 * fits, more when the wrapped lines need it (at least a whole pixel more, so the last line is not
 * clipped by rounding).
 */
export function labelNeededHeight(box: { width: number; height: number; fontSize: number }, text: string, inset: LabelInset): number {
  if (text === '') return box.height;
  const area = labelArea(box, inset);
  const textHeight = linesHeight(wrapLabel(text, area.width, box.fontSize).length, box.fontSize);
  const needed = Math.ceil((textHeight + 2 * inset.padding) / inset.share);
  return Math.max(box.height, needed);
}

/** What a box changes so `text` fits in it: a taller height (its top edge stays), or null if it fits. Boxes grow, never shrink. */
export function fitLabel(box: { width: number; height: number; fontSize: number }, text: string, inset: LabelInset): { height: number } | null {
  const height = labelNeededHeight(box, text, inset);
  return height > box.height ? { height } : null;
}
