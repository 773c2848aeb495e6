import * as idb from 'lib0/indexeddb';

/*
 * Reading a board's offline copy (offline.ts keeps it): apart, without Yjs, because the page's
 * first script (early-open.ts) reads it while the app's own script still loads.
 */

/** The IndexedDB database of a room: one per board, so boards never mix. */
export function offlineDbName(room: string): string {
  return `easel-board-${room}`;
}

/** The store of stored updates (y-indexeddb's name for it). */
export const OFFLINE_UPDATES_STORE = 'updates';

/**
 * What the offline copy held when the page opened: read before the page is built (initial-state.ts),
 * so the board is applied while nothing listens yet.
 */
export interface OfflineRead {
  /** The open database; null when IndexedDB could not be used (private browsing, quota): nothing is kept. */
  readonly db: IDBDatabase | null;
  /** The stored updates, oldest first. */
  readonly updates: readonly Uint8Array[];
}

/** Opens a room's offline copy and reads everything it holds; never rejects. */
export async function readOfflineCopy(room: string): Promise<OfflineRead> {
  try {
    const db = await idb.openDB(offlineDbName(room), (created) => idb.createStores(created, [[OFFLINE_UPDATES_STORE, { autoIncrement: true }], ['custom']]));
    const [store] = idb.transact(db, [OFFLINE_UPDATES_STORE], 'readonly');
    return { db, updates: (await idb.getAll(store!)) as Uint8Array[] };
  } catch (error) {
    console.warn('easel: this browser cannot keep an offline copy of the board', error);
    return { db: null, updates: [] };
  }
}

