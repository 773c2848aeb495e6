import type { StickyShape } from '../../../shared/schema.ts';
import { svgNumber, svgText } from '../../export/svg-markup.ts';
import { boxBounds, boxContains, boxResize } from '../box.ts';
import { CHAR_WIDTH, STICKY_CORNER_RADIUS, STICKY_PADDING } from '../constants.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { stickyTool } from './sticky-tool.ts';
import { stickyLabelLayoutAttrs, stickyView } from './sticky-view.ts';

/** Greedy word wrap by estimated width, as a note wraps its text on the canvas. */
function wrap(text: string, width: number, fontSize: number): string[] {
  const perLine = Math.max(1, Math.floor(width / (fontSize * CHAR_WIDTH)));
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (next.length > perLine && line !== '') {
        out.push(line);
        line = word;
      } else {
        line = next;
      }
    }
    out.push(line);
  }
  return out;
}

/** Sticky note: a card that hits as a whole, with its text wrapped inside a padding. */
export const stickyUtil: ShapeUtil<StickyShape, 'sticky'> = {
  type: 'sticky',
  localBounds: boxBounds,
  hitTest: boxContains,
  resize: boxResize,
  view: stickyView,
  toSvg(shape) {
    const lines = wrap(shape.text, Math.max(1, shape.width - 2 * STICKY_PADDING), shape.fontSize);
    return (
      `<rect width="${svgNumber(shape.width)}" height="${svgNumber(shape.height)}" rx="${STICKY_CORNER_RADIUS}" fill="${shape.fillColor}"/>` +
      svgText(lines, STICKY_PADDING, STICKY_PADDING, shape.fontSize, shape.strokeColor)
    );
  },
  text: {
    layout: stickyLabelLayoutAttrs,
    // The editor covers the card, its text where the card's is.
    editorBox: (shape, _value, scale) => ({ width: shape.width * scale, height: shape.height * scale, padding: STICKY_PADDING * scale, background: shape.fillColor }),
  },
  tool: stickyTool,
};
