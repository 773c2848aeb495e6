import type { ImageShape } from '../../../shared/shapes/image.ts';
import { escapeXml, svgNumber } from '../../export/svg-markup.ts';
import { AS_DRAWN } from '../../canvas/theme-colors.ts';
import { roundCoordinate, type Bounds, type Point } from '../../model/plane.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { MIN_SIDE } from '../box.ts';
import type { ShapeUtil, SvgContext } from '../shape-util.ts';
import { PLACEHOLDER_ICON_PATH, PLACEHOLDER_STYLE, placeholderIcon } from './image-placeholder.ts';
import { imageTool } from './image-tool.ts';
import { imageView } from './image-view.ts';

type Image = NewShapeOf<ImageShape>;

/** The box, whatever the style says: an image draws no outline around itself. */
function imageBounds(shape: Pick<Image, 'width' | 'height'>): Bounds {
  return { x: 0, y: 0, width: shape.width, height: shape.height };
}

function imageContains(shape: Pick<Image, 'width' | 'height'>, p: Point, tolerance: number): boolean {
  return p.x >= -tolerance && p.y >= -tolerance && p.x <= shape.width + tolerance && p.y <= shape.height + tolerance;
}

function imageResize(shape: Image, sx: number, sy: number): Image {
  return { ...shape, width: roundCoordinate(Math.max(MIN_SIDE, shape.width * sx)), height: roundCoordinate(Math.max(MIN_SIDE, shape.height * sy)) };
}

/** The image as SVG: the file embedded and stretched to the box, or the placeholder while it is not here. */
function imageSvg(shape: Image, ctx: SvgContext): string {
  const w = svgNumber(shape.width);
  const h = svgNumber(shape.height);
  const url = ctx.assetUrl(shape.assetId);
  if (url !== null) return `<image href="${escapeXml(url)}" width="${w}" height="${h}" preserveAspectRatio="none"/>`;
  const inset = PLACEHOLDER_STYLE.borderWidth / 2;
  const icon = placeholderIcon(shape.width, shape.height);
  const paint = ctx.paint ?? AS_DRAWN;
  return [
    `<rect x="${svgNumber(inset)}" y="${svgNumber(inset)}" width="${svgNumber(Math.max(0, shape.width - 2 * inset))}" height="${svgNumber(Math.max(0, shape.height - 2 * inset))}" fill="${paint(PLACEHOLDER_STYLE.fill)}" stroke="${paint(PLACEHOLDER_STYLE.border)}" stroke-width="${PLACEHOLDER_STYLE.borderWidth}"/>`,
    `<path d="${PLACEHOLDER_ICON_PATH}" transform="translate(${svgNumber(icon.x)} ${svgNumber(icon.y)}) scale(${Math.round(icon.scale * 1e4) / 1e4})" fill="none" stroke="${paint(PLACEHOLDER_STYLE.icon)}" stroke-width="${PLACEHOLDER_STYLE.iconStroke}" stroke-linecap="round" stroke-linejoin="round"/>`,
  ].join('');
}

/**
 * Image: a box showing a file (its asset). The whole box hits; it resizes as a box, keeping its
 * aspect unless Shift is held (the opposite of a rectangle: a stretched photo is rarely wanted).
 */
export const imageUtil: ShapeUtil<ImageShape, 'image'> = {
  type: 'image',
  localBounds: imageBounds,
  hitTest: imageContains,
  resize: imageResize,
  keepsAspect: true,
  view: imageView,
  toSvg: imageSvg,
  tool: imageTool,
};
