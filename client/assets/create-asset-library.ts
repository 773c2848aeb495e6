import { authHeaders } from '../sync/access-token.ts';
import { assetApiPath, assetIdOf, DEFAULT_MAX_ASSET_BYTES, isAssetId, sniffAssetType } from '../../shared/assets.ts';
import { createEmitter } from '../model/emitter.ts';
import { createBackoff } from '../sync/backoff.ts';
import { AssetError } from './asset-error.ts';
import type { AddedAsset, AssetLibrary } from './asset-library.ts';
import { createMemoryAssetStore, openAssetStore, type AssetStore, type StoredFile } from './asset-store.ts';
import { decodePicture } from './decode-picture.ts';
import type { OnlineSignal } from './online-signal.ts';
import { createUploadQueue, type UploadRefusal } from './upload-queue.ts';

export interface AssetLibraryOptions {
  room: string;
  /** The link's access token, sent as a bearer token (null for none). */
  token: string | null;
  fetch: typeof fetch;
  /** Whether the server can be reached: uploads wait for it, and fetches retry at once when it comes back. */
  online: OnlineSignal;
  /** Whether some shape of the board shows the asset: a missing file is fetched again only while one does. */
  inUse(assetId: string): boolean;
  /** Defaults to the origin's IndexedDB store (client/assets/asset-store.ts), or memory where there is none. */
  store?: Promise<AssetStore>;
  decode?: (blob: Blob) => Promise<CanvasImageSource>;
  random?: () => number;
  /** How fast a missing file is asked for again; FETCH_BACKOFF by default (tests make it fast). */
  fetchBackoff?: { baseMs: number; maxMs: number };
}

/** The page's library: the AssetLibrary, and the uploads the server refused for good. */
export interface BoardAssetLibrary extends AssetLibrary {
  onRefused(listener: (refusal: UploadRefusal) => void): () => void;
}

/** Fetch retries for a file a shape shows and the server does not have yet: up to half a minute apart. */
export const FETCH_BACKOFF = { baseMs: 500, maxMs: 30_000 } as const;

type Fetched = { kind: 'file'; file: StoredFile } | { kind: 'retry' } | { kind: 'denied'; status: number };

interface Load {
  /** Ends the wait before the next try (the connection came back, or the library closes). */
  wake: (() => void) | null;
}

/**
 * The AssetLibrary of one board page (client/assets/asset-library.ts says what it promises).
 * Pictures are decoded once and kept in memory; files come from the origin's IndexedDB store,
 * then the server, and every file fetched or added is kept in the store, so it opens
 * offline later. A file no source has is fetched again with backoff for as long as a shape shows
 * it, and at once when the connection comes back. Uploads are the upload queue's
 * (client/assets/upload-queue.ts).
 */
