import type { Bounds, Point } from '../model/plane.ts';

/** How the minimap draws the board: board point p is at minimap pixel p * scale + (x, y). */
export interface MinimapTransform {
  x: number;
  y: number;
  scale: number;
}

/** The colour the minimap fills every shape's bounds with: one flat colour, whatever the shape. */
export const MINIMAP_SHAPE_FILL = '#b9bfcc';

/** Empty space kept around the drawn extent, in minimap pixels, so edges stay visible. */
export const MINIMAP_PADDING_PX = 6;

/** The smallest box holding every given box (nulls skipped); null if there are none. */
export function extentOf(boxes: ReadonlyArray<Bounds | null>): Bounds | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const box of boxes) {
    if (box === null) continue;
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** The transform that fits `extent` into a minimap of `size`, centred, aspect kept. */
export function fitMinimap(extent: Bounds, size: { width: number; height: number }, padding = MINIMAP_PADDING_PX): MinimapTransform {
  // A single point or a line still gets a finite scale: treat it as one board unit wide.
  const width = Math.max(extent.width, 1);
  const height = Math.max(extent.height, 1);
  const scale = Math.max(Math.min((size.width - 2 * padding) / width, (size.height - 2 * padding) / height), Number.MIN_VALUE);
  return {
    scale,
    x: size.width / 2 - (extent.x + extent.width / 2) * scale,
    y: size.height / 2 - (extent.y + extent.height / 2) * scale,
  };
}

/** A board box in minimap pixels. */
export function boardToMinimap(transform: MinimapTransform, box: Bounds): Bounds {
  return { x: box.x * transform.scale + transform.x, y: box.y * transform.scale + transform.y, width: box.width * transform.scale, height: box.height * transform.scale };
}

/** The board point under a minimap pixel. */
export function minimapToBoard(transform: MinimapTransform, pixel: Point): Point {
  return { x: (pixel.x - transform.x) / transform.scale, y: (pixel.y - transform.y) / transform.scale };
}

/** The part of the board a camera shows on a screen: the same box camera.visibleBounds gives. */
export function viewportBounds(viewport: { x: number; y: number; scale: number; width: number; height: number }): Bounds {
  return { x: -viewport.x / viewport.scale, y: -viewport.y / viewport.scale, width: viewport.width / viewport.scale, height: viewport.height / viewport.scale };
}

/** The camera that centres board point `centre` on a screen of `screen`, at the same zoom. */
export function centredOn(centre: Point, scale: number, screen: { width: number; height: number }): { x: number; y: number; scale: number } {
  return { scale, x: screen.width / 2 - centre.x * scale, y: screen.height / 2 - centre.y * scale };
}

/**
 * Where to draw an image of the minimap made at fit `drawnAt` so that it matches fit `now`: the
 * destination box, in minimap pixels, for the whole image of `size`.
 */
export function refit(drawnAt: MinimapTransform, now: MinimapTransform, size: { width: number; height: number }): Bounds {
  const k = now.scale / drawnAt.scale;
  return { x: now.x - drawnAt.x * k, y: now.y - drawnAt.y * k, width: size.width * k, height: size.height * k };
}
