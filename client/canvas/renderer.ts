import type Konva from 'konva';
import type { Shape } from '../../shared/schema.ts';
import { compareShapeOrder } from '../../shared/doc.ts';
import type { Board } from '../model/board.ts';
import type { Draft } from '../model/draft.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import type { StageLayers } from './stage.ts';
import { renderShape } from './views/render-shape.ts';
import type { ShapeNode } from './views/view.ts';

export interface RendererOptions {
  board: Board;
  draft: Draft;
  layers: Pick<StageLayers, 'shapes' | 'draft'>;
  /** Defaults to one flush per animation frame. */
  createScheduler?: (work: () => void) => FrameScheduler;
}

/** Keeps one Konva node per valid shape in step with the board. */
export interface Renderer {
  /** The node drawing this shape, if it is on the board. */
  nodeFor(id: string): ShapeNode | undefined;
  /** Applies pending changes now instead of on the next frame. */
  flush(): void;
  close(): void;
}

/** Above this many nodes to re-place at once, rebuilding the layer's order is cheaper. */
const REBUILD_ORDER_THRESHOLD = 64;

/**
 * Redraws only the shapes a change touched, at most once per frame, whoever made the change.
 * Shapes being dragged are lifted into the draft layer for the drag, so the layer holding every
 * other shape is not redrawn on each pointer move; on drop they go back to their place in z-order.
 */
export function createRenderer(options: RendererOptions): Renderer {
  const { board, draft, layers } = options;
  const nodes = new Map<string, ShapeNode>();
  const indexOf = new Map<string, string>();
  const lifted = new Set<string>();
  const dirty = new Set<string>();
  let translationDirty = false;
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => flush());

  const offBoard = board.onChange(({ ids }) => {
    for (const id of ids) dirty.add(id);
    scheduler.schedule();
  });
  const offDraft = draft.onChange((change) => {
    if (!change.translation) return;
    translationDirty = true;
    scheduler.schedule();
  });
  for (const shape of board.ordered()) dirty.add(shape.id);
  scheduler.schedule();

  const offset = (id: string): { dx: number; dy: number } => {
    const t = draft.translation;
    return t !== null && lifted.has(id) ? { dx: t.dx, dy: t.dy } : { dx: 0, dy: 0 };
  };

  function flush(): void {
    let shapesChanged = false;
    let draftChanged = false;
    const toPlace = new Set<string>();

    for (const id of dirty) {
      const shape = board.get(id);
      const existing = nodes.get(id);
      const inDraftLayer = lifted.has(id);
      if (inDraftLayer) draftChanged = true;
      else shapesChanged = true;
      if (shape === undefined) {
        existing?.destroy();
        nodes.delete(id);
        indexOf.delete(id);
        lifted.delete(id);
        continue;
      }
      const node = renderShape(shape, existing, 'committed');
      const { dx, dy } = offset(id);
      if (dx !== 0 || dy !== 0) node.position({ x: shape.x + dx, y: shape.y + dy });
      if (node !== existing) {
        existing?.destroy();
        nodes.set(id, node);
        if (inDraftLayer) layers.draft.add(node);
        else toPlace.add(id);
      } else if (indexOf.get(id) !== shape.index && !inDraftLayer) {
        toPlace.add(id);
      }
      indexOf.set(id, shape.index);
    }
    dirty.clear();

    if (translationDirty) {
      translationDirty = false;
      const changed = applyTranslation(toPlace);
      shapesChanged ||= changed.shapes;
      draftChanged ||= changed.draft;
    }
    if (toPlace.size > 0) place(toPlace);
    if (shapesChanged || toPlace.size > 0) layers.shapes.batchDraw();
    if (draftChanged) layers.draft.batchDraw();
  }

  /** Lifts newly dragged shapes, drops released ones back, and offsets the lifted ones. */
  function applyTranslation(toPlace: Set<string>): { shapes: boolean; draft: boolean } {
    const translation = draft.translation;
    const wanted = new Set<string>();
    if (translation !== null) for (const id of translation.ids) if (nodes.has(id)) wanted.add(id);
    let shapes = false;
    for (const id of [...lifted]) {
      if (wanted.has(id)) continue;
      lifted.delete(id);
      const node = nodes.get(id);
      const shape = board.get(id);
      if (node && shape) {
        node.position({ x: shape.x, y: shape.y });
        node.remove();
        toPlace.add(id);
      }
      shapes = true;
    }
    // Lift in z-order so the dragged shapes keep their stacking among themselves.
    const entering = [...wanted].filter((id) => !lifted.has(id)).map((id) => board.get(id)).filter((s): s is Shape => s !== undefined);
    for (const shape of entering.sort(compareShapeOrder)) {
      lifted.add(shape.id);
      nodes.get(shape.id)?.moveTo(layers.draft);
      shapes = true;
    }
    for (const id of lifted) {
      const shape = board.get(id);
      if (shape && translation) nodes.get(id)?.position({ x: shape.x + translation.dx, y: shape.y + translation.dy });
    }
    return { shapes, draft: true };
  }

  /** Puts the nodes of `ids` at their z-order position in the shapes layer. */
  function place(ids: Set<string>): void {
    const ordered = board.ordered().filter((shape) => nodes.has(shape.id) && !lifted.has(shape.id));
    if (ids.size > REBUILD_ORDER_THRESHOLD) {
      layers.shapes.removeChildren();
      // One add per node: spreading 10k nodes into one call could exceed the argument limit.
      for (const shape of ordered) layers.shapes.add(nodes.get(shape.id)!);
      return;
    }
    for (const id of ids) nodes.get(id)?.remove();
    // Inserting in ascending order keeps every node already placed below its final index valid.
    ordered.forEach((shape, position) => {
      if (!ids.has(shape.id)) return;
      const node = nodes.get(shape.id)!;
      layers.shapes.add(node);
      if (position < layers.shapes.children.length - 1) node.zIndex(position);
    });
  }

  return {
    nodeFor: (id) => nodes.get(id),
    flush: () => scheduler.flush(),
    close() {
      offBoard();
      offDraft();
      scheduler.close();
      for (const node of nodes.values()) node.destroy();
      nodes.clear();
      indexOf.clear();
      lifted.clear();
      dirty.clear();
    },
  };
}
