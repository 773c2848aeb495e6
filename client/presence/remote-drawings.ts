import Konva from 'konva';
import { createFrameScheduler } from '../canvas/frame-scheduler.ts';
import { renderShape } from '../canvas/views/render-shape.ts';
import type { ShapeNode, ViewContext } from '../canvas/views/view.ts';
import type { RemoteGestures } from './remote-gestures.ts';

export interface RemoteDrawings {
  close(): void;
}

/**
 * Draws the shapes other users are drawing, as they draw them and in their final look, one node
 * per drawer, redrawn at most once a frame. They go in a group of the layer given (the draft
 * layer: shapes in progress, whoever draws them), as every layer is a canvas of its own.
 */
export function createRemoteDrawings(options: { layer: Konva.Layer; gestures: RemoteGestures; images: ViewContext }): RemoteDrawings {
  const { layer, gestures } = options;
  const group = new Konva.Group({ listening: false });
  layer.add(group);
  const nodes = new Map<number, ShapeNode>();

  const scheduler = createFrameScheduler(() => {
    const drawing = gestures.drawing();
    const present = new Set<number>();
    for (const { clientId, shape } of drawing) {
      present.add(clientId);
      const existing = nodes.get(clientId);
      const node = renderShape(shape, existing, 'draft', options.images);
      if (node !== existing) {
        existing?.destroy();
        nodes.set(clientId, node);
        group.add(node);
      }
    }
    for (const [clientId, node] of nodes) {
      if (present.has(clientId)) continue;
      node.destroy();
      nodes.delete(clientId);
    }
    // Drawn in this frame: batchDraw from inside a frame callback would wait for the next one,
    // a sixtieth of a second more between someone's pen and this screen.
    layer.draw();
  });
  const off = gestures.onChange((change) => {
    if (change.drawing) scheduler.schedule();
  });
  // A shape someone is drawing may show a picture that arrives meanwhile, or the theme may switch.
  const redraw = (): void => {
    if (nodes.size > 0) scheduler.schedule();
  };
  const offPictures = options.images.onPicture?.(redraw) ?? (() => {});
  const offRepaint = options.images.onRepaint?.(redraw) ?? (() => {});

  return {
    close() {
      off();
      offPictures();
      offRepaint();
      scheduler.close();
      group.destroy();
      layer.batchDraw();
      nodes.clear();
    },
  };
}
