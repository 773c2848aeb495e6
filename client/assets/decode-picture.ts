import { AssetError } from './asset-error.ts';

/**
 * Decodes an image file into something a canvas draws: an ImageBitmap where the browser has
 * createImageBitmap, else an <img> loaded from a blob URL. Rejects with AssetError
 * (decode_failed) for bytes the browser cannot draw.
 */
export async function decodePicture(blob: Blob): Promise<CanvasImageSource> {
  try {
    if (typeof createImageBitmap === 'function') return await createImageBitmap(blob);
    return await loadImageElement(blob);
  } catch (error) {
    throw new AssetError('decode_failed', `The browser could not read this image (${(error as Error).message ?? String(error)}).`);
  }
}

/** An <img> showing `blob`, once it has loaded; its blob URL is revoked either way. */
export function loadImageElement(blob: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(blob);
  return new Promise<HTMLImageElement>((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the image did not load'));
    image.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}
