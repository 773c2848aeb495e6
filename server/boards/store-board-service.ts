/**
 * The BoardService on a store and its archive, apart from how a board's document is reached: the
 * live service (rooms in memory, clients connected) and the offline one (a stopped server's data
 * folder) each supply BoardDocs, and everything else (access to versions, the board index,
 * deletion and purging, backups) is this one file.
 *
 * Invariants enforced here:
 * - a replace, restore, repair or delete is preceded by a version of what the board was (reasons
 *   import, restore, repair, delete), so every change the API makes can be undone from history;
 * - a deleted board answers NotFoundError to everything but listBoards, undelete and backup, and
 *   is purged (log, versions, assets, record) once `retentionMs` has passed since its deletion;
 * - an import stores the file's assets before the board changes, so no image it makes points at
 *   a file the room lacks (room-assets.ts checks each file and the room's quota).
 */
import type { Readable, Writable } from 'node:stream';
import * as Y from 'yjs';
import type { BoardSummary, RestoreBackupResponse, VersionInfo, VersionReason } from '../../shared/api.ts';
import type { BoardFileData } from '../../shared/board-file.ts';
import { ensureMeta } from '../../shared/doc.ts';
import { NotFoundError } from '../errors.ts';
import type { Archive, BoardRecord } from '../store/archive.ts';
import { assetIdsOf } from '../../shared/schema.ts';
import { createRoomAssets, type AssetLimits } from '../assets/room-assets.ts';
import type { BoardAssets, BoardService, BoardStates, VersionCapture } from './board-service.ts';
import { boardFileFromState, docFromState } from './board-state.ts';
import { readBackup, writeBackup, type BackupBoard } from './backup-format.ts';
import { findRefusedRecords, removeRefusedRecords } from './repair.ts';

/** The part of the store (server/store/store.ts) boards need: whole-room reads and writes. */
export interface BoardStore {
  readRoom(room: string): Promise<Uint8Array | null>;
  replaceRoom(room: string, state: Uint8Array): Promise<void>;
  purgeRoom(room: string): Promise<void>;
  listRooms(): Promise<string[]>;
}

/** How a board's document is reached: through a live room, or straight from the store. */
export interface BoardDocs {
  /** The board's whole state now (a loaded room's document, else the store's), null if never written. */
  read(room: string): Promise<Uint8Array | null>;
  /**
   * As read, but only what is stored: a loaded room answers once every change its document holds
   * is written, and never builds its document for this; null if never written.
   */
  readStored(room: string): Promise<Uint8Array | null>;
  /**
   * Runs `change` on the board's document as one forward edit made by the server, stored (and, live,
   * sent to every connected client) before this resolves; answers what `change` answered and the
   * whole state after it.
   */
  edit<T>(room: string, change: (doc: Y.Doc) => T): Promise<{ result: T; state: Uint8Array }>;
  /** Makes the board's stored log exactly `state` (a backup being restored), whatever it was. */
  replace(room: string, state: Uint8Array): Promise<void>;
  /** The board was deleted: close its connections (live) with CLOSE_CODE.boardDeleted. */
  deleted(room: string): Promise<void>;
}

export interface StoreBoardServiceOptions {
  store: BoardStore;
  archive: Archive;
  docs: BoardDocs;
  /** Takes a version of the board as it is now (history's capture); answers it. */
  takeVersion(room: string, reason: VersionReason, editor: string): Promise<VersionInfo>;
  /** Makes `doc` equal to `file` inside the caller's transaction (shared/board-diff.ts restoreBoard). */
  makeEqual(doc: Y.Doc, file: BoardFileData): void;
  /** How long a deleted board stays restorable (the history retention). */
  retentionMs: number;
  /** The largest image file and the largest total of one room's files (uploads and imports alike). */
  assetLimits: AssetLimits;
  now?: () => number;
}

