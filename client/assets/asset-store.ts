import * as idb from 'lib0/indexeddb';
import { isAssetId, isAssetType, type AssetType } from '../../shared/assets.ts';

/**
 * The browser's copy of asset files, in IndexedDB: one database for the whole origin, so a file
 * seen on one board opens on another (and offline) without a download, and the queue of files
 * waiting to be uploaded, per room, so an upload left undone is taken up again after a reload.
 */
export interface AssetStore {
  /** The file kept under `id`, or null. */
  getFile(id: string): Promise<StoredFile | null>;
  putFile(id: string, file: StoredFile): Promise<void>;
  /** The asset ids waiting to be uploaded to `room`, oldest first. */
  uploads(room: string): Promise<string[]>;
  queueUpload(room: string, id: string): Promise<void>;
  dropUpload(room: string, id: string): Promise<void>;
  close(): void;
}

export interface StoredFile {
  type: AssetType;
  bytes: Uint8Array;
}

/** The database's name; one per origin, never per board. */
export const ASSET_DB_NAME = 'easel-assets';
const FILES = 'files';
const UPLOADS = 'uploads';

/** What a stored upload entry holds: keyed by [room, id]; `at` orders the queue. */
interface UploadEntry {
  room: string;
  id: string;
  at: number;
}

/** Opens the store; rejects where IndexedDB cannot be used (then files live in memory only). */
export async function openAssetStore(): Promise<AssetStore> {
  const db = await idb.openDB(ASSET_DB_NAME, (created) => idb.createStores(created, [[FILES], [UPLOADS]]));
  const store = (name: string, access: 'readonly' | 'readwrite' = 'readwrite'): IDBObjectStore => idb.transact(db, [name], access)[0]!;
  return {
    async getFile(id) {
      const value: unknown = await idb.get(store(FILES, 'readonly'), id);
      // What another version of Easel (or a broken write) left there is not trusted.
      if (typeof value !== 'object' || value === null) return null;
      const { type, bytes } = value as { type?: unknown; bytes?: unknown };
      if (!isAssetType(type) || !(bytes instanceof Uint8Array)) return null;
      return { type, bytes };
    },
    async putFile(id, file) {
      await idb.put(store(FILES), { type: file.type, bytes: file.bytes } as unknown as string, id);
    },
    async uploads(room) {
      const range = idb.createIDBKeyRangeBound([room, ''], [room, '\uffff'], false, false);
      const entries = (await idb.getAll(store(UPLOADS, 'readonly'), range)) as unknown[];
      return entries
        .filter((entry): entry is UploadEntry => typeof entry === 'object' && entry !== null && isAssetId((entry as UploadEntry).id) && typeof (entry as UploadEntry).at === 'number')
        .sort((a, b) => a.at - b.at)
        .map((entry) => entry.id);
    },
    async queueUpload(room, id) {
      const entry: UploadEntry = { room, id, at: Date.now() };
      await idb.put(store(UPLOADS), entry as unknown as string, [room, id] as unknown as string);
    },
    async dropUpload(room, id) {
      await idb.del(store(UPLOADS), [room, id] as unknown as string);
    },
    close: () => db.close(),
  };
}

/** A store in memory, for browsers without IndexedDB and for tests: nothing survives a reload. */
export function createMemoryAssetStore(): AssetStore {
  const files = new Map<string, StoredFile>();
  const queued = new Map<string, UploadEntry>();
  let clock = 0;
  const key = (room: string, id: string): string => `${room}\n${id}`;
  return {
    getFile: async (id) => files.get(id) ?? null,
    putFile: async (id, file) => void files.set(id, file),
    uploads: async (room) => [...queued.values()].filter((entry) => entry.room === room).sort((a, b) => a.at - b.at).map((entry) => entry.id),
    queueUpload: async (room, id) => void queued.set(key(room, id), { room, id, at: clock++ }),
    dropUpload: async (room, id) => void queued.delete(key(room, id)),
    close: () => {
      files.clear();
      queued.clear();
    },
  };
}
