import type { Shape, ShapeStyle } from '../../shared/schema.ts';
import { inkOutline } from '../model/ink.ts';
import { unionBounds } from '../model/transform.ts';
import { arrowheadSize, CHAR_WIDTH, dashArray, FONT_FAMILY, LINE_HEIGHT, SEMI_FILL_ALPHA, STICKY_CORNER_RADIUS, STICKY_PADDING } from '../shapes/constants.ts';

/** Space around the shapes in an exported picture, in board units. */
export const EXPORT_MARGIN = 16;

/**
 * The board as a standalone SVG document: real vector elements (rect, ellipse, polygon, path,
 * text), drawn the way the canvas views draw them, in z-order. Pure: no DOM, so it runs anywhere.
 */
export function exportSvg(shapes: readonly Shape[], options: { background?: string | null } = {}): string {
  const bounds = unionBounds(shapes) ?? { x: 0, y: 0, width: 0, height: 0 };
  const x = bounds.x - EXPORT_MARGIN;
  const y = bounds.y - EXPORT_MARGIN;
  const width = Math.ceil(bounds.width + 2 * EXPORT_MARGIN);
  const height = Math.ceil(bounds.height + 2 * EXPORT_MARGIN);
  const background = options.background === undefined ? '#ffffff' : options.background;
  const body = shapes.map(shapeSvg).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${n(x)} ${n(y)} ${width} ${height}">`,
    background === null ? '' : `<rect x="${n(x)}" y="${n(y)}" width="${width}" height="${height}" fill="${background}"/>`,
    body,
    '</svg>',
  ].join('\n');
}

function shapeSvg(shape: Shape): string {
  const transform = `translate(${n(shape.x)} ${n(shape.y)})${shape.rotation !== 0 ? ` rotate(${n(shape.rotation)})` : ''}`;
  const g = (inner: string): string => `<g data-id="${escape(shape.id)}" data-type="${shape.type}" transform="${transform}" opacity="${n(shape.opacity)}">${inner}</g>`;
  switch (shape.type) {
    case 'rect':
      return g(`<rect width="${n(shape.width)}" height="${n(shape.height)}" ${stroke(shape)} ${fill(shape)}/>`);
    case 'ellipse':
      return g(`<ellipse cx="${n(shape.width / 2)}" cy="${n(shape.height / 2)}" rx="${n(shape.width / 2)}" ry="${n(shape.height / 2)}" ${stroke(shape)} ${fill(shape)}/>`);
    case 'diamond': {
      const w = shape.width;
      const h = shape.height;
      return g(`<polygon points="${[w / 2, 0, w, h / 2, w / 2, h, 0, h / 2].map(n).join(' ')}" ${stroke(shape)} ${fill(shape)}/>`);
    }
    case 'ink':
      return g(`<path d="${inkPath(inkOutline(shape.points, shape.strokeWidth, true))}" fill="${shape.strokeColor}"/>`);
    case 'line':
    case 'arrow': {
      const points = shape.points;
      const parts = [`<polyline points="${points.map(n).join(' ')}" ${stroke(shape)} fill="none"/>`];
      const size = arrowheadSize(shape.strokeWidth);
      const count = points.length / 2;
      if (shape.endArrowhead && count >= 2) parts.push(arrowhead(points[2 * count - 4]!, points[2 * count - 3]!, points[2 * count - 2]!, points[2 * count - 1]!, size, shape.strokeColor));
      if (shape.startArrowhead && count >= 2) parts.push(arrowhead(points[2]!, points[3]!, points[0]!, points[1]!, size, shape.strokeColor));
      return g(parts.join(''));
    }
    case 'text':
      return g(textSvg(shape.text.split('\n'), 0, 0, shape.fontSize, shape.strokeColor));
    case 'sticky': {
      const lines = wrap(shape.text, Math.max(1, shape.width - 2 * STICKY_PADDING), shape.fontSize);
      return g(
        `<rect width="${n(shape.width)}" height="${n(shape.height)}" rx="${STICKY_CORNER_RADIUS}" fill="${shape.fillColor}"/>` +
          textSvg(lines, STICKY_PADDING, STICKY_PADDING, shape.fontSize, shape.strokeColor),
      );
    }
  }
}

function textSvg(lines: readonly string[], x: number, y: number, fontSize: number, color: string): string {
  const spans = lines.map((line, i) => `<tspan x="${n(x)}" y="${n(y + (i + 0.5) * LINE_HEIGHT * fontSize)}">${escape(line)}</tspan>`).join('');
  return `<text font-family="${FONT_FAMILY}" font-size="${n(fontSize)}" fill="${color}" dominant-baseline="central" xml:space="preserve">${spans}</text>`;
}

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

/** A filled triangle with its tip at (x2, y2), pointing from (x1, y1). */
function arrowhead(x1: number, y1: number, x2: number, y2: number, size: number, color: string): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const back = { x: x2 - size * Math.cos(angle), y: y2 - size * Math.sin(angle) };
  const half = size / 2;
  const left = { x: back.x + half * Math.sin(angle), y: back.y - half * Math.cos(angle) };
  const right = { x: back.x - half * Math.sin(angle), y: back.y + half * Math.cos(angle) };
  return `<polygon points="${[x2, y2, left.x, left.y, right.x, right.y].map(n).join(' ')}" fill="${color}" stroke="${color}"/>`;
}

/** Curves through the midpoints of the outline, as the ink view draws it. */
function inkPath(outline: number[][]): string {
  if (outline.length < 2) return '';
  const [x0, y0] = outline[0]!;
  let d = `M${n(x0!)} ${n(y0!)}`;
  for (let i = 0; i < outline.length; i++) {
    const [x1, y1] = outline[i]!;
    const [x2, y2] = outline[(i + 1) % outline.length]!;
    d += `Q${n(x1!)} ${n(y1!)} ${n((x1! + x2!) / 2)} ${n((y1! + y2!) / 2)}`;
  }
  return `${d}Z`;
}

function stroke(style: ShapeStyle): string {
  if (style.strokeWidth <= 0) return 'stroke="none"';
  const pattern = dashArray(style);
  const dash = pattern.length > 0 ? ` stroke-dasharray="${pattern.map(n).join(' ')}"` : '';
  return `stroke="${style.strokeColor}" stroke-width="${n(style.strokeWidth)}" stroke-linecap="round" stroke-linejoin="round"${dash}`;
}

function fill(style: ShapeStyle): string {
  switch (style.fillStyle) {
    case 'none':
      return 'fill="none"';
    case 'solid':
      return `fill="${style.fillColor}"`;
    case 'semi':
      return `fill="${style.fillColor}" fill-opacity="${SEMI_FILL_ALPHA}"`;
  }
}

/** Numbers rounded to 1/100, without trailing zeros, to keep the file small. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
