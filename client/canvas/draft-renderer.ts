import type Konva from 'konva';
import type { Draft } from '../model/draft.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import { renderShape } from './views/render-shape.ts';
import type { ShapeNode, ViewContext } from './views/view.ts';

export interface DraftRendererOptions {
  draft: Draft;
  layer: Konva.Layer;
  /** The pictures image shapes show. */
  images: ViewContext;
  createScheduler?: (work: () => void) => FrameScheduler;
}

/** Draws the shape being drawn, in its own layer, so the committed shapes are not redrawn per move. */
export interface DraftRenderer {
  flush(): void;
  close(): void;
}

export function createDraftRenderer(options: DraftRendererOptions): DraftRenderer {
  const { draft, layer } = options;
  let node: ShapeNode | undefined;
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => {
    const shape = draft.shape;
    if (shape === null) {
      node?.destroy();
      node = undefined;
    } else {
      const next = renderShape(shape, node, 'draft', options.images);
      if (next !== node) {
        node?.destroy();
        node = next;
        layer.add(next);
      }
    }
    // In this frame: batchDraw from inside a frame callback would wait for the next one.
    layer.draw();
  });
  const off = draft.onChange((change) => {
    if (change.shape) scheduler.schedule();
  });
  // The shape being drawn may show a picture that arrives meanwhile.
  const offPictures = options.images.onPicture?.(() => {
    if (draft.shape !== null) scheduler.schedule();
  }) ?? (() => {});
  const offRepaint = options.images.onRepaint?.(() => {
    if (draft.shape !== null) scheduler.schedule();
  }) ?? (() => {});
  return {
    flush: () => scheduler.flush(),
    close() {
      off();
      offPictures();
      offRepaint();
      scheduler.close();
      node?.destroy();
      node = undefined;
    },
  };
}
