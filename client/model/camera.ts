import type { Bounds, Point } from './plane.ts';
import { createEmitter } from './emitter.ts';

/** The camera: board point p appears at screen pixel p * scale + (x, y). */
export interface Viewport {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 8;
/** Each zoom button press or key press multiplies or divides the scale by this. */
export const ZOOM_STEP = 1.25;
/** Margin kept around the shapes by "zoom to fit", in screen pixels. */
const FIT_MARGIN_PX = 48;

/**
 * Where the local user is looking. Session state, never stored in the document; nothing here
 * touches the DOM, so the stage follows it and tools and tests can drive it directly.
 */
export interface Camera {
  viewport(): Viewport;
  set(viewport: Viewport): void;
  /** Moves the view by a distance in screen pixels. */
  panBy(dx: number, dy: number): void;
  /** Multiplies the scale by `factor`, keeping the board point under screen point `at` still. */
  zoomAt(at: Point, factor: number): void;
  /** The visible part of the board for a screen of this size. */
  visibleBounds(screen: { width: number; height: number }): Bounds;
  /** Fits `bounds` into a screen of this size (never zooming in past 100%). */
  fit(bounds: Bounds | null, screen: { width: number; height: number }): void;
  onChange(listener: (viewport: Viewport) => void): () => void;
  close(): void;
}

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

export function createCamera(initial: Viewport = { x: 0, y: 0, scale: 1 }): Camera {
  let current: Viewport = { ...initial };
  const changes = createEmitter<Viewport>();
  const set = (next: Viewport): void => {
    const scale = clampScale(next.scale);
    if (next.x === current.x && next.y === current.y && scale === current.scale) return;
    if (!Number.isFinite(next.x) || !Number.isFinite(next.y) || !Number.isFinite(scale)) return;
    current = { x: next.x, y: next.y, scale };
    changes.emit(current);
  };
  return {
    viewport: () => current,
    set,
    panBy(dx, dy) {
      set({ ...current, x: current.x + dx, y: current.y + dy });
    },
    zoomAt(at, factor) {
      const scale = clampScale(current.scale * factor);
      const boardX = (at.x - current.x) / current.scale;
      const boardY = (at.y - current.y) / current.scale;
      set({ scale, x: at.x - boardX * scale, y: at.y - boardY * scale });
    },
    visibleBounds(screen) {
      return { x: -current.x / current.scale, y: -current.y / current.scale, width: screen.width / current.scale, height: screen.height / current.scale };
    },
    fit(bounds, screen) {
      if (bounds === null || bounds.width <= 0 || bounds.height <= 0) {
        set({ x: 0, y: 0, scale: 1 });
        return;
      }
      const scale = clampScale(Math.min(1, (screen.width - 2 * FIT_MARGIN_PX) / bounds.width, (screen.height - 2 * FIT_MARGIN_PX) / bounds.height));
      set({ scale, x: screen.width / 2 - (bounds.x + bounds.width / 2) * scale, y: screen.height / 2 - (bounds.y + bounds.height / 2) * scale });
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