export interface StoreBoardService extends BoardService, VersionCapture, BoardAssets, BoardStates {
  /** Whether the board is deleted (the sync server refuses its connections with boardDeleted). */
  isDeleted(room: string): Promise<boolean>;
  /** Purges the boards deleted longer ago than the retention; answers their rooms. */
  purgeExpired(): Promise<string[]>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Whether a repair of `state` would remove anything (so whether it is worth a version first). */
function hasRefusedRecords(state: Uint8Array): boolean {
  const doc = docFromState(state);
  try {
    return findRefusedRecords(doc).length > 0;
  } finally {
    doc.destroy();
  }
}

/** An empty document's whole state: what a board with a record but no log is backed up as. */
const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * The time a board's record gives when nothing recorded it (the epoch, 1970-01-01T00:00:00Z): a
 * board the index does not know and that has no version. Kept in records (and backups) as this
 * number; a BoardSummary says it as updatedAt null, and the CLI prints "unknown".
 */
export const UNKNOWN_TIME = 0;

export function createStoreBoardService(options: StoreBoardServiceOptions): StoreBoardService {
  const { store, archive, docs } = options;
  const now = options.now ?? Date.now;
  const roomAssets = createRoomAssets(archive.assets, options.assetLimits);

  const deletedError = (room: string, deletedAt: number): NotFoundError =>
    new NotFoundError(`board "${room}" was deleted on ${iso(deletedAt)} (an admin can undelete it until it is purged)`);

  /** NotFoundError for a deleted board; a board the index does not know (yet) passes. */
  async function notDeleted(room: string): Promise<void> {
    const found = await archive.boards.get(room);
    if (found?.deletedAt != null) throw deletedError(room, found.deletedAt);
  }

  /** The board's record, made from its state when the index has none (a board older than the index). */
  async function record(room: string): Promise<BoardRecord | null> {
    const known = await archive.boards.get(room);
    if (known !== null) return known;
    const state = await docs.read(room);
    if (state === null) return null;
    return unindexedRecord(room, state);
  }

  /**
   * The record of a board the index does not know, from its state and versions. No store keeps
   * when a log was last written, so its times are those of its first and newest versions (what
   * the index would have said: each version refreshes it), or UNKNOWN_TIME without versions;
   * never the time of asking, which would make every such board look edited just now.
   */
  async function unindexedRecord(room: string, state: Uint8Array): Promise<BoardRecord> {
    const versions = await archive.versions.list(room);
    const first = versions[0];
    const newest = versions.at(-1);
    const times = { createdAt: first ? Date.parse(first.at) : UNKNOWN_TIME, updatedAt: newest ? Date.parse(newest.at) : UNKNOWN_TIME };
    return recordOf(room, state, { ...times, deletedAt: null });
  }

  /** The record of `state`, keeping `kept`'s times and deletion mark. */
  function recordOf(room: string, state: Uint8Array, kept: Pick<BoardRecord, 'createdAt' | 'updatedAt' | 'deletedAt'>): BoardRecord {
    const file = boardFileFromState(state);
    return { room, title: file.title, createdAt: kept.createdAt, updatedAt: kept.updatedAt, shapes: file.shapes.length, bytes: state.byteLength, deletedAt: kept.deletedAt };
  }

  /** The record of a board that exists and is not deleted, else NotFoundError. */
  async function liveRecord(room: string): Promise<BoardRecord> {
    const found = await record(room);
    if (found === null) throw new NotFoundError(`no board "${room}"`);
    if (found.deletedAt !== null) throw deletedError(room, found.deletedAt);
    return found;
  }

  async function summary(found: BoardRecord): Promise<BoardSummary> {
    return {
      room: found.room,
      title: found.title,
      updatedAt: found.updatedAt === UNKNOWN_TIME ? null : iso(found.updatedAt),
      shapes: found.shapes,
      bytes: found.bytes,
      versions: (await archive.versions.list(found.room)).length,
      deletedAt: found.deletedAt === null ? null : iso(found.deletedAt),
    };
  }

  /** Edits a board that may be new (an import into an empty room), then refreshes its record. */
  async function editBoard<T>(room: string, change: (doc: Y.Doc) => T): Promise<T> {
    const previous = await record(room);
    const { result, state } = await docs.edit(room, change);
    const at = now();
    // A board new to the index was created no later than this edit; an unknown creation stays unknown.
    const createdAt = previous === null ? at : previous.createdAt;
    await archive.boards.put(recordOf(room, state, { createdAt, updatedAt: at, deletedAt: previous?.deletedAt ?? null }));
    return result;
  }

  async function replaceWith(room: string, file: BoardFileData, reason: 'import' | 'restore', editor: string): Promise<VersionInfo> {
    const existing = await record(room);
    if (existing?.deletedAt != null) await liveRecord(room);
    if (file.assets !== undefined && file.assets.length > 0) await roomAssets.store(room, file.assets);
    const version = await options.takeVersion(room, reason, editor);
    await editBoard(room, (doc) => {
      ensureMeta(doc);
      options.makeEqual(doc, file);
    });
    return version;
  }

  /** Every room known to the store or the index, sorted. */
  async function rooms(): Promise<string[]> {
    const [logs, records] = await Promise.all([store.listRooms(), archive.boards.list()]);
    return [...new Set([...logs, ...records.map((r) => r.room)])].sort();
  }

  async function* backupBoards(): AsyncGenerator<BackupBoard> {
    for (const room of await rooms()) {
      // One board at a time, each read whole before it is written: a loaded room's document is
      // read in one go, so the line holds one consistent state even while clients edit.
      const state = (await docs.read(room)) ?? EMPTY_STATE;
      const board = (await archive.boards.get(room)) ?? (await unindexedRecord(room, state));
      const versions: BackupBoard['versions'] = [];
      for (const info of await archive.versions.list(room)) {
        const versionState = await archive.versions.read(room, info.id);
        // Thinned away between listing and reading: it is simply not in the backup.
        if (versionState !== null) versions.push({ info, state: versionState });
      }
      const assets: BackupBoard['assets'] = [];
      for (const id of await archive.assets.list(room)) {
        const asset = await archive.assets.get(room, id);
        if (asset !== null) assets.push({ id, asset });
      }
      yield { room, board, state, versions, assets };
    }
  }

  async function purge(room: string): Promise<void> {
    await store.purgeRoom(room);
    const versions = await archive.versions.list(room);
    await archive.versions.remove(room, versions.map((v) => v.id));
    await archive.assets.remove(room, await archive.assets.list(room));
    await archive.boards.remove(room);
  }

  return {
    async listBoards() {
      const list: BoardSummary[] = [];
      for (const room of await rooms()) {
        const found = await record(room);
        if (found !== null) list.push(await summary(found));
      }
      return list;
    },
    async getBoard(room) {
      await liveRecord(room);
      const state = await docs.read(room);
      if (state === null) throw new NotFoundError(`no board "${room}"`);
      const file = boardFileFromState(state);
      return { ...file, assets: await roomAssets.collect(room, assetIdsOf(file.shapes)) };
    },
    async getBoardState(room) {
      // Not liveRecord, which makes the record of a board the index does not know yet by decoding
      // its whole state: sparing that work is what this endpoint is for. The answers are the same.
      await notDeleted(room);
      return docs.readStored(room);
    },
    replaceBoard(room, file, editor) {
      return replaceWith(room, file, 'import', editor);
    },
    async listVersions(room) {
      const versions = await archive.versions.list(room);
      if (versions.length === 0) await liveRecord(room);
      return versions;
    },
    async getVersion(room, id) {
      const state = await archive.versions.read(room, id);
      if (state === null) throw new NotFoundError(`board "${room}" has no version "${id}"`);
      return boardFileFromState(state);
    },
    async restoreVersion(room, id, editor) {
      await liveRecord(room);
      const state = await archive.versions.read(room, id);
      if (state === null) throw new NotFoundError(`board "${room}" has no version "${id}"`);
      return replaceWith(room, boardFileFromState(state), 'restore', editor);
    },
    async captureVersion(room, reason, editor) {
      await liveRecord(room);
      return options.takeVersion(room, reason, editor);
    },
    async deleteBoard(room) {
      await liveRecord(room);
      await options.takeVersion(room, 'delete', 'api');
      // The record is read again: taking the version refreshed it.
      const current = (await record(room))!;
      const deleted = { ...current, deletedAt: now() };
      await archive.boards.put(deleted);
      await docs.deleted(room);
      return summary(deleted);
    },
    async undeleteBoard(room) {
      const found = await record(room);
      if (found === null) throw new NotFoundError(`no board "${room}" (a deleted board is purged after the retention)`);
      const live = { ...found, deletedAt: null };
      await archive.boards.put(live);
      return summary(live);
    },
    async repairBoard(room) {
      await liveRecord(room);
      const state = await docs.read(room);
      if (state === null || !hasRefusedRecords(state)) return { removed: [] };
      // What it was, junk included: a repair can be undone from history like any API change.
      await options.takeVersion(room, 'repair', 'api');
      return editBoard(room, removeRefusedRecords);
    },
    async backup(out: Writable) {
      await writeBackup(out, backupBoards());
    },
    async restoreBackup(input: Readable) {
      const result: RestoreBackupResponse = { boards: 0, versions: 0, assets: 0 };
      for await (const board of readBackup(input)) {
        await docs.replace(board.room, board.state);
        const stale = await archive.versions.list(board.room);
        await archive.versions.remove(board.room, stale.map((v) => v.id));
        for (const { info, state } of board.versions) await archive.versions.put(board.room, info, state);
        const keep = new Set(board.assets.map((a) => a.id));
        await archive.assets.remove(board.room, (await archive.assets.list(board.room)).filter((id) => !keep.has(id)));
        for (const { id, asset } of board.assets) await archive.assets.put(board.room, id, asset);
        await archive.boards.put(board.board);
        if (board.board.deletedAt !== null) await docs.deleted(board.room);
        result.boards += 1;
        result.versions += board.versions.length;
        result.assets += board.assets.length;
      }
      return result;
    },
    async uploadAsset(room, id, bytes) {
      await notDeleted(room);
      const [result] = await roomAssets.store(room, [{ id, bytes }]);
      return result!;
    },
    async getAsset(room, id) {
      await notDeleted(room);
      const asset = await roomAssets.read(room, id);
      if (asset === null) throw new NotFoundError(`board "${room}" has no file ${id}`);
      return asset;
    },
    async isDeleted(room) {
      return (await archive.boards.get(room))?.deletedAt != null;
    },
    async purgeExpired() {
      const cutoff = now() - options.retentionMs;
      const purged: string[] = [];
      for (const found of await archive.boards.list()) {
        if (found.deletedAt === null || found.deletedAt > cutoff) continue;
        await purge(found.room);
        purged.push(found.room);
      }
      return purged;
    },
    async close() {
      // Nothing of its own: the store and rooms belong to whoever made them.
    },
  };
}
