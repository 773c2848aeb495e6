import Konva from 'konva';
import type { Board } from '../model/board.ts';
import type { Draft } from '../model/draft.ts';
import { shapeBounds } from '../model/geometry.ts';
import type { Selection } from '../model/selection.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import type { Viewport } from './stage.ts';

export interface SelectionOverlayOptions {
  board: Board;
  selection: Selection;
  draft: Draft;
  layer: Konva.Layer;
  viewport(): Viewport;
  onViewportChange(listener: (viewport: Viewport) => void): () => void;
  createScheduler?: (work: () => void) => FrameScheduler;
}

export interface SelectionOverlay {
  flush(): void;
  close(): void;
}

export const SELECTION_COLOR = '#4a6cf7';
/** Gap between a shape and its outline, in screen pixels. */
const PADDING_PX = 5;

/**
 * Outlines the selected shapes, following a drag as it happens. Redrawn whole: a selection is
 * small next to the board, and this layer never holds anything else yet.
 */
export function createSelectionOverlay(options: SelectionOverlayOptions): SelectionOverlay {
  const { board, selection, draft, layer } = options;
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => {
    layer.destroyChildren();
    const scale = options.viewport().scale;
    const pad = PADDING_PX / scale;
    const translation = draft.translation;
    for (const id of selection.ids()) {
      const shape = board.get(id);
      if (shape === undefined) continue;
      const bounds = shapeBounds(shape);
      const moved = translation !== null && translation.ids.has(id);
      layer.add(
        new Konva.Rect({
          x: bounds.x - pad + (moved ? translation.dx : 0),
          y: bounds.y - pad + (moved ? translation.dy : 0),
          width: bounds.width + 2 * pad,
          height: bounds.height + 2 * pad,
          stroke: SELECTION_COLOR,
          strokeWidth: 1.5,
          // Constant on screen whatever the zoom.
          strokeScaleEnabled: false,
          cornerRadius: 2 / scale,
          listening: false,
          perfectDrawEnabled: false,
        }),
      );
    }
    layer.batchDraw();
  });
  const offs = [
    selection.onChange(() => scheduler.schedule()),
    draft.onChange((change) => change.translation && scheduler.schedule()),
    board.onChange(({ ids }) => {
      for (const id of ids) {
        if (selection.has(id)) return scheduler.schedule();
      }
    }),
    options.onViewportChange(() => scheduler.schedule()),
  ];
  return {
    flush: () => scheduler.flush(),
    close() {
      for (const off of offs) off();
      scheduler.close();
      layer.destroyChildren();
    },
  };
}
