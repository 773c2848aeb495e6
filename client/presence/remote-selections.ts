import Konva from 'konva';
import type { Shape } from '../../shared/schema.ts';
import { shapeBounds } from '../model/geometry.ts';
import { createFrameScheduler } from '../canvas/frame-scheduler.ts';
import type { Peers } from './peers.ts';
import type { RemoteGestures } from './remote-gestures.ts';

export interface SelectionStage {
  readonly konva: Konva.Stage;
  viewport(): { x: number; y: number; scale: number };
  onViewportChange(listener: (viewport: { x: number; y: number; scale: number }) => void): () => void;
}

export interface RemoteSelections {
  close(): void;
}

/** Gap between a shape and someone else's outline, in screen pixels: outside the local one. */
const PADDING_PX = 8;

/**
 * Outlines the shapes other users have selected, each in that user's colour, on a layer of its
 * own (`data-layer="presence"`) above the local selection. Redrawn whole, at most once a frame.
 */
export function createRemoteSelections(options: {
  stage: SelectionStage;
  peers: Peers;
  board: { get(id: string): Shape | undefined; onChange(listener: (change: { ids: ReadonlySet<string> }) => void): () => void };
  /** Others' gestures in progress: an outline follows the shape a peer is dragging. */
  gestures?: Pick<RemoteGestures, 'overrides' | 'onChange'>;
}): RemoteSelections {
  const { stage, peers, board, gestures } = options;
  const layer = new Konva.Layer({ listening: false });
  stage.konva.add(layer);
  layer.getNativeCanvasElement().dataset.layer = 'presence';

  const scheduler = createFrameScheduler(() => {
    layer.destroyChildren();
    const scale = stage.viewport().scale;
    const pad = PADDING_PX / scale;
    for (const peer of peers.list()) {
      for (const id of peer.presence.selection) {
        const shape = gestures?.overrides().get(id) ?? board.get(id);
        if (shape === undefined) continue;
        const bounds = shapeBounds(shape);
        layer.add(
          new Konva.Rect({
            x: bounds.x - pad,
            y: bounds.y - pad,
            width: bounds.width + 2 * pad,
            height: bounds.height + 2 * pad,
            stroke: peer.presence.user.color,
            strokeWidth: 2,
            strokeScaleEnabled: false,
            dash: [6 / scale, 4 / scale],
            listening: false,
            perfectDrawEnabled: false,
          }),
        );
      }
    }
    layer.batchDraw();
  });

  const selected = (id: string): boolean => peers.list().some((peer) => peer.presence.selection.includes(id));
  const offs = [
    peers.onChange(() => scheduler.schedule()),
    stage.onViewportChange(() => scheduler.schedule()),
    board.onChange(({ ids }) => {
      for (const id of ids) if (selected(id)) return scheduler.schedule();
    }),
    gestures?.onChange(({ ids }) => {
      for (const id of ids) if (selected(id)) return scheduler.schedule();
    }),
  ];
  scheduler.schedule();

  return {
    close() {
      for (const off of offs) off?.();
      scheduler.close();
      layer.destroy();
    },
  };
}
