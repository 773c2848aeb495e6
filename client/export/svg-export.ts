import type { Shape } from '../../shared/schema.ts';
import { drawingOrder } from '../model/frames.ts';
import type { Bounds } from '../model/plane.ts';
import { unionBounds } from '../model/transform.ts';
import { shapeUtil } from '../shapes/registry.ts';
import { NO_FILES, type SvgContext } from '../shapes/shape-util.ts';
import { escapeXml, svgNumber } from './svg-markup.ts';
import { AS_DRAWN, DARK_BACKGROUND, darkColor, LIGHT_BACKGROUND, paintStyle } from '../canvas/theme-colors.ts';

/** Space around the shapes in an exported picture, in board units. */
export const EXPORT_MARGIN = 16;

export interface SvgOptions {
  /** The background colour, or null for none; white by default, DARK_BACKGROUND when `dark`. */
  background?: string | null;
  /**
   * Draws the shapes as the dark theme shows them, on its background (Excalidraw's "dark mode"
   * export). Off by default: an export keeps the colours as drawn, whatever theme the page is in.
   */
  dark?: boolean;
  /** The part of the board to export, exactly (a frame's box); by default the shapes' bounds and a margin. */
  region?: Bounds;
  /** The files image shapes show, embedded as data: URLs; without them images export as placeholders. */
  files?: SvgContext;
}

/**
 * Shapes as a standalone SVG document: real vector elements (rect, ellipse, polygon, path,
 * text), each shape's from its type's util, drawn the way the canvas views draw them: frames
 * below the rest, each frame's children clipped to its box, the rest in z-order. Pure: no DOM,
 * so it runs anywhere.
 */
export function exportSvg(shapes: readonly Shape[], options: SvgOptions = {}): string {
  const region = options.region;
  const bounds = region ?? unionBounds(shapes) ?? { x: 0, y: 0, width: 0, height: 0 };
  const margin = region === undefined ? EXPORT_MARGIN : 0;
  const x = bounds.x - margin;
  const y = bounds.y - margin;
  const width = Math.ceil(bounds.width + 2 * margin);
  const height = Math.ceil(bounds.height + 2 * margin);
  const background = options.background === undefined ? (options.dark ? DARK_BACKGROUND : LIGHT_BACKGROUND) : options.background;
  const { frames, loose } = drawingOrder(shapes);
  const paint = options.dark ? darkColor : AS_DRAWN;
  const files: SvgContext = { ...(options.files ?? NO_FILES), paint };
  const shapeSvg = (shape: Shape): string => placedSvg(paintStyle(shape, paint), files);
  const body: string[] = [];
  frames.forEach(({ frame, children }, n) => {
    body.push(shapeSvg(frame));
    if (children.length === 0) return;
    const clip = `frame-clip-${n}`;
    body.push(
      `<clipPath id="${clip}"><rect x="${svgNumber(frame.x)}" y="${svgNumber(frame.y)}" width="${svgNumber(frame.width)}" height="${svgNumber(frame.height)}"/></clipPath>`,
      `<g clip-path="url(#${clip})">`,
      ...children.map(shapeSvg),
      '</g>',
    );
  });
  body.push(...loose.map(shapeSvg));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${svgNumber(x)} ${svgNumber(y)} ${width} ${height}">`,
    background === null ? '' : `<rect x="${svgNumber(x)}" y="${svgNumber(y)}" width="${width}" height="${height}" fill="${background}"/>`,
    body.join('\n'),
    '</svg>',
  ].join('\n');
}

/** One shape: its util's markup, placed, turned and faded as the canvas does it. */
function placedSvg(shape: Shape, files: SvgContext): string {
  const transform = `translate(${svgNumber(shape.x)} ${svgNumber(shape.y)})${shape.rotation !== 0 ? ` rotate(${svgNumber(shape.rotation)})` : ''}`;
  return `<g data-id="${escapeXml(shape.id)}" data-type="${shape.type}" transform="${transform}" opacity="${svgNumber(shape.opacity)}">${shapeUtil(shape).toSvg(shape, files)}</g>`;
}
