import Konva from 'konva';
import { holdsShapes, shapeAssetIds, type Shape } from '../../shared/schema.ts';
import { compareShapeOrder } from '../../shared/doc.ts';
import type { Board, NewShape } from '../model/board.ts';
import type { Draft } from '../model/draft.ts';
import { shapeBounds } from '../model/geometry.ts';
import type { Bounds } from '../model/plane.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import type { StageLayers } from './stage.ts';
import { renderShape } from './views/render-shape.ts';
import { createSpatialIndex } from './spatial-index.ts';
import type { ShapeNode, ViewContext } from './views/view.ts';

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

/**
 * What the renderer draws: the live board, or any set of shapes that reads like it (a past
 * version, client/model/shape-set.ts).
 */
export type RenderedShapes = Pick<Board, 'get' | 'ordered' | 'onChange'>;

export interface RendererOptions {
  board: RenderedShapes;
  draft: Draft;
  /** Others' drags, resizes, rotations and erasers, shown as they happen; the local gesture wins. */
  remote?: RemotePreviews;
  layers: Pick<StageLayers, 'shapes' | 'draft'>;
  /** The pictures image shapes show, and the theme's paint (client/canvas/theme-colors.ts). */
  images: ViewContext;
  /** Culls shapes outside this view (plus a margin). */
  view?: RendererView;
  /** Defaults to one flush per animation frame. */
  createScheduler?: (work: () => void) => FrameScheduler;
  /**
   * Runs `mount` when the page is next idle and returns a cancel. Given, the first flush mounts
   * only the shapes in view and the margin around it comes when this runs: a big board's first
   * frame then costs what is on screen (a quarter of view plus margin). Absent, the margin is
   * mounted from the first flush.
   */
  whenIdle?: (mount: () => void) => () => void;
}

