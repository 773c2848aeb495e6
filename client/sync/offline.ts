import * as Y from 'yjs';
import * as idb from 'lib0/indexeddb';
import { PREFERRED_TRIM_SIZE } from 'y-indexeddb';
import { OFFLINE_ORIGIN } from '../../shared/origins.ts';

/**
 * The browser's copy of a board in IndexedDB, so a board opens and takes edits with no server.
 *
 * The database has y-indexeddb's layout (an auto-keyed "updates" store plus "custom"), so either
 * can read what the other wrote, but loading is done here: y-indexeddb applies stored updates with
 * itself as the transaction origin, and Easel marks everything from the offline copy with
 * OFFLINE_ORIGIN (the board and undo must not take it for the user's own edits).
 */
export interface OfflineCopy {
  /** Resolves once the stored copy has been applied to the doc (or could not be read). */
  readonly loaded: Promise<OfflineLoad>;
  close(): void;
}

export interface OfflineLoad {
  /** True if this browser had kept anything of the board before this visit. */
  hadCopy: boolean;
  /** False when IndexedDB could not be used (private browsing, quota): nothing is kept. */
  available: boolean;
}

/** The IndexedDB database of a room: one per board, so boards never mix. */
export function offlineDbName(room: string): string {
  return `easel-board-${room}`;
}

const UPDATES = 'updates';

export function createOfflineCopy(options: { doc: Y.Doc; room: string }): OfflineCopy {
  const { doc } = options;
  let db: IDBDatabase | null = null;
  let closed = false;
  // Updates made before the database opened: written as soon as it is.
  let queued: Uint8Array[] = [];
  let storedSinceCompaction = 0;
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
    if (db === null) queued.push(update);
    else write([update]);
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

  const loaded = (async (): Promise<OfflineLoad> => {
    try {
      const opened = await idb.openDB(offlineDbName(options.room), (created) =>
        idb.createStores(created, [[UPDATES, { autoIncrement: true }], ['custom']]),
      );
      if (closed) {
        opened.close();
        return { hadCopy: false, available: false };
      }
      const [store] = idb.transact(opened, [UPDATES], 'readonly');
      const updates = (await idb.getAll(store!)) as Uint8Array[];
      // One remote (not local) transaction for all, which each nested applyUpdate joins, so the
      // board sees one change; merging them first would decode and encode the whole board once
      // more before applying it.
      if (updates.length > 0) Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)), OFFLINE_ORIGIN, false);
      db = opened;
      const early = queued;
      queued = [];
      storedSinceCompaction = updates.length;
      write(early);
      if (storedSinceCompaction >= PREFERRED_TRIM_SIZE) compact();
      return { hadCopy: updates.length > 0, available: true };
    } catch (error) {
      console.warn('easel: this browser cannot keep an offline copy of the board', error);
      queued = [];
      return { hadCopy: false, available: false };
    }
  })();

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
