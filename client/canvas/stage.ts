import Konva from 'konva';
import type { Point } from '../model/plane.ts';
import type { Camera, Viewport } from '../model/camera.ts';
import { createEmitter } from '../model/emitter.ts';
import { createZoomPreview } from './zoom-preview.ts';

export type { Viewport } from '../model/camera.ts';

/** The layers, one canvas each, split by how often they change. */
export interface StageLayers {
  /** Committed shapes: redrawn only when the document changes. */
  shapes: Konva.Layer;
  /** The shape being drawn and shapes being dragged: redrawn on every pointer move. */
  draft: Konva.Layer;
  /** Selection outlines and, later, handles and remote cursors. */
  overlay: Konva.Layer;
}

export interface BoardStage {
  readonly konva: Konva.Stage;
  readonly layers: StageLayers;
  readonly element: HTMLElement;
  viewport(): Viewport;
  setViewport(viewport: Viewport): void;
  /** The stage's size in CSS pixels. */
  size(): { width: number; height: number };
  /** Board coordinates of a point given in client (viewport CSS pixel) coordinates. */
  toBoard(clientX: number, clientY: number): Point;
  /** Client coordinates of a board point. */
  toClient(point: Point): Point;
  onViewportChange(listener: (viewport: Viewport) => void): () => void;
  /** Called after the stage took a new size (the window or the board element resized). */
  onResize(listener: () => void): () => void;
  close(): void;
}

/** Whether anything visible is drawn below `container`: an empty layer needs no redraw and no compositing. */
function hasContent(container: Konva.Container): boolean {
  for (const child of container.getChildren()) {
    if (!child.visible()) continue;
    if (!(child instanceof Konva.Container) || hasContent(child)) return true;
  }
  return false;
}

/**
 * A Konva stage filling `element`, with the three layers, following `camera` for the
 * board ↔ screen transform.
 * Konva's own hit detection is off everywhere: tools hit-test the model, which is cheaper than
 * keeping a hit canvas for thousands of shapes and works without a canvas in tests.
 */
export function createStage(element: HTMLDivElement, camera: Camera): BoardStage {
  const konva = new Konva.Stage({ container: element, width: element.clientWidth, height: element.clientHeight, listening: false });
  const layers: StageLayers = {
    shapes: new Konva.Layer({ listening: false }),
    draft: new Konva.Layer({ listening: false }),
    overlay: new Konva.Layer({ listening: false }),
  };
  for (const [name, layer] of Object.entries(layers)) {
    konva.add(layer);
    // Named canvases make the page inspectable (and testable) without reaching into Konva.
    layer.getNativeCanvasElement().dataset.layer = name;
  }
  // The shapes layer, the costly one, is only scaled by the compositor during a zoom.
  const zoomPreview = createZoomPreview(layers.shapes);
  // Only layers with something on them are drawn when the camera moves: setting the stage's
  // transform would otherwise redraw all of them (Konva's auto-draw), and each blank full-window
  // canvas redrawn is one more bitmap the browser copies and blends on every pan or zoom frame.
  const apply = (viewport: Viewport): void => {
    const autoDraw = Konva.autoDrawEnabled;
    Konva.autoDrawEnabled = false;
    try {
      konva.setAttrs({ x: viewport.x, y: viewport.y, scaleX: viewport.scale, scaleY: viewport.scale });
    } finally {
      Konva.autoDrawEnabled = autoDraw;
    }
    const previewed = zoomPreview.show(viewport);
    for (const layer of konva.getLayers()) {
      if (previewed && layer === layers.shapes) continue;
      if (hasContent(layer)) layer.batchDraw();
    }
  };
  // A layer left blank by its last draw is hidden, so the compositor neither uploads nor blends
  // it; layers added later (presence) are followed too, once each (the version preview takes the
  // shapes layer out and puts it back).
  const followed = new WeakSet<Konva.Layer>();
  const follow = (layer: Konva.Layer): void => {
    if (followed.has(layer)) return;
    followed.add(layer);
    const canvas = layer.getNativeCanvasElement();
    const update = (): void => {
      canvas.style.visibility = hasContent(layer) ? '' : 'hidden';
    };
    layer.on('draw.easel', update);
    update();
  };
  for (const layer of konva.getLayers()) follow(layer);
  konva.on('add.easel', (event) => {
    const child = (event as unknown as { child?: unknown }).child;
    if (child instanceof Konva.Layer) follow(child);
  });
  apply(camera.viewport());
  const offCamera = camera.onChange(apply);

  const resizes = createEmitter<void>();
  const resize = new ResizeObserver(() => {
    konva.size({ width: element.clientWidth, height: element.clientHeight });
    resizes.emit();
    // Konva redrew the layers while resizing, before the renderer heard the view grew: draw the
    // shapes once more, with what the new view brings in.
    layers.shapes.batchDraw();
  });
  resize.observe(element);

  const origin = (): Point => {
    const rect = element.getBoundingClientRect();
    return { x: rect.left, y: rect.top };
  };

  return {
    konva,
    layers,
    element,
    viewport: () => camera.viewport(),
    setViewport: (next) => camera.set(next),
    size: () => ({ width: konva.width(), height: konva.height() }),
    toBoard(clientX, clientY) {
      const o = origin();
      const viewport = camera.viewport();
      return { x: (clientX - o.x - viewport.x) / viewport.scale, y: (clientY - o.y - viewport.y) / viewport.scale };
    },
    toClient(point) {
      const o = origin();
      const viewport = camera.viewport();
      return { x: point.x * viewport.scale + viewport.x + o.x, y: point.y * viewport.scale + viewport.y + o.y };
    },
    onViewportChange: (listener) => camera.onChange(listener),
    onResize: (listener) => resizes.on(listener),
    close() {
      resize.disconnect();
      resizes.clear();
      offCamera();
      zoomPreview.close();
      konva.destroy();
    },
  };
}
