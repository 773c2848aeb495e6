import Konva from 'konva';
import type { Shape } from '../../shared/schema.ts';
import { compareShapeOrder } from '../../shared/doc.ts';
import type { Board, NewShape } from '../model/board.ts';
import type { Draft } from '../model/draft.ts';
import { shapeBounds } from '../model/geometry.ts';
import type { Bounds } from '../model/plane.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import type { StageLayers } from './stage.ts';
import { renderShape } from './views/render-shape.ts';
import { createSpatialIndex } from './spatial-index.ts';
import type { ShapeNode } from './views/view.ts';

/** The part of the board on screen, and when it changes; without it every shape is drawn. */
export interface RendererView {
  bounds(): Bounds;
  onChange(listener: () => void): () => void;
}

/** Shapes as other users' gestures in progress show them (client/presence/remote-gestures.ts). */
export interface RemotePreviews {
  overrides(): ReadonlyMap<string, NewShape>;
  erased(): ReadonlySet<string>;
  onChange(listener: (change: { ids: ReadonlySet<string> }) => void): () => void;
}

export interface RendererOptions {
  board: Board;
  draft: Draft;
  /** Others' drags, resizes, rotations and erasers, shown as they happen; the local gesture wins. */
  remote?: RemotePreviews;
  layers: Pick<StageLayers, 'shapes' | 'draft'>;
  /** Culls shapes outside this view (plus a margin). */
  view?: RendererView;
  /** Defaults to one flush per animation frame. */
  createScheduler?: (work: () => void) => FrameScheduler;
}

/** Keeps one Konva node per valid shape in view in step with the board. */
export interface Renderer {
  /** The node drawing this shape, if it is on the board and in view. */
  nodeFor(id: string): ShapeNode | undefined;
  /** Applies pending changes now instead of on the next frame. */
  flush(): void;
  close(): void;
}

/** Share of the view added on each side before culling, so a short pan finds its shapes ready. */
const VIEW_MARGIN = 0.5;
/** How visible a shape the eraser passed over stays until it is deleted. */
const ERASED_OPACITY = 0.25;
/** Konva event name, namespaced so close() removes only this renderer's listener. */
const BEFORE_DRAW = 'beforeDraw.easelRenderer';
/** The mounted area is rebuilt once it is this many times wider than a fresh one would be. */
const REMOUNT_SHRINK = 2;
/** Above this many nodes to re-place at once, rebuilding the layer's order is cheaper. */
const REBUILD_ORDER_THRESHOLD = 64;

/**
 * Redraws only the shapes a change touched, at most once per frame, whoever made the change, and
 * only shapes in or near the view have a node at all: a 50k-shape board costs what is on screen.
 * Shapes being dragged are lifted into the draft layer for the drag, so the layer holding every
 * other shape is not redrawn on each pointer move; on drop they go back to their place in z-order.
 */
function contains(outer: Bounds, inner: Bounds): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