/** Keeps one Konva node per valid shape in view in step with the board. */
export interface Renderer {
  /** The node drawing this shape, if it is on the board and in view. */
  nodeFor(id: string): ShapeNode | undefined;
  /** Applies pending changes now instead of on the next frame. */
  flush(): void;
  /** Ids of the shapes that may touch `region` (a superset, from the spatial index): what snapping looks at. */
  shapesIn(region: Bounds): Set<string>;
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
 * Where a node goes in its container's order. The shapes layer holds the frames, bottom first,
 * each followed by the group clipping its children (`part` 1), and then every shape in no frame
 * (`band` 1): frames stay below shapes whatever their index. A clipping group holds its frame's
 * children in z-order.
 */
interface Slot {
  band: 0 | 1;
  index: string;
  id: string;
  part: 0 | 1;
}

function compareSlots(a: Slot, b: Slot): number {
  if (a.band !== b.band) return a.band - b.band;
  if (a.index !== b.index) return a.index < b.index ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.part - b.part;
}

/** The frame whose clipping group draws this shape, or null: a frame is in none. */
function frameOf(shape: Pick<Shape, 'type' | 'frameId'>): string | null {
  return holdsShapes(shape) ? null : (shape.frameId ?? null);
}

/**
 * Redraws only the shapes a change touched, at most once per frame, whoever made the change, and
 * only shapes in or near the view have a node at all: a 50k-shape board costs what is on screen.
 * Shapes being dragged are lifted into the draft layer for the drag, so the layer holding every
 * other shape is not redrawn on each pointer move; on drop they go back to their place in z-order.
 *
 * Frames are drawn below every other shape, and each frame's children in a group clipped to the
 * frame's box, right above the frame (one clip per frame, however many children). A child is
 * mounted only while its frame is. A dragged frame is lifted with its clipping group, so its
 * children move with it, clipped, while it is dragged.
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
  /** Children drawn in the clipping group of a lifted frame: they move with it, in the draft layer. */
  const carried = new Set<string>();
  /** The group clipping each mounted frame's children to its box. */
  const clips = new Map<string, Konva.Group>();
  /** The frame whose clipping group holds each mounted child ('' for the shapes layer itself). */
  const placedIn = new Map<string, string>();
  const slots = new WeakMap<Konva.Node, Slot>();
  const dirty = new Set<string>();
  /** Nodes to put at their place in z-order on this flush. */
  const toPlace = new Set<string>();
  let translationDirty = false;
  let viewDirty = true;
  /** The board or the draft changed something drawn (not just the camera). */
  let contentDirty = false;
  let area: Bounds | null = null;
  /** The margin around the view waits for options.whenIdle (then this is false). */
  let marginDeferred = options.whenIdle !== undefined;
  let cancelMargin: (() => void) | null = null;
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
  // A picture that arrived redraws the mounted shapes showing it (others get it when mounted).
  const offPictures =
    options.images.onPicture?.((assetId) => {
      let found = false;
      for (const id of nodes.keys()) {
        const shape = board.get(id);
        if (shape === undefined || !shapeAssetIds(shape).includes(assetId)) continue;
        dirty.add(id);
        found = true;
      }
      if (!found) return;
      contentDirty = true;
      request();
    }) ?? (() => {});
  // A theme switch redraws every mounted shape in its new colours; the rest get them when mounted.
  const offRepaint =
    options.images.onRepaint?.(() => {
      for (const id of nodes.keys()) dirty.add(id);
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
    if (box === null || lifted.has(id) || carried.has(id)) return true;
    const b = boundsOf.get(id);
    return b !== undefined && b.x <= box.x + box.width && b.y <= box.y + box.height && b.x + b.width >= box.x && b.y + b.height >= box.y;
  };
  const inArea = (id: string): boolean => within(id, area);

  /** Shows the node if it is in view, hides it if not (a frame's clipping group with it); whether that changed anything. */
  const show = (id: string, node: ShapeNode): boolean => {
    const visible = within(id, seen);
    if (visible === !hidden.has(id)) return false;
    node.visible(visible);
    clips.get(id)?.visible(visible);
    if (visible) hidden.delete(id);
    else hidden.add(id);
    return true;
  };

  const unmount = (id: string): void => {
    const clip = clips.get(id);
    if (clip !== undefined) {
      // A child is mounted only while its frame is; it is looked at again (its frame may be gone).
      for (const [child, frame] of placedIn) {
        if (frame !== id) continue;
        unmount(child);
        dirty.add(child);
      }
      clip.destroy();
      clips.delete(id);
    }
    nodes.get(id)?.destroy();
    nodes.delete(id);
    hidden.delete(id);
    indexOf.delete(id);
    lifted.delete(id);
    carried.delete(id);
    placedIn.delete(id);
    toPlace.delete(id);
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
    // The stage does not draw a blank layer for the camera (stage.ts): a layer culling emptied is
    // drawn here once a pan brings shapes back, or it would stay blank until the board changed.
    const wasBlank = layers.shapes.children.length === 0;

    if (viewDirty && view !== undefined) {
      viewDirty = false;
      const b = view.bounds();
      seen = b;
      // The mounted area is only moved once the view leaves it or has become much smaller than it
      // (zoomed in): most pan and zoom frames then just show and hide nodes already mounted,
      // instead of querying the index and mounting a few nodes on every frame.
      if (area === null || !contains(area, b) || area.width > b.width * (1 + 2 * VIEW_MARGIN) * REMOUNT_SHRINK) {
        const margin = marginDeferred ? 0 : VIEW_MARGIN;
        area = { x: b.x - b.width * margin, y: b.y - b.height * margin, width: b.width * (1 + 2 * margin), height: b.height * (1 + 2 * margin) };
        if (marginDeferred && cancelMargin === null) {
          cancelMargin = options.whenIdle!(() => {
            marginDeferred = false;
            area = null;
            viewDirty = true;
            request();
          });
        }
        // The grid finds what may be in the area without looking at far-off shapes.
        for (const id of spatial.query(area)) if (!nodes.has(id) && inArea(id)) dirty.add(id);
        for (const id of [...nodes.keys()]) {
          if (!nodes.has(id) || inArea(id)) continue;
          unmount(id);
          shapesChanged = true;
        }
      }
      for (const [id, node] of nodes) if (show(id, node)) shapesChanged = true;
      // The stage redraws the layer for the camera itself; a view change alone draws nothing more.
    }

    // Frames before the rest, so a child finds its frame's clipping group mounted; unmounting a
    // frame queues its children again, for another round.
    while (dirty.size > 0) {
      const round = [...dirty];
      dirty.clear();
      const isFrame = (id: string): boolean => clips.has(id) || holdsShapes(board.get(id) ?? { type: '' });
      for (const id of [...round.filter(isFrame), ...round.filter((id) => !isFrame(id))]) {
        const changed = render(id);
        shapesChanged ||= changed.shapes;
        draftChanged ||= changed.draft;
      }
    }

    if (translationDirty) {
      translationDirty = false;
      const changed = applyTranslation();
      shapesChanged ||= changed.shapes;
      draftChanged ||= changed.draft;
    }
    const placing = toPlace.size > 0;
    if (placing) place();
    // Inside the layer's own draw, the changes are drawn by that very draw. What only the camera
    // changed (culling) is drawn when the stage draws for the camera: at once for a pan, when the
    // zoom pauses for a zoom (zoom-preview.ts).
    const drawNeeded = contentDirty || view === undefined || wasBlank;
    contentDirty = false;
    if ((shapesChanged || placing) && !drawing && drawNeeded) layers.shapes.batchDraw();
    if (draftChanged) layers.draft.batchDraw();
  }

  /** Brings one shape's node in step with the board, the draft and the others' gestures. */
  function render(id: string): { shapes: boolean; draft: boolean } {
    const inDraftLayer = (): boolean => lifted.has(id) || carried.has(id);
    const stored = board.get(id);
    if (stored === undefined) {
      boundsOf.delete(id);
      spatial.delete(id);
      if (!nodes.has(id)) return { shapes: false, draft: false };
      const where = inDraftLayer();
      unmount(id);
      return { shapes: !where, draft: where };
    }
    // The local gesture wins over anyone else's on the same shape.
    const local = draft.overrides?.get(id);
    const shape = { ...stored, ...(local ?? (lifted.has(id) ? undefined : remote?.overrides().get(id))) };
    const bounds = shapeBounds(shape);
    boundsOf.set(id, bounds);
    spatial.set(id, bounds);
    const existing = nodes.get(id);
    const frame = frameOf(shape);
    // A child is clipped to its frame: without its frame mounted, none of it can show.
    if (!inArea(id) || (frame !== null && !clips.has(frame))) {
      if (existing === undefined) return { shapes: false, draft: false };
      const where = inDraftLayer();
      unmount(id);
      return { shapes: !where, draft: where };
    }
    const node = renderShape(shape, existing, 'committed', options.images);
    if (node !== existing) hidden.delete(id);
    show(id, node);
    // Shapes the eraser passed over fade until the release deletes them.
    if (draft.erased?.has(id) || remote?.erased().has(id)) node.opacity(shape.opacity * ERASED_OPACITY);
    const { dx, dy } = offset(id);
    if (dx !== 0 || dy !== 0) node.position({ x: shape.x + dx, y: shape.y + dy });
    if (holdsShapes(shape)) {
      let clip = clips.get(id);
      if (clip === undefined) {
        clips.set(id, (clip = new Konva.Group({ listening: false })));
        if (hidden.has(id)) clip.visible(false);
        if (!lifted.has(id)) toPlace.add(id);
      }
      clip.clip({ x: shape.x, y: shape.y, width: shape.width, height: shape.height });
    }
    // A carried child that left its frame meanwhile is no longer carried: it goes to its place.
    if (carried.has(id) && placedIn.get(id) !== (frame ?? '')) carried.delete(id);
    const where = inDraftLayer();
    if (node !== existing) {
      existing?.destroy();
      nodes.set(id, node);
      if (lifted.has(id)) layers.draft.add(node);
      else if (carried.has(id)) insert(clips.get(frame!)!, node, destination(shape).slot);
      else toPlace.add(id);
    } else if (!where && (indexOf.get(id) !== shape.index || placedIn.get(id) !== (frame ?? ''))) {
      toPlace.add(id);
    }
    indexOf.set(id, shape.index);
    return { shapes: !where, draft: where };
  }

  /** Lifts newly dragged shapes, drops released ones back, and offsets the lifted ones. */
  function applyTranslation(): { shapes: boolean; draft: boolean } {
    const translation = draft.translation;
    const wanted = new Set<string>();
    if (translation !== null) {
      for (const id of translation.ids) {
        if (!nodes.has(id)) continue;
        // A child of a dragged frame moves with the frame's clipping group, clipped.
        const frame = placedIn.get(id);
        if (frame !== undefined && frame !== '' && translation.ids.has(frame) && nodes.has(frame)) continue;
        wanted.add(id);
      }
    }
    let shapes = false;
    for (const id of [...lifted]) {
      if (wanted.has(id)) continue;
      lifted.delete(id);
      const node = nodes.get(id);
      const shape = board.get(id);
      if (node && shape) {
        node.position({ x: shape.x, y: shape.y });
        node.remove();
        const clip = clips.get(id);
        if (clip !== undefined) {
          clip.position({ x: 0, y: 0 });
          clip.remove();
          for (const [child, frame] of placedIn) if (frame === id) carried.delete(child);
        }
        if (inArea(id)) toPlace.add(id);
        else unmount(id);
      }
      shapes = true;
    }
    // Lift in z-order (frames below the rest) so the dragged shapes keep their stacking among themselves.
    const entering = [...wanted]
      .filter((id) => !lifted.has(id))
      .map((id) => board.get(id))
      .filter((s): s is Shape => s !== undefined)
      .sort((a, b) => Number(holdsShapes(b)) - Number(holdsShapes(a)) || compareShapeOrder(a, b));
    for (const shape of entering) {
      lifted.add(shape.id);
      toPlace.delete(shape.id);
      nodes.get(shape.id)?.moveTo(layers.draft);
      const clip = clips.get(shape.id);
      if (clip !== undefined) {
        clip.moveTo(layers.draft);
        for (const [child, frame] of placedIn) if (frame === shape.id) carried.add(child);
      }
      shapes = true;
    }
    for (const id of lifted) {
      const shape = board.get(id);
      if (!shape || !translation) continue;
      nodes.get(id)?.position({ x: shape.x + translation.dx, y: shape.y + translation.dy });
      clips.get(id)?.position({ x: translation.dx, y: translation.dy });
    }
    return { shapes, draft: true };
  }

  /** Where a mounted shape's node goes: the container and its place in it. */
  const destination = (shape: Shape): { container: Konva.Container; slot: Slot } => {
    if (holdsShapes(shape)) return { container: layers.shapes, slot: { band: 0, index: shape.index, id: shape.id, part: 0 } };
    const frame = frameOf(shape);
    const clip = frame !== null ? clips.get(frame) : undefined;
    if (clip !== undefined) return { container: clip, slot: { band: 1, index: shape.index, id: shape.id, part: 0 } };
    return { container: layers.shapes, slot: { band: 1, index: shape.index, id: shape.id, part: 0 } };
  };

  /** Inserts `node` into `container`, whose children are in slot order, at its slot. */
  const insert = (container: Konva.Container, node: Konva.Node, slot: Slot): void => {
    slots.set(node, slot);
    const children = container.children;
    let low = 0;
    let high = children.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const other = slots.get(children[middle]!);
      if (other !== undefined && compareSlots(other, slot) < 0) low = middle + 1;
      else high = middle;
    }
    container.add(node as Konva.Group);
    if (low < container.children.length - 1) node.zIndex(low);
  };

