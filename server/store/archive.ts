/**
 * What a store keeps beside each room's log: whole-state versions, the board index and assets.
 * Each store (LevelDB, Redis) implements it on the same database handle as its log, so one
 * factory opens one store; the store contract suite runs every method against each of them.
 *
 * Versions are immutable once written. The board index is the server's own record of a board
 * (title, sizes, when it changed, whether it is deleted); the document stays the truth for the
 * title, the index is refreshed from it when versions are taken and when a room unloads.
 * All methods reject with a StorageError when the store fails.
 */
import type { VersionInfo } from '../../shared/api.ts';

export interface VersionStore {
  /** Stores a version (info.id must be new for the room); resolves once it is durable. */
  put(room: string, info: VersionInfo, state: Uint8Array): Promise<void>;
  /** The room's versions, oldest first; [] if none. */
  list(room: string): Promise<VersionInfo[]>;
  /** The stored Yjs state (an update holding the whole document) of a version, or null. */
  read(room: string, id: string): Promise<Uint8Array | null>;
  /** Removes versions (unknown ids are ignored); one atomic write. */
  remove(room: string, ids: readonly string[]): Promise<void>;
}

/** The server's record of one board. Times are ms since the epoch. */
export interface BoardRecord {
  room: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  shapes: number;
  bytes: number;
  /** When it was deleted; null while live. */
  deletedAt: number | null;
}

export interface BoardIndex {
  /** Every board the index knows, live and deleted, sorted by room name. */
  list(): Promise<BoardRecord[]>;
  get(room: string): Promise<BoardRecord | null>;
  put(record: BoardRecord): Promise<void>;
  /** Forgets the board's record (purge). */
  remove(room: string): Promise<void>;
}

export interface StoredAsset {
  bytes: Uint8Array;
  contentType: string;
}

export interface AssetStore {
  /** Stores an asset under an id unique within the room (content-addressed ids make puts idempotent). */
  put(room: string, id: string, asset: StoredAsset): Promise<void>;
  get(room: string, id: string): Promise<StoredAsset | null>;
  /** The room's asset ids, sorted. */
  list(room: string): Promise<string[]>;
  /**
   * Every asset of the room with the size of its bytes (the content type not counted), for the
   * room's quota: reads sizes kept beside the assets, not the assets themselves.
   */
  sizes(room: string): Promise<Map<string, number>>;
  remove(room: string, ids: readonly string[]): Promise<void>;
}

export interface Archive {
  readonly versions: VersionStore;
  readonly boards: BoardIndex;
  readonly assets: AssetStore;
}
