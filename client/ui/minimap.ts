import type { Board } from '../model/board.ts';
import type { Camera } from '../model/camera.ts';
import type { Bounds } from '../model/plane.ts';
import { shapeBounds } from '../model/geometry.ts';
import type { Peers } from '../presence/peers.ts';
import { createFrameScheduler } from '../canvas/frame-scheduler.ts';
import { boardToMinimap, centredOn, extentOf, fitMinimap, MINIMAP_SHAPE_FILL, minimapToBoard, refit, viewportBounds, type MinimapTransform } from '../canvas/minimap-layout.ts';
import type { Command } from './keymap.ts';
import { createButton, mount } from './dom.ts';
import { whenIdle } from './when-idle.ts';

/** The minimap's size on screen, in CSS pixels. */
export const MINIMAP_SIZE = { width: 200, height: 140 };
/**
 * The smallest window the minimap starts on in: below a large laptop's 1280 × 800 its 200 × 140
 * box (with the toggle, at the bottom left where people draw) covers too much of the board.
 */
export const MINIMAP_MIN_WINDOW = { width: 1280, height: 800 };
/** Where this browser keeps the on/off choice. */
export const MINIMAP_STORAGE_KEY = 'easel.minimap';
const OWN_VIEWPORT = '#4a6cf7';

export interface MinimapOptions {
  parent: HTMLElement;
  board: Board;
  camera: Camera;
  /** Size of the board on screen, for the local viewport and for centring. */
  screen(): { width: number; height: number };
  /** Fires when the board's size on screen changes. */
  onScreenChange(listener: () => void): () => void;
  peers: Pick<Peers, 'list' | 'onChange'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The browser window, for the default (on only where there is room) and the pixel ratio. */
  window: Pick<Window, 'innerWidth' | 'innerHeight' | 'devicePixelRatio'>;
  /** Runs `run` once the browser is idle; returns a cancel (defaults to when-idle.ts with no timeout). */
  whenIdle?: (run: () => void) => () => void;
}

export interface Minimap {
  readonly element: HTMLElement;
  readonly visible: boolean;
  /** The Shift+M command, for the keyboard and the help dialog. */
  readonly command: Command;
  close(): void;
}

/** Shapes are redrawn at most this often while the board keeps changing (a drag, a remote edit). */
export const MINIMAP_SHAPES_INTERVAL_MS = 250;
/** How long the fit must stay put before the shapes are redrawn sharp at it. */
export const MINIMAP_SETTLE_MS = 200;
/**
 * Shapes drawn into the cache per frame: 50,000 rectangles take some 30 ms in software Chromium,
 * so a large board is drawn over several frames (about 3 ms each) behind the image on show.
 */
export const MINIMAP_SHAPES_PER_FRAME = 5000;

const sameTransform = (a: MinimapTransform | null, b: MinimapTransform): boolean => a !== null && a.x === b.x && a.y === b.y && a.scale === b.scale;

/**
 * A small overview in the bottom-left corner, above the zoom bar: every shape's bounds, the local
 * viewport and each collaborator's, fitted together. A click or drag in it centres the view there
 * at the same zoom.
 *
 * Cost on a large board: each frame that something changed draws one cached image of the shapes
 * plus a rectangle per viewport. The cache is an offscreen canvas of the shapes' bounds, kept in a
 * map updated only for the ids a board change names; it is redrawn when the board changed (at most
 * every MINIMAP_SHAPES_INTERVAL_MS) or when the fit moved (a pan past the board's edge, a zoom out)
 * and then held still for MINIMAP_SETTLE_MS. Until then the old image is drawn scaled to the new
 * fit, so panning never walks the shapes. A redraw goes into a second canvas, at most
 * MINIMAP_SHAPES_PER_FRAME shapes a frame, and replaces the shown image once complete.
 */