  /** Puts the nodes of `toPlace` at their z-order position, in the shapes layer or their frame's clipping group. */
  function place(): void {
    const ids = [...toPlace].filter((id) => nodes.has(id) && !lifted.has(id) && !carried.has(id));
    toPlace.clear();
    if (ids.length > REBUILD_ORDER_THRESHOLD) {
      rebuild();
      return;
    }
    const shapes = ids.map((id) => board.get(id)).filter((s): s is Shape => s !== undefined);
    // Frames first: their clipping groups must be in place before their children go in.
    shapes.sort((a, b) => Number(holdsShapes(b)) - Number(holdsShapes(a)));
    // All out first: a node still in with its old index would mislead the search for a place.
    for (const shape of shapes) {
      nodes.get(shape.id)!.remove();
      clips.get(shape.id)?.remove();
    }
    for (const shape of shapes) {
      const node = nodes.get(shape.id)!;
      const { container, slot } = destination(shape);
      insert(container, node, slot);
      placedIn.set(shape.id, container === layers.shapes ? '' : (frameOf(shape) ?? ''));
      const clip = clips.get(shape.id);
      if (clip !== undefined) insert(layers.shapes, clip, { ...slot, part: 1 });
    }
  }

  /** Puts every mounted node in place at once: cheaper than moving many one by one. */
  function rebuild(): void {
    layers.shapes.removeChildren();
    for (const [id, clip] of clips) if (!lifted.has(id)) clip.removeChildren();
    // One add per node: spreading 10k nodes into one call could exceed the argument limit.
    for (const shape of board.ordered()) {
      const node = nodes.get(shape.id);
      if (node === undefined || lifted.has(shape.id) || carried.has(shape.id)) continue;
      if (holdsShapes(shape)) continue;
      const { container, slot } = destination(shape);
      if (container !== layers.shapes) {
        slots.set(node, slot);
        container.add(node as Konva.Group);
        placedIn.set(shape.id, frameOf(shape) ?? '');
      }
    }
    for (const shape of board.ordered()) {
      const node = nodes.get(shape.id);
      if (node === undefined || lifted.has(shape.id) || !holdsShapes(shape)) continue;
      const slot: Slot = { band: 0, index: shape.index, id: shape.id, part: 0 };
      slots.set(node, slot);
      layers.shapes.add(node as Konva.Group);
      placedIn.set(shape.id, '');
      const clip = clips.get(shape.id);
      if (clip !== undefined) {
        slots.set(clip, { ...slot, part: 1 });
        layers.shapes.add(clip);
      }
    }
    for (const shape of board.ordered()) {
      const node = nodes.get(shape.id);
      if (node === undefined || lifted.has(shape.id) || carried.has(shape.id) || holdsShapes(shape)) continue;
      const { container, slot } = destination(shape);
      if (container !== layers.shapes) continue;
      slots.set(node, slot);
      layers.shapes.add(node as Konva.Group);
      placedIn.set(shape.id, '');
    }
  }

  return {
    nodeFor: (id) => nodes.get(id),
    flush: () => scheduler.flush(),
    shapesIn: (region) => spatial.query(region),
    close() {
      layers.shapes.off(BEFORE_DRAW);
      offBoard();
      offDraft();
      offRemote();
      offPictures();
      offRepaint();
      offView();
      cancelMargin?.();
      scheduler.close();
      for (const node of nodes.values()) node.destroy();
      for (const clip of clips.values()) clip.destroy();
      nodes.clear();
      clips.clear();
      placedIn.clear();
      indexOf.clear();
      boundsOf.clear();
      spatial.clear();
      hidden.clear();
      lifted.clear();
      carried.clear();
      dirty.clear();
      toPlace.clear();
    },
  };
}
