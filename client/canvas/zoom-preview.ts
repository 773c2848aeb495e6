import type Konva from 'konva';
import type { Viewport } from '../model/camera.ts';

/**
 * While the camera zooms, a layer is not redrawn on every step: the compositor scales and moves
 * its last drawing (a CSS transform on its canvas), and it is drawn for real once the zoom pauses,
 * or every `refreshMs` during a long one. Redrawing every shape in view per wheel step is what
 * made zoom frames the slowest (zoomed out, thousands of shapes are in view at once); a
 * compositor transform costs next to nothing, and maps and design tools show zooms the same way.
 * Pans still redraw at once: a moved bitmap would leave blank strips along the edges.
 */
export interface ZoomPreview {
  /**
   * Shows the layer's last drawing at `viewport` if that is a zoom step from it; false when the
   * layer must be drawn for real now (a pan, nothing drawn yet, or the preview is stale).
   */
  show(viewport: Viewport): boolean;
  close(): void;
}

export interface ZoomPreviewOptions {
  /** Draw for real once the zoom has paused this long. */
  settleMs?: number;
  /** During a long zoom, draw for real at least this often. */
  refreshMs?: number;
}

const NAMESPACE = '.easelZoomPreview';

export function createZoomPreview(layer: Konva.Layer, options: ZoomPreviewOptions = {}): ZoomPreview {
  const settleMs = options.settleMs ?? 120;
  const refreshMs = options.refreshMs ?? 250;
  const canvas = layer.getNativeCanvasElement();
  /** The camera of the layer's last real drawing, and when it was made. */
  let drawn: Viewport | null = null;
  let drawnAt = 0;
  let settle: ReturnType<typeof setTimeout> | undefined;

  // Any real drawing (the settle below, a pan, a document change) shows the true picture.
  layer.on(`draw${NAMESPACE}`, () => {
    const stage = layer.getStage();
    if (!stage) return;
    drawn = { x: stage.x(), y: stage.y(), scale: stage.scaleX() };
    drawnAt = performance.now();
    canvas.style.transform = '';
    clearTimeout(settle);
  });

  return {
    show(viewport) {
      if (drawn === null || viewport.scale === drawn.scale || performance.now() - drawnAt > refreshMs) return false;
      // A board point shown at p = drawn.x + drawn.scale·b must now be at viewport.x + viewport.scale·b = k·p + t.
      const k = viewport.scale / drawn.scale;
      canvas.style.transformOrigin = '0 0';
      canvas.style.transform = `translate(${viewport.x - drawn.x * k}px, ${viewport.y - drawn.y * k}px) scale(${k})`;
      clearTimeout(settle);
      settle = setTimeout(() => layer.batchDraw(), settleMs);
      return true;
    },
    close() {
      clearTimeout(settle);
      layer.off(NAMESPACE);
      canvas.style.transform = '';
    },
  };
}
