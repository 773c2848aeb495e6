/**
 * The files image shapes show, as one board page sees them (shared/assets.ts has the wire
 * contract). One library per page, for its room; it is the page's only way to files:
 *
 * - the canvas asks `image()` while drawing (it is the ViewContext of every drawing surface) and
 *   redraws what `onPicture` names once a picture arrives;
 * - exports and copies ask `file()` for the bytes;
 * - the image tool, paste, drop, a JSON import and a paste from another board call `add()`.
 *
 * Where a file comes from, in order: memory, the browser's copy (IndexedDB, kept for every board
 * of this origin, so a file seen once opens offline and a copy between boards needs no download),
 * then the server (GET, retried with backoff for as long as a shape shows the file; it never
 * gives up while the shape exists). A file added here is kept in the browser first, so it shows
 * at once and survives a reload offline, then uploaded to this room (PUT) as soon as the server
 * can be reached, after a reload too.
 */
import type { AssetType } from '../../shared/assets.ts';
import type { ViewContext } from '../canvas/views/view.ts';

/** A file the library holds: its id (SHA-256) and the type sniffed from its bytes. */
export interface AddedAsset {
  id: string;
  type: AssetType;
}

export interface AssetLibrary extends ViewContext {
  /**
   * The decoded picture of an asset if it is here now; otherwise null, and loading starts (from
   * the browser's copy, else the server, retrying): `onPicture` names it once it is here.
   */
  image(assetId: string): CanvasImageSource | null;
  /** Calls `listener` with an asset's id each time its picture becomes available; returns the unsubscribe. */
  onPicture(listener: (assetId: string) => void): () => void;
  /** The decoded picture once it is here (for exports); rejects if `signal` aborts first. */
  picture(assetId: string, signal?: AbortSignal): Promise<CanvasImageSource>;
  /** The file's bytes (a Blob of its type) from memory, the browser's copy or the server; null if none of them has it now. */
  file(assetId: string): Promise<Blob | null>;
  /**
   * Adds a file to this board: refuses bytes that are not PNG, JPEG, GIF or WebP (AssetError),
   * hashes them, keeps them in the browser and queues the upload to this room. Resolves once the
   * file is kept (it shows at once); the upload goes on in the background and its failures are
   * reported to the person, not thrown here.
   */
  add(bytes: Uint8Array): Promise<AddedAsset>;
  close(): void;
}
