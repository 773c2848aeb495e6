/**
 * The BoardService of a stopped server's data folder, for the CLI's --data mode: the LevelDB
 * store and archive opened here, boards edited straight on the store (store-docs.ts), and a
 * version taken by history's own rules (store-version.ts) before every import, restore and
 * delete, as a running server would.
 *
 * LevelDB admits one process per folder, so a running server's folder is refused: working on it
 * from a second process would be impossible, and going around the lock would let the server go
 * on from a log this process replaced. The folder is checked before it is opened, so a mistyped
 * path is an error rather than a new empty database; only a restore from a backup (`create`) may
 * make one, in a folder that does not exist or is empty, and it says so.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import * as Y from 'yjs';
import { DEFAULT_MAX_ASSET_BYTES, DEFAULT_MAX_ROOM_ASSET_BYTES } from '../../shared/assets.ts';
import { restoreBoard } from '../../shared/board-diff.ts';
import { DataFolderError } from '../errors.ts';
import { DEFAULT_HISTORY_OPTIONS } from '../history/history-options.ts';
import { storeVersion } from '../history/store-version.ts';
import { DAY_MS } from '../history/thinning.ts';
import { createLevelArchive } from '../store/level-archive.ts';
import { createLevelStore, openLevelDb, type LevelDb } from '../store/level-store.ts';
import type { BoardService } from './board-service.ts';
import { createStoreBoardService } from './store-board-service.ts';
import { createStoreDocs } from './store-docs.ts';

export interface OfflineBoardServiceOptions {
  /** --history-days: how thinning treats the versions taken here (nothing is purged offline: the server does that). */
  historyDays?: number;
  /**
   * Make a new data folder at `dir` if nothing is there (or an empty folder): for restoring a
   * backup onto a new machine. Refused otherwise, as a mistyped path would make one.
   */
  create?: boolean;
  /**
   * What the person running it should know that is not a failure: a new folder made, or a step
   * after a version was stored that failed (the version stands, the step is done again later).
   */
  note(message: string): void;
  now?: () => number;
}

/** An empty document's whole state: the version of a board that was never written (an import into a new room). */
const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

/** Whether `error`, or anything in its chain of causes, has `code`. */
function hasCode(error: unknown, code: string): boolean {
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

/**
 * What is at `dir`: a LevelDB folder ('data'), nothing or an empty folder ('nothing'); anything
 * else is refused before LevelDB would make a database there.
 */
async function inspectDataFolder(dir: string): Promise<'data' | 'nothing'> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return 'nothing';
    throw new DataFolderError('data_missing', `cannot read ${dir}: ${(error as Error).message}`, { cause: error });
  }
  if (!info.isDirectory()) throw new DataFolderError('not_a_data_folder', `${dir} is a file, not an Easel data folder`);
  // Every LevelDB database has a CURRENT file naming its manifest; a folder without one was never
  // a server's data folder (or is not the folder itself but its parent).
  const entries = await readdir(dir);
  if (entries.includes('CURRENT')) return 'data';
  if (entries.length === 0) return 'nothing';
  throw new DataFolderError('not_a_data_folder', `${dir} is not an Easel data folder (it holds no LevelDB database): check the path`);
}

async function openDataFolder(dir: string, create: boolean, note: (message: string) => void): Promise<LevelDb> {
  const found = await inspectDataFolder(dir);
  if (found === 'nothing') {
    if (!create) throw new DataFolderError('data_missing', `there is no Easel data folder at ${dir}: check the path (a server's --data, ./data by default)`);
    await mkdir(dir, { recursive: true });
    note(`${dir} held no data: made a new data folder there`);
  }
  try {
    return await openLevelDb(dir, { createIfMissing: found === 'nothing' });
  } catch (error) {
    if (hasCode(error, 'LEVEL_LOCKED')) {
      throw new DataFolderError(
        'data_locked',
        `the data folder ${dir} is in use, most likely by a running Easel server (LevelDB lets one process open a folder at a time): use --url and --token to work through that server, or stop it and run this again`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Opens the data folder `dir` of a stopped server for work on its boards; close() closes it. */
export async function openOfflineBoardService(dir: string, options: OfflineBoardServiceOptions): Promise<BoardService> {
  const historyDays = options.historyDays ?? DEFAULT_HISTORY_OPTIONS.historyDays;
  const now = options.now ?? Date.now;
  const db = await openDataFolder(dir, options.create ?? false, options.note);
  const store = createLevelStore(db);
  const archive = createLevelArchive(db);
  const docs = createStoreDocs(store);
  const service = createStoreBoardService({
    store,
    archive,
    docs,
    makeEqual: (doc, file) => void restoreBoard(doc, file),
    retentionMs: historyDays * DAY_MS,
    // An import here keeps to the limits a server keeps to by default.
    assetLimits: { maxAssetBytes: DEFAULT_MAX_ASSET_BYTES, maxRoomAssetBytes: DEFAULT_MAX_ROOM_ASSET_BYTES },
    now,
    async takeVersion(room, reason) {
      const state = (await docs.read(room)) ?? EMPTY_STATE;
      // No room, so nobody's edits were gathered since the version before: the list is empty
      // rather than guessed (the CLI's own change comes after this version).
      return storeVersion(room, { state, at: now(), reason, editors: [] }, {
        archive,
        historyDays,
        onFollowUpFailure: (step, error, info) => {
          const what = step === 'index' ? 'the board list was not updated' : 'older versions were not thinned';
          options.note(`warning: version ${info.id} of ${room} is stored, but ${what}: ${error instanceof Error ? error.message : String(error)}`);
        },
      });
    },
  });
  return {
    ...service,
    async close() {
      try {
        await service.close();
      } finally {
        await store.close();
      }
    },
  };
}
