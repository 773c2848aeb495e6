import { MAX_SCALE, type Camera, type Viewport } from '../model/camera.ts';
import { GRID_SIZE } from '../model/snapping.ts';
import { whenIdle } from '../ui/when-idle.ts';

/** Spacing of the dots at 100%, in board units: the grid that snapping to the grid uses. */
const GRID = GRID_SIZE;
/** Dots closer than this on screen are thinned out (every other one dropped) so the grid stays calm. */
const MIN_SPACING_PX = 12;
/** Radius of a dot on screen, whatever the zoom (CSS px). */
const DOT_RADIUS_PX = 1.1;
/** Used when the page defines no --grid colour. */
const FALLBACK_COLOR = '#dfe1e6';
/**
 * Tiles drawn per doubling of the spacing. A tile is stretched to the exact spacing, so its dot is
 * at most 2^(1/32) ≈ 2% off its true size.
 */
const TILES_PER_OCTAVE = 16;

/**
 * The dot grid: the board element's CSS background, moved and scaled with the camera. A CSS
 * background costs no canvas redraw, so panning a big board does not pay for the grid.
 *
 * The background is a small bitmap tile with one dot rather than a CSS radial gradient: the
 * browser repaints the background on every pan and zoom frame, and repeating a bitmap costs less
 * than half of evaluating a gradient at every tile (software rendering: ~5 ms against ~11 ms of
 * raster per 1280×800 frame). Tiles are drawn once per spacing bucket and kept, until
 * `onRecolor` says the page's --grid colour changed (the theme switched).
 */
export function createGrid(element: HTMLElement, camera: Camera, onRecolor?: (listener: () => void) => () => void): { close(): void } {
  const readColor = (): string => getComputedStyle(element).getPropertyValue('--grid').trim() || FALLBACK_COLOR;
  let color = readColor();
  const ratio = window.devicePixelRatio || 1;
  const tiles = new Map<number, string>();
  let shown: number | null = null;

  /** The CSS image of the tile for a spacing, drawn on first use. */
  const tile = (bucket: number): string | null => {
    let image = tiles.get(bucket);
    if (image === undefined) {
      const side = Math.max(1, Math.round(2 ** (bucket / TILES_PER_OCTAVE) * ratio));
      const canvas = document.createElement('canvas');
      canvas.width = side;
      canvas.height = side;
      const context = canvas.getContext('2d');
      if (context === null) return null;
      context.fillStyle = color;
      context.beginPath();
      context.arc(side / 2, side / 2, DOT_RADIUS_PX * ratio, 0, 2 * Math.PI);
      context.fill();
      image = `url("${canvas.toDataURL()}")`;
      tiles.set(bucket, image);
    }
    return image;
  };

  const apply = (viewport: Viewport): void => {
    let spacing = GRID * viewport.scale;
    while (spacing < MIN_SPACING_PX) spacing *= 2;
    const bucket = Math.round(Math.log2(spacing) * TILES_PER_OCTAVE);
    if (bucket !== shown) {
      // Without a 2D context (never in a browser) the stylesheet's gradient stays.
      const image = tile(bucket);
      if (image !== null) element.style.backgroundImage = image;
      shown = bucket;
    }
    element.style.backgroundSize = `${spacing}px ${spacing}px`;
    element.style.backgroundPosition = `${viewport.x}px ${viewport.y}px`;
  };
  apply(camera.viewport());
  const off = camera.onChange(apply);

  // Every tile a zoom can reach is drawn and decoded while idle, so a zoom never waits a frame for
  // a new tile to load (the grid would blink).
  const preloaded: HTMLImageElement[] = [];
  const first = Math.floor(Math.log2(MIN_SPACING_PX) * TILES_PER_OCTAVE);
  const last = Math.ceil(Math.log2(GRID * MAX_SCALE) * TILES_PER_OCTAVE);
  let preloadNext = first;
  const preload = (deadline?: IdleDeadline): void => {
    cancelIdle = null;
    while (preloadNext <= last && (deadline === undefined || deadline.timeRemaining() > 1)) {
      const image = tile(preloadNext++);
      if (image === null) return;
      const img = new Image();
      img.src = image.slice('url("'.length, -'")'.length);
      preloaded.push(img);
    }
    if (preloadNext <= last) cancelIdle = whenIdle(preload, { fallbackMs: 50 });
  };
  let cancelIdle: (() => void) | null = whenIdle(preload, { fallbackMs: 50 });

  const offRecolor =
    onRecolor?.(() => {
      const latest = readColor();
      if (latest === color) return;
      color = latest;
      // The old tiles have the old colour: drawn again as they are needed, and preloaded again.
      tiles.clear();
      preloaded.length = 0;
      shown = null;
      apply(camera.viewport());
      preloadNext = first;
      if (cancelIdle === null) cancelIdle = whenIdle(preload, { fallbackMs: 50 });
    }) ?? (() => {});

  return {
    close() {
      off();
      offRecolor();
      cancelIdle?.();
      preloaded.length = 0;
      element.style.backgroundImage = '';
      element.style.backgroundSize = '';
      element.style.backgroundPosition = '';
    },
  };
}