export function createAssetLibrary(options: AssetLibraryOptions): BoardAssetLibrary {
  const { room } = options;
  const decode = options.decode ?? decodePicture;
  const store: Promise<AssetStore> =
    options.store ??
    openAssetStore().catch((error: unknown) => {
      console.warn('easel: this browser cannot keep image files (IndexedDB); they are kept in memory for this visit only', error);
      return createMemoryAssetStore();
    });
  /**
   * Files the store could not take (quota, a failing disk): kept in memory for this visit so they
   * still upload and export. Others are read from the store when needed, not held twice.
   */
  const unstored = new Map<string, StoredFile>();
  const pictures = new Map<string, CanvasImageSource>();
  const loads = new Map<string, Load>();
  /** Files that cannot be shown (undecodable, or not what their id says): not tried again this visit. */
  const broken = new Map<string, AssetError>();
  const waiters = new Map<string, Set<{ resolve: (picture: CanvasImageSource) => void; reject: (error: Error) => void }>>();
  const arrivals = createEmitter<string>();
  const refusals = createEmitter<UploadRefusal>();
  const aborts = new AbortController();
  let closed = false;


  /** The file from the store (or memory, where the store would not take it), or null. */
  const kept = async (id: string): Promise<StoredFile | null> => {
    const inMemory = unstored.get(id);
    if (inMemory !== undefined) return inMemory;
    try {
      return await (await store).getFile(id);
    } catch (error) {
      console.error(`easel: could not read asset ${id} from this browser's copy`, error);
      return null;
    }
  };

  const keep = async (id: string, file: StoredFile): Promise<void> => {
    try {
      await (await store).putFile(id, file);
    } catch (error) {
      // Memory has it for this visit; only reopening offline loses it.
      unstored.set(id, file);
      console.error(`easel: could not keep asset ${id} in this browser`, error);
    }
  };

  /** One GET: the file (checked against its id), or what to do next. */
  const download = async (id: string): Promise<Fetched> => {
    let response: Response;
    try {
      response = await options.fetch(assetApiPath(room, id), { headers: authHeaders(options.token), signal: aborts.signal });
    } catch {
      return { kind: 'retry' };
    }
    if (response.status === 401 || response.status === 403) return { kind: 'denied', status: response.status };
    // 404: not uploaded yet (its uploader may be offline); 5xx, 429: later.
    if (!response.ok) return { kind: 'retry' };
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch {
      // The connection broke while the body came: like a failed request, worth another try.
      return { kind: 'retry' };
    }
    const type = sniffAssetType(bytes);
    // The server is another program: what it sends must be an image and hash to its id.
    if (type === null || (await assetIdOf(bytes)) !== id) {
      const failure = new AssetError('unavailable', `The server sent something other than image ${id}.`);
      console.error(`easel: asset ${id} of ${room} is not what the server sent (${bytes.length} bytes, ${type ?? 'no image type'})`);
      broken.set(id, failure);
      return { kind: 'denied', status: response.status };
    }
    return { kind: 'file', file: { type, bytes } };
  };

  const show = async (id: string, file: StoredFile): Promise<void> => {
    let picture: CanvasImageSource;
    try {
      picture = await decode(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }));
    } catch (error) {
      const failure = error instanceof AssetError ? error : new AssetError('decode_failed', String(error));
      console.error(`easel: cannot show asset ${id}`, failure);
      broken.set(id, failure);
      for (const waiter of waiters.get(id) ?? []) waiter.reject(failure);
      waiters.delete(id);
      return;
    }
    if (closed) return;
    pictures.set(id, picture);
    for (const waiter of waiters.get(id) ?? []) waiter.resolve(picture);
    waiters.delete(id);
    arrivals.emit(id);
  };

  const wanted = (id: string): boolean => !closed && (waiters.has(id) || options.inUse(id));

  const load = async (id: string, state: Load): Promise<void> => {
    try {
      let file = await kept(id);
      const backoff = createBackoff({ ...(options.fetchBackoff ?? FETCH_BACKOFF), random: options.random ?? Math.random });
      while (file === null && !closed) {
        const fetched = await download(id);
        if (fetched.kind === 'file') {
          file = fetched.file;
          await keep(id, file);
          break;
        }
        if (fetched.kind === 'denied') {
          // Asking again would get the same answer: not tried again this visit.
          if (!broken.has(id)) {
            console.error(`easel: the server will not send asset ${id} of ${room} (HTTP ${fetched.status})`);
            broken.set(id, new AssetError('unavailable', `The server will not send image ${id} (HTTP ${fetched.status}).`));
          }
          for (const waiter of waiters.get(id) ?? []) waiter.reject(broken.get(id)!);
          waiters.delete(id);
          return;
        }
        if (!wanted(id)) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, backoff.next());
          function done(): void {
            clearTimeout(timer);
            state.wake = null;
            resolve();
          }
          state.wake = done;
        });
        if (!wanted(id)) return;
      }
      if (file !== null && !closed) await show(id, file);
    } finally {
      loads.delete(id);
    }
  };

  const startLoad = (id: string): void => {
    if (closed || loads.has(id) || pictures.has(id) || broken.has(id) || !isAssetId(id)) return;
    const state: Load = { wake: null };
    loads.set(id, state);
    void load(id, state).catch((error: unknown) => console.error(`easel: loading asset ${id} failed`, error));
  };

  const queue = createUploadQueue({
    room,
    token: options.token,
    fetch: options.fetch,
    store,
    online: options.online,
    file: kept,
    onRefused: (refusal) => refusals.emit(refusal),
    random: options.random,
  });

  // Back online: files waiting for a retry are asked for at once.
  const offOnline = options.online.onChange(() => {
    if (!options.online.connected()) return;
    for (const state of loads.values()) state.wake?.();
  });

  return {
    image(assetId) {
      const picture = pictures.get(assetId);
      if (picture !== undefined) return picture;
      startLoad(assetId);
      return null;
    },
    onPicture: (listener) => arrivals.on(listener),
    onRefused: (listener) => refusals.on(listener),
    picture(assetId, signal) {
      const picture = pictures.get(assetId);
      if (picture !== undefined) return Promise.resolve(picture);
      const failure = broken.get(assetId);
      if (failure !== undefined) return Promise.reject(failure);
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      return new Promise<CanvasImageSource>((resolve, reject) => {
        const waiter = {
          resolve: (value: CanvasImageSource) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(value);
          },
          reject: (error: Error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        function onAbort(): void {
          waiters.get(assetId)?.delete(waiter);
          if (waiters.get(assetId)?.size === 0) waiters.delete(assetId);
          reject(signal!.reason as Error);
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        let set = waiters.get(assetId);
        if (set === undefined) waiters.set(assetId, (set = new Set()));
        set.add(waiter);
        startLoad(assetId);
      });
    },
    async file(assetId) {
      if (!isAssetId(assetId)) return null;
      let file = await kept(assetId);
      if (file === null && !closed) {
        const fetched = await download(assetId);
        if (fetched.kind === 'file') {
          file = fetched.file;
          await keep(assetId, file);
        }
      }
      return file === null ? null : new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type });
    },
    async add(bytes) {
      const type = sniffAssetType(bytes);
      if (type === null) throw new AssetError('unsupported_type', 'This file is not an image Easel can show: use PNG, JPEG, GIF, WebP or SVG.');
      if (bytes.length > DEFAULT_MAX_ASSET_BYTES) {
        throw new AssetError('asset_too_large', `This image is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; the largest a board takes is ${DEFAULT_MAX_ASSET_BYTES / 1024 / 1024} MiB.`);
      }
      const id = await assetIdOf(bytes);
      const file: StoredFile = { type, bytes };
      if (!pictures.has(id)) {
        // Decoded before anything is kept or queued: a file the browser cannot draw changes nothing.
        const picture = await decode(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
        pictures.set(id, picture);
        broken.delete(id);
      }
      await keep(id, file);
      try {
        await (await store).queueUpload(room, id);
      } catch (error) {
        console.error(`easel: could not keep the upload of asset ${id} for after a reload`, error);
      }
      queue.add(id);
      const added: AddedAsset = { id, type };
      arrivals.emit(id);
      return added;
    },
    close() {
      closed = true;
      aborts.abort();
      offOnline();
      queue.close();
      for (const state of loads.values()) state.wake?.();
      loads.clear();
      const failure = new AssetError('unavailable', 'The board was closed before the image arrived.');
      for (const set of waiters.values()) for (const waiter of set) waiter.reject(failure);
      waiters.clear();
      unstored.clear();
      arrivals.clear();
      refusals.clear();
      void store.then((opened) => opened.close()).catch(() => undefined);
    },
  };
}
