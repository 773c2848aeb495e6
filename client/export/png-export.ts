import Konva from 'konva';
import type { Shape } from '../../shared/schema.ts';
import { renderShape } from '../canvas/views/render-shape.ts';
import { unionBounds } from '../model/transform.ts';
import { EXPORT_MARGIN } from './svg-export.ts';

/** Largest side of an exported picture, in pixels: browsers refuse bigger canvases. */
const MAX_SIDE_PX = 16_384;

/**
 * The board as a PNG, drawn by the same views as the canvas on an offscreen Konva stage, on
 * white, at `pixelRatio` pixels per board unit (lowered if the picture would be too big).
 */
export async function exportPng(shapes: readonly Shape[], pixelRatio = 2): Promise<Blob> {
  const bounds = unionBounds(shapes) ?? { x: 0, y: 0, width: 0, height: 0 };
  const width = Math.ceil(bounds.width + 2 * EXPORT_MARGIN);
  const height = Math.ceil(bounds.height + 2 * EXPORT_MARGIN);
  const ratio = Math.min(pixelRatio, MAX_SIDE_PX / width, MAX_SIDE_PX / height);
  const container = document.createElement('div');
  const stage = new Konva.Stage({ container, width, height, listening: false });
  try {
    const layer = new Konva.Layer({ listening: false, x: EXPORT_MARGIN - bounds.x, y: EXPORT_MARGIN - bounds.y });
    stage.add(layer);
    layer.add(new Konva.Rect({ x: bounds.x - EXPORT_MARGIN, y: bounds.y - EXPORT_MARGIN, width, height, fill: '#ffffff', listening: false }));
    for (const shape of shapes) layer.add(renderShape(shape, undefined, 'committed'));
    const blob = await stage.toBlob({ pixelRatio: ratio, mimeType: 'image/png' });
    if (!(blob instanceof Blob)) throw new Error('the browser could not encode the PNG');
    return blob;
  } finally {
    stage.destroy();
  }
}
