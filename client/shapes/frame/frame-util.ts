import type { FrameShape } from '../../../shared/schema.ts';
import { escapeXml, svgNumber } from '../../export/svg-markup.ts';
import { AS_DRAWN } from '../../canvas/theme-colors.ts';
import { boxResize } from '../box.ts';
import { FONT_FAMILY, FRAME_STYLE, FRAME_TITLE_BAND, LINE_HEIGHT } from '../constants.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { frameBounds, frameTitle, isDressed, onFrame, picksFrame, titleFits } from './frame-geometry.ts';
import { frameTool } from './frame-tool.ts';
import { frameView } from './frame-view.ts';

/**
 * Frame: a titled box that holds shapes (shared/shapes/frame.ts). It is hit wherever it is drawn,
 * title included, but a pointer picks it only by its title or its edge (`pickTest`), so clicks and
 * marquees inside it reach its children and the board. It resizes as a box; its children keep
 * their size and place (the select tool resizes only what is selected).
 */
export const frameUtil: ShapeUtil<FrameShape, 'frame'> = {
  type: 'frame',
  localBounds: frameBounds,
  hitTest: onFrame,
  pickTest: picksFrame,
  resize: boxResize,
  view: frameView,
  toSvg(shape, ctx) {
    const paint = ctx.paint ?? AS_DRAWN;
    const box = `<rect width="${svgNumber(shape.width)}" height="${svgNumber(shape.height)}" fill="${paint(FRAME_STYLE.fill)}"${isDressed(shape) ? ` stroke="${paint(FRAME_STYLE.border)}" stroke-width="${FRAME_STYLE.borderWidth}"` : ''}/>`;
    if (!isDressed(shape)) return box;
    // Cut as the canvas cuts it (an ellipsis at the frame's width), by the usual width estimate.
    const title = frameTitle(shape);
    const fits = titleFits(shape);
    const shown = title.length > fits ? `${title.slice(0, Math.max(0, fits - 1))}…` : title;
    const size = FRAME_STYLE.titleFontSize;
    const middle = -FRAME_TITLE_BAND + (size * LINE_HEIGHT) / 2;
    return `${box}<text x="0" y="${svgNumber(middle)}" font-family="${FONT_FAMILY}" font-size="${size}" fill="${paint(FRAME_STYLE.titleColor)}" dominant-baseline="central" xml:space="preserve">${escapeXml(shown)}</text>`;
  },
  tool: frameTool,
};
