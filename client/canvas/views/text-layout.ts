import type { NewTextShape } from '../../model/shape.ts';
import { shapeUtil } from '../../shapes/registry.ts';
import { TextNode } from './text-node.ts';

/** A box in a shape's own coordinates: origin at the shape's (x, y), before its rotation. */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where characters of a text shape or note are drawn, for carets and selections. */
export interface TextLayout {
  /** The caret before character `index` (clamped to the text): a box of width 0, one line high. */
  caret(index: number): TextBox;
  /** Boxes covering the characters from `from` to `to`, one per line they are on. */
  selection(from: number, to: number): TextBox[];
}

/**
 * Lays a shape's text out with the very node and attributes its view draws with (its util's
 * `text.layout`; Konva wraps a note's lines at words, and drops the spaces it wraps at), so a
 * caret drawn from this lands on the character it names, wherever the lines break.
 */
export function layoutText(shape: NewTextShape): TextLayout {
  const text = shapeUtil(shape).text;
  if (text === undefined) throw new Error(`shapes of type ${shape.type} have no text to lay out`);
  return layoutNode(new TextNode(text.layout(shape)));
}

/** Where the characters of a laid-out text node are. */
function layoutNode(node: TextNode): TextLayout {
  const text = node.text();
  const lines = node.textArr;
  const padding = node.padding();
  const lineHeight = node.lineHeight() * node.fontSize();
  // Where each drawn line starts in the text. A wrapped line is a slice of its paragraph with the
  // spaces at the break cut off; a paragraph's last line is followed by its '\n'.
  const starts: number[] = [];
  let at = 0;
  lines.forEach((line, n) => {
    starts.push(at);
    at += line.text.length;
    if (line.lastInParagraph) {
      at = text.indexOf('\n', at) + 1 || text.length;
    } else if (n + 1 < lines.length) {
      while (at < text.length && text[at] !== '\n' && text[at]!.trim() === '') at++;
    }
  });

  const lineOf = (index: number): number => {
    let n = 0;
    while (n + 1 < starts.length && starts[n + 1]! <= index) n++;
    return n;
  };
  // Where Konva puts each line: the node's own place, then its alignment in the node's box (a
  // label is centred in its box unless aligned otherwise), as Konva.Text draws it.
  const inner = node.width() - padding * 2;
  const spare = node.height() - padding * 2 - lines.length * lineHeight;
  const align = node.align();
  const verticalAlign = node.verticalAlign();
  const top = node.y() + padding + (verticalAlign === 'middle' ? spare / 2 : verticalAlign === 'bottom' ? spare : 0);
  const lineLeft = (width: number): number =>
    node.x() + padding + (align === 'right' ? inner - width : align === 'center' ? (inner - width) / 2 : 0);
  const xOf = (n: number, index: number): number => {
    const line = lines[n];
    // An empty text has no line: the caret sits where the first line would start.
    if (line === undefined) return lineLeft(0);
    const column = Math.max(0, Math.min(line.text.length, index - starts[n]!));
    return lineLeft(line.width) + (column === 0 ? 0 : node.measureSize(line.text.slice(0, column)).width);
  };
  const yOf = (n: number): number => top + n * lineHeight;
  const clamp = (index: number): number => Math.max(0, Math.min(text.length, index));

  return {
    caret(index) {
      const n = lineOf(clamp(index));
      return { x: xOf(n, clamp(index)), y: yOf(n), width: 0, height: lineHeight };
    },
    selection(from, to) {
      const start = clamp(Math.min(from, to));
      const end = clamp(Math.max(from, to));
      if (start === end) return [];
      const boxes: TextBox[] = [];
      for (let n = lineOf(start); n <= lineOf(end) && n < lines.length; n++) {
        const left = xOf(n, Math.max(start, starts[n]!));
        // A selection that runs on past the line's end shows a little of the break it includes.
        const right = end > starts[n]! + lines[n]!.text.length ? xOf(n, Infinity) + node.fontSize() * 0.3 : xOf(n, end);
        if (right > left) boxes.push({ x: left, y: yOf(n), width: right - left, height: lineHeight });
      }
      return boxes;
    },
  };
}
