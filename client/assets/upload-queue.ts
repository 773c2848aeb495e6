import { authHeaders } from '../sync/access-token.ts';
import { assetApiPath } from '../../shared/assets.ts';
import { createBackoff, type Backoff } from '../sync/backoff.ts';
import type { AssetStore, StoredFile } from './asset-store.ts';
import type { OnlineSignal } from './online-signal.ts';
import { uploadOutcome, type UploadOutcome } from './upload-outcome.ts';

/** A file the server refused for good: the page tells the person and takes back what showed it. */
export interface UploadRefusal {
  assetId: string;
  code: string;
  message: string;
}

export interface UploadQueueOptions {
  room: string;
  token: string | null;
  fetch: typeof fetch;
  store: Promise<AssetStore>;
  online: OnlineSignal;
  /** The bytes of a queued file (memory, then the store). */
  file(id: string): Promise<StoredFile | null>;
  onRefused(refusal: UploadRefusal): void;
  /** Called once a file is on the server. */
  onStored?(id: string): void;
  random?: () => number;
}

export interface UploadQueue {
  /** Queues a file already kept in the store; it goes as soon as the server can be reached. */
  add(id: string): void;
  /** The ids not uploaded yet, oldest first. */
  readonly pending: readonly string[];
  close(): void;
}

/** Upload retries: from a second up to half a minute apart. */
export const UPLOAD_BACKOFF = { baseMs: 1_000, maxMs: 30_000 } as const;

/**
 * Uploads the files added on this page (and those a reload left undone: the queue is in the
 * store, per room) one at a time, while the sync connection is up. A refusal (400, 401, 403, 413,
 * 415) drops the file and is reported; a 429 waits as long as Retry-After says; a network
 * failure or a server error waits with backoff; the connection coming back retries at once.
 */
export function createUploadQueue(options: UploadQueueOptions): UploadQueue {
  const pending: string[] = [];
  const backoff: Backoff = createBackoff({ ...UPLOAD_BACKOFF, random: options.random ?? Math.random });
  let closed = false;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const aborts = new AbortController();

  const kick = (): void => {
    if (closed || running || timer !== null || pending.length === 0 || !options.online.connected()) return;
    void run();
  };

  const drop = async (id: string): Promise<void> => {
    const at = pending.indexOf(id);
    if (at >= 0) pending.splice(at, 1);
    try {
      await (await options.store).dropUpload(options.room, id);
    } catch (error) {
      console.error(`easel: could not take asset ${id} out of the upload queue of ${options.room}`, error);
    }
  };

  const attempt = async (id: string): Promise<UploadOutcome | 'gone'> => {
    const file = await options.file(id);
    if (file === null) return 'gone';
    let response: Response;
    try {
      response = await options.fetch(assetApiPath(options.room, id), {
        method: 'PUT',
        headers: { 'content-type': file.type, ...authHeaders(options.token) },
        body: file.bytes as Uint8Array<ArrayBuffer>,
        signal: aborts.signal,
      });
    } catch (error) {
      if (closed) return { kind: 'retry', afterMs: null };
      console.warn(`easel: upload of asset ${id} to ${options.room} failed, will retry`, error);
      return { kind: 'retry', afterMs: null };
    }
    let code: string | null = null;
    if (!response.ok) {
      try {
        const body: unknown = await response.json();
        const value = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
        code = typeof value === 'string' ? value : null;
      } catch {
        // Not our JSON error body (a proxy's page): the status alone decides.
        code = null;
      }
    } else {
      // The server is another program: a 2xx that names another file is not this file stored.
      const body: unknown = await response.json().catch(() => null);
      const stored = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
      if (stored !== id) {
        console.error(`easel: the server answered the upload of asset ${id} with ${JSON.stringify(body)}; will retry`);
        return { kind: 'retry', afterMs: null };
      }
    }
    return uploadOutcome(response.status, code, response.headers.get('retry-after'), Date.now());
  };

  async function run(): Promise<void> {
    running = true;
    try {
      while (!closed && options.online.connected() && pending.length > 0) {
        const id = pending[0]!;
        const outcome = await attempt(id);
        if (closed) return;
        if (outcome === 'gone') {
          console.warn(`easel: asset ${id} is queued for ${options.room} but no longer kept in this browser; it cannot be uploaded`);
          await drop(id);
        } else if (outcome.kind === 'stored') {
          backoff.reset();
          await drop(id);
          options.onStored?.(id);
        } else if (outcome.kind === 'refused') {
          console.error(`easel: the server refused asset ${id} for ${options.room}: ${outcome.code}`);
          await drop(id);
          options.onRefused({ assetId: id, code: outcome.code, message: outcome.message });
        } else {
          const delay = outcome.afterMs ?? backoff.next();
          timer = setTimeout(() => {
            timer = null;
            kick();
          }, delay);
          return;
        }
      }
    } finally {
      running = false;
    }
  }

  // The connection coming back is the best moment to try again: no need to wait out the backoff.
  const offOnline = options.online.onChange(() => {
    if (!options.online.connected()) return;
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    kick();
  });

  void options.store
    .then((store) => store.uploads(options.room))
    .then((ids) => {
      for (const id of ids) if (!pending.includes(id)) pending.push(id);
      kick();
    })
    .catch((error: unknown) => console.error(`easel: could not read the upload queue of ${options.room}`, error));

  return {
    add(id) {
      if (!pending.includes(id)) pending.push(id);
      kick();
    },
    get pending() {
      return pending;
    },
    close() {
      closed = true;
      aborts.abort();
      offOnline();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
