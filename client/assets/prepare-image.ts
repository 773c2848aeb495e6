import { DEFAULT_MAX_ASSET_BYTES, MAX_IMAGE_SIDE, sniffAssetType, type AssetType } from '../../shared/assets.ts';
import { AssetError } from './asset-error.ts';
import { loadImageElement } from './decode-picture.ts';
import { redrawnType, scaledSize } from './image-size.ts';

/** A file made ready to add: the bytes to keep and upload, and its size in pixels. */
export interface PreparedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** JPEG and WebP quality when a photo is redrawn smaller. */
const LOSSY_QUALITY = 0.92;
/** The size an SVG with no size of its own is drawn at. */
const SVG_DEFAULT_SIDE = 512;

const MIB = 1024 * 1024;

/** Whether a file that is none of the four types is an SVG (its declared type, its name, or its text). */
async function isSvg(file: Blob & { name?: string }, bytes: Uint8Array): Promise<boolean> {
  if (file.type === 'image/svg+xml' || /\.svg$/i.test(file.name ?? '')) return true;
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head);
}

/** Draws `source` at `width` × `height` and encodes it as `type`. */
async function redraw(source: CanvasImageSource, width: number, height: number, type: AssetType): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new AssetError('decode_failed', 'The browser could not draw this image (no canvas).');
  context.drawImage(source, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, LOSSY_QUALITY));
  // A browser that cannot encode WebP hands back PNG; sniffing the result tells the truth either way.
  if (blob === null) throw new AssetError('decode_failed', 'The browser could not encode this image.');
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Makes a file ready for the asset library: PNG, JPEG, GIF and WebP as they are; an SVG drawn
 * into a PNG (never kept as SVG: it could carry scripts, and the server takes only pixels);
 * anything larger than MAX_IMAGE_SIDE on a side scaled down (PNG for PNG, GIF and SVG; JPEG and
 * WebP stay so). Throws AssetError for a file that is no image, cannot be decoded, or is still
 * over the largest file once prepared.
 */
export async function prepareImage(file: Blob & { name?: string }): Promise<PreparedImage> {
  const name = file.name ?? 'the file';
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffAssetType(bytes);
  let prepared: PreparedImage;
  if (type === null) {
    if (!(await isSvg(file, bytes))) throw new AssetError('unsupported_type', `${name} is not an image Easel can show: use PNG, JPEG, GIF, WebP or SVG.`);
    let image: HTMLImageElement;
    try {
      image = await loadImageElement(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/svg+xml' }));
    } catch {
      throw new AssetError('decode_failed', `The browser could not draw the SVG ${name}.`);
    }
    const width = image.naturalWidth || SVG_DEFAULT_SIDE;
    const height = image.naturalHeight || SVG_DEFAULT_SIDE;
    const size = scaledSize(width, height);
    prepared = { bytes: await redraw(image, size.width, size.height, 'image/png'), width: size.width, height: size.height };
  } else {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
    } catch {
      throw new AssetError('decode_failed', `The browser could not read ${name}: the image is damaged or in a form it does not know.`);
    }
    try {
      const size = scaledSize(bitmap.width, bitmap.height, MAX_IMAGE_SIDE);
      prepared = size.scaled ? { bytes: await redraw(bitmap, size.width, size.height, redrawnType(type)), width: size.width, height: size.height } : { bytes, width: bitmap.width, height: bitmap.height };
    } finally {
      bitmap.close();
    }
  }
  if (prepared.bytes.length > DEFAULT_MAX_ASSET_BYTES) {
    throw new AssetError('asset_too_large', `${name} is ${(prepared.bytes.length / MIB).toFixed(1)} MiB once prepared; the largest image a board takes is ${DEFAULT_MAX_ASSET_BYTES / MIB} MiB.`);
  }
  return prepared;
}