export function createRenderer(options: RendererOptions): Renderer {
  const { board, draft, layers, view, remote } = options;
  const nodes = new Map<string, ShapeNode>();
  const indexOf = new Map<string, string>();
  /** Board bounds of every shape, so culling does not recompute geometry on each pan. */
  const boundsOf = new Map<string, Bounds>();
  const spatial = createSpatialIndex();
  /** Mounted nodes currently hidden (in the margin, out of view); setting `visible` costs even when unchanged. */
  const hidden = new Set<string>();
  const lifted = new Set<string>();
  const dirty = new Set<string>();
  let translationDirty = false;
  let viewDirty = true;
  /** The board or the draft changed something drawn (not just the camera). */
  let contentDirty = false;
  let area: Bounds | null = null;
  /** The view itself: nodes kept in the margin around it are hidden, so Konva skips drawing them. */
  let seen: Bounds | null = null;
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => flush());
  /** Whether a flush is scheduled (the scheduler does not say). */
  let pending = false;
  const request = (): void => {
    pending = true;
    scheduler.schedule();
  };
  /** True while flushing from inside the shapes layer's own draw. */
  let drawing = false;
  // A camera move asks for the layer's draw itself (stage.ts), in a frame callback that may run
  // before ours: culling for the new view is done first thing in that draw, so the frame shows it
  // at once instead of drawing the old culling and then drawing again next frame.
  layers.shapes.on(BEFORE_DRAW, () => {
    if (!pending) return;
    drawing = true;
    try {
      scheduler.flush();
    } finally {
      drawing = false;
    }
  });

  const offBoard = board.onChange(({ ids }) => {
    for (const id of ids) dirty.add(id);
    contentDirty = true;
    request();
  });
  // Resize/rotate previews and eraser fading redraw only the shapes they name, before and after.
  let previewed = new Set<string>();
  const offDraft = draft.onChange((change) => {
    if (change.overrides || change.erased) {
      const now = new Set<string>([...(draft.overrides?.keys() ?? []), ...(draft.erased ?? [])]);
      for (const id of previewed) dirty.add(id);
      for (const id of now) dirty.add(id);
      previewed = now;
      contentDirty = true;
      request();
    }
    if (!change.translation) return;
    translationDirty = true;
    contentDirty = true;
    request();
  });
  const offRemote =
    remote?.onChange(({ ids }) => {
      for (const id of ids) dirty.add(id);
      contentDirty = true;
      request();
    }) ?? (() => {});
  const offView =
    view?.onChange(() => {
      viewDirty = true;
      request();
    }) ?? (() => {});
  for (const shape of board.ordered()) dirty.add(shape.id);
  contentDirty = true;
  request();

  const offset = (id: string): { dx: number; dy: number } => {
    const t = draft.translation;
    return t !== null && lifted.has(id) ? { dx: t.dx, dy: t.dy } : { dx: 0, dy: 0 };
  };

  const within = (id: string, box: Bounds | null): boolean => {
    if (box === null || lifted.has(id)) return true;
    const b = boundsOf.get(id);
    return b !== undefined && b.x <= box.x + box.width && b.y <= box.y + box.height && b.x + b.width >= box.x && b.y + b.height >= box.y;
  };
  const inArea = (id: string): boolean => within(id, area);

  /** Shows the node if it is in view, hides it if not; whether that changed anything. */
  const show = (id: string, node: ShapeNode): boolean => {
    const visible = within(id, seen);
    if (visible === !hidden.has(id)) return false;
    node.visible(visible);
    if (visible) hidden.delete(id);
    else hidden.add(id);
    return true;
  };

  const unmount = (id: string): void => {
    nodes.get(id)?.destroy();
    nodes.delete(id);
    hidden.delete(id);
    indexOf.delete(id);
    lifted.delete(id);
  };

  function flush(): void {
    pending = false;
    // Konva would ask for a draw on every attribute set; one explicit draw per layer is enough.
    const autoDraw = Konva.autoDrawEnabled;
    Konva.autoDrawEnabled = false;
    try {
      apply();
    } finally {
      Konva.autoDrawEnabled = autoDraw;
    }
  }

  function apply(): void {
    let shapesChanged = false;
    let draftChanged = false;
    const toPlace = new Set<string>();

    if (viewDirty && view !== undefined) {
      viewDirty = false;
      const b = view.bounds();
      seen = b;
      // The mounted area is only moved once the view leaves it or has become much smaller than it
      // (zoomed in): most pan and zoom frames then just show and hide nodes already mounted,
      // instead of querying the index and mounting a few nodes on every frame.
      if (area === null || !contains(area, b) || area.width > b.width * (1 + 2 * VIEW_MARGIN) * REMOUNT_SHRINK) {
        area = { x: b.x - b.width * VIEW_MARGIN, y: b.y - b.height * VIEW_MARGIN, width: b.width * (1 + 2 * VIEW_MARGIN), height: b.height * (1 + 2 * VIEW_MARGIN) };
        // The grid finds what may be in the area without looking at far-off shapes.
        for (const id of spatial.query(area)) if (!nodes.has(id) && inArea(id)) dirty.add(id);
        for (const id of [...nodes.keys()]) {
          if (inArea(id)) continue;
          unmount(id);
          shapesChanged = true;
        }
      }
      for (const [id, node] of nodes) if (show(id, node)) shapesChanged = true;
      // The stage redraws the layer for the camera itself; a view change alone draws nothing more.
    }

    for (const id of dirty) {
      const stored = board.get(id);
      if (stored === undefined) {
        boundsOf.delete(id);
        spatial.delete(id);
        if (nodes.has(id)) {
          if (lifted.has(id)) draftChanged = true;
          else shapesChanged = true;
          unmount(id);
        }
        continue;
      }
      // The local gesture wins over anyone else's on the same shape.
      const local = draft.overrides?.get(id);
      const shape = { ...stored, ...(local ?? (lifted.has(id) ? undefined : remote?.overrides().get(id))) };
      const bounds = shapeBounds(shape);
      boundsOf.set(id, bounds);
      spatial.set(id, bounds);
      const existing = nodes.get(id);
      if (!inArea(id)) {
        if (existing !== undefined) {
          unmount(id);
          shapesChanged = true;
        }
        continue;
      }
      const inDraftLayer = lifted.has(id);
      if (inDraftLayer) draftChanged = true;
      else shapesChanged = true;
      const node = renderShape(shape, existing, 'committed');
      if (node !== existing) hidden.delete(id);
      show(id, node);
      // Shapes the eraser passed over fade until the release deletes them.
      if (draft.erased?.has(id) || remote?.erased().has(id)) node.opacity(shape.opacity * ERASED_OPACITY);
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
    // Inside the layer's own draw, the changes are drawn by that very draw. What only the camera
    // changed (culling) is drawn when the stage draws for the camera: at once for a pan, when the
    // zoom pauses for a zoom (zoom-preview.ts).
    const drawNeeded = contentDirty || view === undefined;
    contentDirty = false;
    if ((shapesChanged || toPlace.size > 0) && !drawing && drawNeeded) layers.shapes.batchDraw();
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
        if (inArea(id)) toPlace.add(id);
        else unmount(id);
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
      layers.shapes.off(BEFORE_DRAW);
      offBoard();
      offDraft();
      offRemote();
      offView();
      scheduler.close();
      for (const node of nodes.values()) node.destroy();
      nodes.clear();
      indexOf.clear();
      boundsOf.clear();
      spatial.clear();
      hidden.clear();
      lifted.clear();
      dirty.clear();
    },
  };
}
