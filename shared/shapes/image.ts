import { isAssetId } from '../assets.ts';
import type { ShapeBase, ShapeDef } from './base.ts';
import { readSize } from './fields.ts';

/**
 * An image: a box of `width` × `height` from the origin showing the file `assetId` (the SHA-256
 * of its bytes; shared/assets.ts), stretched to the box. The file itself is never in the document.
 * `naturalWidth` × `naturalHeight` are the file's pixels, so a resize can keep the aspect and
 * a placeholder has the right shape before the file arrives.
 */
export interface ImageShape extends ShapeBase {
  type: 'image';
  width: number;
  height: number;
  assetId: string;
  naturalWidth: number;
  naturalHeight: number;
}

export const imageDef: ShapeDef<ImageShape> = {
  type: 'image',
  read(record) {
    if (!isAssetId(record.assetId)) return 'assetId is not a SHA-256 in lowercase hex';
    const width = readSize(record, 'width');
    if (typeof width === 'string') return width;
    const height = readSize(record, 'height');
    if (typeof height === 'string') return height;
    // The file's own size only guides resizing: a missing or broken one falls back to the box's.
    const natural = (key: string, fallback: number): number => {
      const value = readSize(record, key);
      return typeof value === 'number' && value > 0 ? value : Math.max(1, fallback);
    };
    return { assetId: record.assetId, width, height, naturalWidth: natural('naturalWidth', width), naturalHeight: natural('naturalHeight', height) };
  },
  assetIds: (shape) => [shape.assetId],
  example: { assetId: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', width: 240, height: 160, naturalWidth: 480, naturalHeight: 320 },
};
