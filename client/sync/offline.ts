import * as Y from 'yjs';
import * as idb from 'lib0/indexeddb';
import { OFFLINE_UPDATES_STORE as UPDATES, type OfflineRead } from './offline-read.ts';
import { PREFERRED_TRIM_SIZE } from 'y-indexeddb';
import { OFFLINE_ORIGIN } from '../../shared/origins.ts';

/**
 * The browser's copy of a board in IndexedDB, so a board opens and takes edits with no server.
 *
 * The database has y-indexeddb's layout (an auto-keyed "updates" store plus "custom"), so either
 * can read what the other wrote, but loading is done here: y-indexeddb applies stored updates with
 * itself as the transaction origin, and Easel marks everything from the offline copy with
 * OFFLINE_ORIGIN (the board and undo must not take it for the user's own edits).
 *
 * Reading and keeping are split: readOfflineCopy runs before the page is built and its updates are
 * applied while nothing listens to the doc (initial-state.ts); createOfflineCopy then keeps every
 * later change.
 */
export interface OfflineCopy {
  /** What the copy held when the page opened (settled: the copy was read before the page was built). */
  readonly loaded: Promise<OfflineLoad>;
  close(): void;
}

export interface OfflineLoad {
  /** True if this browser had kept anything of the board before this visit. */
  hadCopy: boolean;
  /** False when IndexedDB could not be used (private browsing, quota): nothing is kept. */
  available: boolean;
}

export interface OfflineCopyOptions {
  doc: Y.Doc;
  /** What readOfflineCopy gave; its updates are already applied to the doc. */
  read: OfflineRead;
  /**
   * The server's board, applied to the doc before this attached (so no update event carried it):
   * kept as it is, so the next visit opens from here.
   */
  fetched?: Uint8Array | null;
}

export function createOfflineCopy(options: OfflineCopyOptions): OfflineCopy {
  const { doc, read } = options;
  let db: IDBDatabase | null = read.db;
  let closed = false;
  let storedSinceCompaction = read.updates.length;
  let compacting = false;

  const write = (updates: Uint8Array[]): void => {
    if (db === null || updates.length === 0) return;
    const [store] = idb.transact(db, [UPDATES]);
    for (const update of updates) void idb.addAutoKey(store!, update as unknown as ArrayBuffer); // lib0 types it narrower than IndexedDB is
    storedSinceCompaction += updates.length;
    if (storedSinceCompaction >= PREFERRED_TRIM_SIZE) compact();
  };

  // Everything but what came from the offline copy itself or another tab (which stored it in
  // this same database) is kept.
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === OFFLINE_ORIGIN || closed) return;
    write([update]);
  };
  doc.on('update', onUpdate);

  /**
   * Replaces the stored updates with one merged update, in one IndexedDB transaction so that what
   * another tab writes meanwhile is either merged in or kept after.
   */
  const compact = (): void => {
    if (db === null || compacting) return;
    compacting = true;
    storedSinceCompaction = 0;
    const [store] = idb.transact(db, [UPDATES]);
    void idb
      .getAllKeysValues(store!)
      .then(async (entries) => {
        if (entries.length < 2) return;
        const merged = Y.mergeUpdates([...entries.map((entry) => entry.v as Uint8Array), Y.encodeStateAsUpdate(doc)]);
        const lastKey = entries[entries.length - 1]!.k;
        await idb.addAutoKey(store!, merged as unknown as ArrayBuffer);
        await idb.del(store!, idb.createIDBKeyRangeUpperBound(lastKey, false));
      })
      .catch((error: unknown) => console.warn('easel: could not compact the offline copy', error))
      .finally(() => {
        compacting = false;
      });
  };

  if (options.fetched) write([options.fetched]);
  else if (storedSinceCompaction >= PREFERRED_TRIM_SIZE) compact();
  const loaded = Promise.resolve({ hadCopy: read.updates.length > 0, available: read.db !== null });

  return {
    loaded,
    close() {
      closed = true;
      doc.off('update', onUpdate);
      // Queued IndexedDB writes still complete: close() waits for running transactions.
      db?.close();
      db = null;
    },
  };
}
