import { MAX_IMAGE_SIDE, type AssetType } from '../../shared/assets.ts';

/**
 * The arithmetic of preparing and placing images, pure so it is tested without a browser: how
 * large a file is drawn before upload, what it is encoded as, and how large it lands on the board.
 */

/** The size a `width` × `height` picture is kept at: scaled down to `max` on its longer side, aspect kept, never up. */
export function scaledSize(width: number, height: number, max: number = MAX_IMAGE_SIDE): { width: number; height: number; scaled: boolean } {
  const longer = Math.max(width, height);
  if (longer <= max) return { width, height, scaled: false };
  const factor = max / longer;
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)), scaled: true };
}

/** What a redrawn picture is encoded as: JPEG and WebP stay so (photos), anything else becomes PNG (lossless). */
export function redrawnType(source: AssetType | 'image/svg+xml'): AssetType {
  return source === 'image/jpeg' || source === 'image/webp' ? source : 'image/png';
}

/** The longest side an image lands with on the board, in board units: a large photo starts at a size to work with. */
export const PLACED_MAX_SIDE = 640;

/** Space between images inserted together, side by side, in board units. */
export const PLACED_GAP = 24;

/**
 * Where images of the given natural sizes land, centred on `at` as one row: each no larger than
 * PLACED_MAX_SIDE on its longer side, aspect kept. Boxes in board units, rounded.
 */
export function placeImages(sizes: readonly { width: number; height: number }[], at: { x: number; y: number }): { x: number; y: number; width: number; height: number }[] {
  const boxes = sizes.map(({ width, height }) => {
    const factor = Math.min(1, PLACED_MAX_SIDE / Math.max(width, height, 1));
    return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
  });
  const total = boxes.reduce((sum, box) => sum + box.width, 0) + PLACED_GAP * Math.max(0, boxes.length - 1);
  let x = at.x - total / 2;
  return boxes.map((box) => {
    const placed = { x: Math.round(x), y: Math.round(at.y - box.height / 2), ...box };
    x += box.width + PLACED_GAP;
    return placed;
  });
}
