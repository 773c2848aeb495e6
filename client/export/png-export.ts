import Konva from 'konva';
import type { Shape } from '../../shared/schema.ts';
import { renderShape } from '../canvas/views/render-shape.ts';
import { NO_PICTURES, type ViewContext } from '../canvas/views/view.ts';
import { drawingOrder, frameBox } from '../model/frames.ts';
import type { Bounds } from '../model/plane.ts';
import { unionBounds } from '../model/transform.ts';
import { EXPORT_MARGIN } from './svg-export.ts';
import { DARK_BACKGROUND, darkColor, LIGHT_BACKGROUND } from '../canvas/theme-colors.ts';

/** Largest side of an exported picture, in pixels: browsers refuse bigger canvases. */
const MAX_SIDE_PX = 16_384;

export interface PngOptions {
  /** Pixels per board unit (lowered if the picture would be too big). */
  pixelRatio?: number;
  /** The part of the board to export, exactly (a frame's box); by default the shapes' bounds and a margin. */
  region?: Bounds;
  /** The pictures of the image shapes, decoded; without them images draw as placeholders. */
  images?: ViewContext;
  /**
   * Draws the shapes as the dark theme shows them, on its background (Excalidraw's "dark mode"
   * export). Off by default: an export keeps the colours as drawn, whatever theme the page is in.
   */
  dark?: boolean;
}

/**
 * Shapes as a PNG, drawn by the same views as the canvas on an offscreen Konva stage, on white
 * (or the dark theme's background, in its colours):
 * frames below the rest, each frame's children clipped to its box, as the canvas draws them.
 */
export async function exportPng(shapes: readonly Shape[], options: PngOptions = {}): Promise<Blob> {
  const bounds = options.region ?? grow(unionBounds(shapes) ?? { x: 0, y: 0, width: 0, height: 0 }, EXPORT_MARGIN);
  const images = options.images ?? NO_PICTURES;
  // Only the colours: the export's own pictures, never the page's paint (it may be dark).
  const ctx: ViewContext = { image: (assetId) => images.image(assetId), ...(options.dark ? { paint: darkColor } : {}) };
  const stage = drawPicture(shapes, bounds, ctx, options.dark ? DARK_BACKGROUND : LIGHT_BACKGROUND);
  try {
    const ratio = Math.min(options.pixelRatio ?? 2, MAX_SIDE_PX / stage.width(), MAX_SIDE_PX / stage.height());
    const blob = await stage.toBlob({ pixelRatio: ratio, mimeType: 'image/png' });
    if (!(blob instanceof Blob)) throw new Error('the browser could not encode the PNG');
    return blob;
  } finally {
    stage.destroy();
  }
}

/**
 * A small picture of the shapes (all of them, with the export margin) as a PNG data URL, no larger
 * than `maxWidth` × `maxHeight` pixels; null when there are no shapes. Synchronous, so it can be
 * made while the page is being hidden, when an asynchronous encoder may never finish.
 */
export function pngThumbnail(shapes: readonly Shape[], maxWidth: number, maxHeight: number, images: ViewContext = NO_PICTURES): string | null {
  const content = unionBounds(shapes);
  if (content === null) return null;
  const stage = drawPicture(shapes, grow(content, EXPORT_MARGIN), images, LIGHT_BACKGROUND);
  try {
    const ratio = Math.min(maxWidth / stage.width(), maxHeight / stage.height());
    return stage.toDataURL({ pixelRatio: ratio, mimeType: 'image/png' });
  } finally {
    stage.destroy();
  }
}

/** An offscreen stage with the shapes drawn over `bounds`; the caller destroys it. */
function drawPicture(shapes: readonly Shape[], bounds: Bounds, images: ViewContext, background: string): Konva.Stage {
  const width = Math.max(1, Math.ceil(bounds.width));
  const height = Math.max(1, Math.ceil(bounds.height));
  const container = document.createElement('div');
  const stage = new Konva.Stage({ container, width, height, listening: false });
  try {
    const layer = new Konva.Layer({ listening: false, x: -bounds.x, y: -bounds.y });
    stage.add(layer);
    layer.add(new Konva.Rect({ x: bounds.x, y: bounds.y, width, height, fill: background, listening: false }));
    const { frames, loose } = drawingOrder(shapes);
    for (const { frame, children } of frames) {
      layer.add(renderShape(frame, undefined, 'committed', images));
      const clip = new Konva.Group({ listening: false, clip: frameBox(frame) });
      for (const child of children) clip.add(renderShape(child, undefined, 'committed', images));
      layer.add(clip);
    }
    for (const shape of loose) layer.add(renderShape(shape, undefined, 'committed', images));
    return stage;
  } catch (error) {
    stage.destroy();
    throw error;
  }
}

function grow(b: Bounds, by: number): Bounds {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}
