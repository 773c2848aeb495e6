import type { ShapeStyle } from '../../shared/schema.ts';
import { dashArray, FONT_FAMILY, LINE_HEIGHT, SEMI_FILL_ALPHA } from '../shapes/constants.ts';

/** Pieces of SVG markup the shape utils build their export from, drawn as the canvas views draw. */

/** A number rounded to 1/100, without trailing zeros, to keep the file small. */
export function svgNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Text made safe for an attribute value or element content. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The stroke attributes of a shape's outline. */
export function svgStroke(style: ShapeStyle): string {
  if (style.strokeWidth <= 0) return 'stroke="none"';
  const pattern = dashArray(style);
  const dash = pattern.length > 0 ? ` stroke-dasharray="${pattern.map(svgNumber).join(' ')}"` : '';
  return `stroke="${style.strokeColor}" stroke-width="${svgNumber(style.strokeWidth)}" stroke-linecap="round" stroke-linejoin="round"${dash}`;
}

/** The fill attributes of a closed shape. */
export function svgFill(style: ShapeStyle): string {
  switch (style.fillStyle) {
    case 'none':
      return 'fill="none"';
    case 'solid':
      return `fill="${style.fillColor}"`;
    case 'semi':
      return `fill="${style.fillColor}" fill-opacity="${SEMI_FILL_ALPHA}"`;
  }
}

/** Which point of each line sits at x: its start (left), middle or end (right). */
export type SvgTextAnchor = 'start' | 'middle' | 'end';

/** Lines of text from (x, y) down, one line height apart, in the board's font, each anchored at x by `anchor`. */
export function svgText(lines: readonly string[], x: number, y: number, fontSize: number, color: string, anchor: SvgTextAnchor = 'start'): string {
  const spans = lines.map((line, i) => `<tspan x="${svgNumber(x)}" y="${svgNumber(y + (i + 0.5) * LINE_HEIGHT * fontSize)}">${escapeXml(line)}</tspan>`).join('');
  // 'start' is SVG's default: text and notes exported before alignment stay byte for byte the same.
  const anchored = anchor === 'start' ? '' : ` text-anchor="${anchor}"`;
  return `<text font-family="${FONT_FAMILY}" font-size="${svgNumber(fontSize)}" fill="${color}"${anchored} dominant-baseline="central" xml:space="preserve">${spans}</text>`;
}
