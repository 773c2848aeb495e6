import Konva from 'konva';
import { diffBoards, type BoardDiff } from '../../shared/board-diff.ts';
import type { Shape } from '../../shared/schema.ts';
import { createDraft } from '../model/draft.ts';
import { createEmitter } from '../model/emitter.ts';
import { shapeBounds } from '../model/geometry.ts';
import { createShapeSet } from '../model/shape-set.ts';
import type { VersionPreview } from '../model/version-preview.ts';
import { createFrameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import { createRenderer, type RenderedShapes, type Renderer, type RendererView } from './renderer.ts';
import type { BoardStage } from './stage.ts';
import type { ViewContext } from './views/view.ts';

/** How each kind of difference is marked on the canvas; the History panel's legend uses the same. */
export const PREVIEW_MARKS = {
  added: { color: '#e03131', label: 'Added since', dash: [8, 5] },
  removed: { color: '#2f9e44', label: 'Removed since', dash: [] },
  changed: { color: '#f08c00', label: 'Changed since', dash: [] },
} as const;
export type PreviewMarkKind = keyof typeof PREVIEW_MARKS;

/** Screen pixels between a shape and its mark. */
const MARK_PADDING = 6;
const MARK_WIDTH = 2;

export interface VersionPreviewRendererOptions {
  /** The pictures image shapes show: a version's images are the board's files too. */
  images: ViewContext;
  stage: Pick<BoardStage, 'konva' | 'layers'>;
  /** The live board: what the version is compared with, kept current underneath. */
  live: RenderedShapes;
  preview: Pick<VersionPreview, 'current' | 'onChange'>;
  view?: RendererView;
  /** Defaults to one flush per animation frame. */
  createScheduler?: (work: () => void) => FrameScheduler;
}

export interface VersionPreviewRenderer {
  /** What the marks show now (null while the live board is shown). */
  readonly diff: BoardDiff | null;
  /** Called each time the marks were drawn anew. */
  onDiff(listener: (diff: BoardDiff | null) => void): () => void;
  /** Draws pending changes now (tests, and before reading the canvas). */
  flush(): void;
  close(): void;
}

/**
 * While a version is previewed, draws it in place of the live board: the version's shapes in a
 * layer of their own (canvas `version`), drawn by a second renderer over a shape set (so through
 * the same shape registry and culling as the board), and a mark around each shape that differs
 * from the live board, in a group of the overlay layer: added since (live only, where it is now,
 * dashed), removed since (version only) and changed since. The version's layer takes the place of
 * the live shapes layer in the stage for the preview (Konva advises five layers at most, and the
 * page has five), and the live draft layer is hidden: neither is touched otherwise, the board's
 * renderer keeps taking in others' edits, and the marks follow them.
 */
export function createVersionPreviewRenderer(options: VersionPreviewRendererOptions): VersionPreviewRenderer {
  const { stage, live, preview, view } = options;
  const versionLayer = new Konva.Layer({ listening: false });
  versionLayer.getNativeCanvasElement().dataset.layer = 'version';
  // Below the selection and the laser in the overlay.
  const marks = new Konva.Group({ listening: false, name: 'version-marks', visible: false });
  stage.layers.overlay.add(marks);
  marks.moveToBottom();
  /** Where the live shapes layer was in the stage while the version's layer stands in for it. */
  let swappedAt: number | null = null;
  const set = createShapeSet();
  let renderer: Renderer | null = null;
  let diff: BoardDiff | null = null;
  let drawnScale = 0;
  const diffs = createEmitter<BoardDiff | null>();
  const scheduler = (options.createScheduler ?? createFrameScheduler)(() => drawMarks());

  const mark = (shape: Shape, kind: PreviewMarkKind, scale: number): Konva.Rect => {
    const bounds = shapeBounds(shape);
    const pad = MARK_PADDING / scale;
    const style = PREVIEW_MARKS[kind];
    return new Konva.Rect({
      x: bounds.x - pad,
      y: bounds.y - pad,
      width: bounds.width + 2 * pad,
      height: bounds.height + 2 * pad,
      stroke: style.color,
      strokeWidth: MARK_WIDTH,
      strokeScaleEnabled: false,
      dash: [...style.dash],
      cornerRadius: pad,
      name: `mark-${kind}`,
    });
  };

  function drawMarks(): void {
    const current = preview.current;
    marks.destroyChildren();
    if (current === null) {
      diff = null;
      stage.layers.overlay.batchDraw();
      diffs.emit(null);
      return;
    }
    diff = diffBoards(current.board.shapes, live.ordered());
    const scale = stage.konva.scaleX() || 1;
    drawnScale = scale;
    const version = new Map(current.board.shapes.map((shape) => [shape.id, shape]));
    for (const id of diff.removed) marks.add(mark(version.get(id)!, 'removed', scale));
    for (const id of diff.changed) marks.add(mark(version.get(id)!, 'changed', scale));
    for (const id of diff.added) {
      const shape = live.get(id);
      if (shape !== undefined) marks.add(mark(shape, 'added', scale));
    }
    stage.layers.overlay.batchDraw();
    diffs.emit(diff);
  }

  const setLiveVisible = (visible: boolean): void => {
    const live = stage.layers.shapes;
    if (!visible && swappedAt === null) {
      swappedAt = live.zIndex();
      live.remove();
      stage.konva.add(versionLayer);
      versionLayer.zIndex(swappedAt);
    } else if (visible && swappedAt !== null) {
      versionLayer.remove();
      stage.konva.add(live);
      live.zIndex(swappedAt);
      swappedAt = null;
      // Drawn meanwhile or not, the board's layer is brought up to date at once.
      live.batchDraw();
    }
    stage.layers.draft.visible(visible);
    if (visible) stage.layers.draft.batchDraw();
    marks.visible(!visible);
  };

  const onPreview = (): void => {
    const current = preview.current;
    if (current === null) {
      renderer?.close();
      renderer = null;
      set.replace([]);
      setLiveVisible(true);
      scheduler.flush();
      return;
    }
    set.replace(current.board.shapes);
    // The renderer's layers are its own: it draws the shape set as it would draw the board.
    // Nothing is ever dragged in a version: its renderer's draft layer is never drawn into.
    renderer ??= createRenderer({ board: set, draft: createDraft(), layers: { shapes: versionLayer, draft: versionLayer }, images: options.images, view, createScheduler: options.createScheduler });
    setLiveVisible(false);
    scheduler.schedule();
  };
  const offPreview = preview.onChange(onPreview);
  // Others' edits keep arriving: what differs is marked anew (at most once a frame).
  const offLive = live.onChange(() => {
    if (preview.current !== null) scheduler.schedule();
  });
  // Marks keep their width on screen through zooms.
  const offZoom = view?.onChange(() => {
    if (preview.current !== null && stage.konva.scaleX() !== drawnScale) scheduler.schedule();
  });
  onPreview();

  return {
    get diff() {
      return diff;
    },
    onDiff: (listener) => diffs.on(listener),
    flush() {
      renderer?.flush();
      scheduler.flush();
    },
    close() {
      offPreview();
      offLive();
      offZoom?.();
      diffs.clear();
      scheduler.close();
      renderer?.close();
      set.close();
      setLiveVisible(true);
      marks.destroy();
      versionLayer.destroy();
    },
  };
}