export function createMinimap(options: MinimapOptions): Minimap {
  const { board, camera, peers, storage } = options;
  const element = document.createElement('div');
  element.className = 'minimap';
  const canvas = document.createElement('canvas');
  canvas.className = 'minimap-canvas';
  canvas.dataset.layer = 'minimap';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Minimap of the board: click or drag to move the view');
  canvas.style.width = `${MINIMAP_SIZE.width}px`;
  canvas.style.height = `${MINIMAP_SIZE.height}px`;
  const ratio = Math.max(1, options.window.devicePixelRatio || 1);
  canvas.width = Math.round(MINIMAP_SIZE.width * ratio);
  canvas.height = Math.round(MINIMAP_SIZE.height * ratio);
  const offscreen = (): HTMLCanvasElement => {
    const image = document.createElement('canvas');
    image.width = canvas.width;
    image.height = canvas.height;
    return image;
  };
  // The image of the shapes on show, and the one a redraw fills, swapped when it is complete.
  let shapesImage = offscreen();
  let nextImage = offscreen();

  const stored = storage?.getItem(MINIMAP_STORAGE_KEY) ?? null;
  let visible = stored === null ? options.window.innerWidth >= MINIMAP_MIN_WINDOW.width && options.window.innerHeight >= MINIMAP_MIN_WINDOW.height : stored === 'on';

  // Every shape's bounds by id: a change re-reads only the ids it names, not all 50,000 shapes.
  // Read on the map's first draw, not here: the page is built while the board opens, and the
  // board's own first paint comes first (at 50,000 shapes this was 60 ms before it).
  let knownBoxes: Map<string, Bounds> | null = null;
  const shapeBoxes = (): Map<string, Bounds> => (knownBoxes ??= new Map(board.ordered().map((shape) => [shape.id, shapeBounds(shape)])));
  // The map draws nothing until the browser is first idle after the page is built (below).
  let started = false;
  const cancelStart = (options.whenIdle ?? whenIdle)(() => {
    started = true;
    if (visible) scheduler.schedule();
  });
  let boardExtent: Bounds | null = null;
  let extentStale = true;
  // The fit shapesImage was drawn at (null: none yet), and whether the board changed since.
  let cachedAt: MinimapTransform | null = null;
  // The redraw under way: its fit, the boxes as they were when it began, and how far it got.
  let redraw: { transform: MinimapTransform; boxes: Bounds[]; next: number } | null = null;
  let shapesStale = true;
  let shapesDrawnAt = -Infinity;
  // The fit of the last frame, and since when it has not moved, to tell a pan from a pause.
  let shownAt: MinimapTransform | null = null;
  let fitSince = 0;
  let refresh: ReturnType<typeof setTimeout> | null = null;
  // While the pointer drags, the fit stays put: the view moving would otherwise move the map under it.
  let frozen: MinimapTransform | null = null;

  const ownBounds = (): Bounds => viewportBounds({ ...camera.viewport(), ...options.screen() });
  const peerBounds = (): Array<{ color: string; bounds: Bounds }> =>
    peers.list().flatMap((peer) => (peer.presence.viewport === null ? [] : [{ color: peer.presence.user.color, bounds: viewportBounds(peer.presence.viewport) }]));

  const currentTransform = (): MinimapTransform => {
    if (frozen !== null) return frozen;
    if (extentStale) {
      boardExtent = extentOf([...shapeBoxes().values()]);
      extentStale = false;
    }
    const extent = extentOf([boardExtent, ownBounds(), ...peerBounds().map((peer) => peer.bounds)]) ?? ownBounds();
    return fitMinimap(extent, MINIMAP_SIZE);
  };

  const startRedraw = (transform: MinimapTransform): void => {
    const context = nextImage.getContext('2d');
    context?.setTransform(1, 0, 0, 1, 0, 0);
    context?.clearRect(0, 0, nextImage.width, nextImage.height);
    redraw = { transform, boxes: [...shapeBoxes().values()], next: 0 };
    shapesStale = false;
    shapesDrawnAt = performance.now();
  };

  const continueRedraw = (job: { transform: MinimapTransform; boxes: Bounds[]; next: number }): void => {
    const context = nextImage.getContext('2d');
    if (context === null) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = MINIMAP_SHAPE_FILL;
    const end = Math.min(job.boxes.length, job.next + MINIMAP_SHAPES_PER_FRAME);
    for (let i = job.next; i < end; i++) {
      const r = boardToMinimap(job.transform, job.boxes[i]!);
      // At least one pixel, so a far-away small shape still shows.
      context.fillRect(r.x, r.y, Math.max(r.width, 1), Math.max(r.height, 1));
    }
    job.next = end;
    if (end < job.boxes.length) {
      scheduler.schedule();
      return;
    }
    [shapesImage, nextImage] = [nextImage, shapesImage];
    cachedAt = job.transform;
    redraw = null;
    // The board or the fit may have moved while it ran; the next frame checks and schedules.
    scheduler.schedule();
  };

  const refreshIn = (ms: number): void => {
    if (refresh !== null) return;
    refresh = setTimeout(() => {
      refresh = null;
      if (visible) scheduler.schedule();
    }, Math.max(0, ms));
  };

  const draw = (): void => {
    if (!visible || !started) return;
    const now = performance.now();
    const transform = currentTransform();
    if (!sameTransform(shownAt, transform)) fitSince = now;
    shownAt = transform;
    // A redraw under way runs to its end even if the board changed meanwhile (shapesStale says
    // so, and the next one follows): restarting it on every change would never finish.
    if (redraw === null && cachedAt === null) startRedraw(transform);
    else if (redraw === null && (shapesStale || !sameTransform(cachedAt, transform))) {
      const wait = Math.max(shapesStale ? MINIMAP_SHAPES_INTERVAL_MS - (now - shapesDrawnAt) : 0, MINIMAP_SETTLE_MS - (now - fitSince));
      if (wait <= 0) startRedraw(transform);
      else refreshIn(wait);
    }
    if (redraw !== null) continueRedraw(redraw);

    const context = canvas.getContext('2d');
    if (context === null) return;
    context.setTransform(1, 0, 0, 1, 0, 0);
    // Transparent: the element's background is the theme's (styles.css), so a theme switch needs no redraw.
    context.clearRect(0, 0, canvas.width, canvas.height);
    // The cached image, moved and scaled from the fit it was drawn at to this one.
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (cachedAt !== null) {
      const image = refit(cachedAt, transform, MINIMAP_SIZE);
      context.imageSmoothingQuality = 'high';
      context.drawImage(shapesImage, image.x, image.y, image.width, image.height);
    }
    const outline = (bounds: Bounds, color: string): void => {
      const r = boardToMinimap(transform, bounds);
      context.strokeStyle = color;
      context.lineWidth = 2;
      context.strokeRect(r.x, r.y, Math.max(r.width, 2), Math.max(r.height, 2));
    };
    for (const peer of peerBounds()) outline(peer.bounds, peer.color);
    outline(ownBounds(), OWN_VIEWPORT);
  };
  const scheduler = createFrameScheduler(draw);

  const moveTo = (event: PointerEvent): void => {
    const rect = canvas.getBoundingClientRect();
    const transform = frozen ?? shownAt ?? currentTransform();
    const target = minimapToBoard(transform, { x: event.clientX - rect.left, y: event.clientY - rect.top });
    camera.set(centredOn(target, camera.viewport().scale, options.screen()));
  };
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    frozen = shownAt ?? currentTransform();
    canvas.setPointerCapture(event.pointerId);
    moveTo(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (frozen !== null) moveTo(event);
  });
  const release = (): void => {
    if (frozen === null) return;
    frozen = null;
    scheduler.schedule();
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);

  const toggle = createButton('chip-button minimap-toggle', 'Minimap', () => setVisible(!visible), 'Minimap — Shift+M');
  toggle.dataset.action = 'toggle-minimap';
  toggle.textContent = '▣';
  // Clicking a control must not leave focus on it (the next Space would press it).
  toggle.addEventListener('mousedown', (event) => event.preventDefault());
  element.append(canvas, toggle);

  const show = (): void => {
    canvas.hidden = !visible;
    toggle.setAttribute('aria-pressed', String(visible));
    if (!visible) return;
    // Shown again: draw the shapes afresh at once rather than a scaled image from before.
    cachedAt = null;
    redraw = null;
    scheduler.schedule();
  };
  const setVisible = (next: boolean): void => {
    visible = next;
    storage?.setItem(MINIMAP_STORAGE_KEY, visible ? 'on' : 'off');
    show();
  };
  show();

  const offs = [
    board.onChange((change) => {
      // Before the first draw there is nothing to keep up to date: that draw reads them all.
      if (knownBoxes !== null) {
        for (const id of change.ids) {
          const shape = board.get(id);
          if (shape === undefined) knownBoxes.delete(id);
          else knownBoxes.set(id, shapeBounds(shape));
        }
      }
      shapesStale = true;
      extentStale = true;
      if (visible) scheduler.schedule();
    }),
    camera.onChange(() => visible && scheduler.schedule()),
    options.onScreenChange(() => visible && scheduler.schedule()),
    peers.onChange(() => visible && scheduler.schedule()),
    () => scheduler.close(),
    cancelStart,
    () => {
      if (refresh !== null) clearTimeout(refresh);
    },
  ];
  const mounted = mount(options.parent, element, offs);
  return {
    element,
    get visible() {
      return visible;
    },
    command: { id: 'toggle-minimap', label: 'Minimap on / off', keys: ['Shift+M'], run: () => setVisible(!visible) },
    close: mounted.close,
  };
}
