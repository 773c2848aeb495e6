import { createStore, del, entries, get, set } from 'idb-keyval';
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

/** The databases' names: one each per origin, never per board (idb-keyval keeps one store per database). */
export const ASSET_FILES_DB = 'easel-asset-files';
export const ASSET_UPLOADS_DB = 'easel-asset-uploads';

/** What a stored upload entry holds, keyed by [room, id]; `at` orders the queue. */
interface UploadEntry {
  room: string;
  id: string;
  at: number;
}

function readUploadEntry(value: unknown): UploadEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const { room, id, at } = value as Record<string, unknown>;
  return typeof room === 'string' && isAssetId(id) && typeof at === 'number' ? { room, id, at } : null;
}

/** Opens the store; rejects where IndexedDB cannot be used (then files live in memory only). */
export async function openAssetStore(): Promise<AssetStore> {
  const files = createStore(ASSET_FILES_DB, 'files');
  const uploads = createStore(ASSET_UPLOADS_DB, 'uploads');
  // idb-keyval opens lazily: one read now finds out whether this browser lets the page keep anything.
  await get('', files);
  return {
    async getFile(id) {
      const value: unknown = await get(id, files);
      // What another version of Easel (or a broken write) left there is not trusted.
      if (typeof value !== 'object' || value === null) return null;
      const { type, bytes } = value as { type?: unknown; bytes?: unknown };
      if (!isAssetType(type) || !(bytes instanceof Uint8Array)) return null;
      return { type, bytes };
    },
    putFile: (id, file) => set(id, { type: file.type, bytes: file.bytes }, files),
    async uploads(room) {
      // The queue is short (files not uploaded yet, of every board): read whole, kept for this room.
      const all = await entries<IDBValidKey, unknown>(uploads);
      return all
        .map(([, value]) => readUploadEntry(value))
        .filter((entry): entry is UploadEntry => entry !== null && entry.room === room)
        .sort((a, b) => a.at - b.at)
        .map((entry) => entry.id);
    },
    queueUpload: (room, id) => set([room, id], { room, id, at: Date.now() } satisfies UploadEntry, uploads),
    dropUpload: (room, id) => del([room, id], uploads),
    // idb-keyval keeps its connections for the page's life; there is nothing of ours to close.
    close: () => {},
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
