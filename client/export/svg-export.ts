import type { Shape } from '../../shared/schema.ts';
import { unionBounds } from '../model/transform.ts';
import { shapeUtil } from '../shapes/registry.ts';
import { escapeXml, svgNumber } from './svg-markup.ts';

/** Space around the shapes in an exported picture, in board units. */
export const EXPORT_MARGIN = 16;

/**
 * The board as a standalone SVG document: real vector elements (rect, ellipse, polygon, path,
 * text), each shape's from its type's util, drawn the way the canvas views draw them, in
 * z-order. Pure: no DOM, so it runs anywhere.
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
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${svgNumber(x)} ${svgNumber(y)} ${width} ${height}">`,
    background === null ? '' : `<rect x="${svgNumber(x)}" y="${svgNumber(y)}" width="${width}" height="${height}" fill="${background}"/>`,
    body,
    '</svg>',
  ].join('\n');
}

/** One shape: its util's markup, placed, turned and faded as the canvas does it. */
function shapeSvg(shape: Shape): string {
  const transform = `translate(${svgNumber(shape.x)} ${svgNumber(shape.y)})${shape.rotation !== 0 ? ` rotate(${svgNumber(shape.rotation)})` : ''}`;
  return `<g data-id="${escapeXml(shape.id)}" data-type="${shape.type}" transform="${transform}" opacity="${svgNumber(shape.opacity)}">${shapeUtil(shape).toSvg(shape)}</g>`;
}
