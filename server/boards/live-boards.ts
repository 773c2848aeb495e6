/**
 * Version history and the board service wired into a running server's rooms:
 *
 *   - history is told of every stored batch with the presence name of each client in it (the
 *     server's own edits, such as a new room's schema version, name no one and change nothing
 *     worth a version; an API edit marks the board changed without a name), of the last leave,
 *     and takes a room's last version before the room's state is dropped (beforeUnload);
 *   - the board service works on live rooms (live-docs.ts), and every version it takes first
 *     (import, restore, delete, a requested capture) is history's capture, on the room loaded
 *     for it if it was not;
 *   - deleted boards past the retention (--history-days) are purged on a timer.
 */
import type { Logger } from 'pino';
import type { HistoryOptions } from '../history/history-options.ts';
import { createHistory, type History } from '../history/history.ts';
import type { Clock } from '../history/clock.ts';
import { restoreBoard } from '../../shared/board-diff.ts';
import { EaselError } from '../errors.ts';
import type { CommittedBatch, Room } from '../room/room.ts';
import type { RoomRegistry } from '../rooms.ts';
import type { Archive } from '../store/archive.ts';
import type { AssetLimits } from '../assets/room-assets.ts';
import { createLiveDocs } from './live-docs.ts';
import { createStoreBoardService, type BoardStore, type StoreBoardService } from './store-board-service.ts';

const DAY_MS = 86_400_000;

export interface LiveBoardsOptions extends HistoryOptions {
  store: BoardStore;
  archive: Archive;
  /** The server's rooms (made after this, so reached through this object). */
  rooms: Pick<RoomRegistry, 'get' | 'use' | 'evict'>;
  logger: Logger;
  /** How often deleted boards past the retention are looked for and purged. */
  purgeIntervalMs: number;
  /** History's and the board service's time; the real clock unless given. */
  clock?: Clock;
  /** --max-asset-bytes and --max-room-asset-bytes. */
  assetLimits: AssetLimits;
}

export interface LiveBoards {
  readonly service: StoreBoardService;
  readonly history: History;
  /** How many boards this process deleted so far (see LiveDocs.deletions). */
  readonly deletions: number;
  /** Room hook: a batch was stored. */
  committed(room: Room, batch: CommittedBatch): void;
  /** Room hook: its last connection left. */
  emptied(room: Room): void;
  /** Registry hook: the room is about to be dropped; takes its last version. Never rejects. */
  beforeUnload(room: Room): Promise<void>;
  /** Runs one purge of deleted boards past the retention now (the timer's work); answers the rooms purged. */
  purgeNow(): Promise<string[]>;
  /** Stops the purge timer and takes the last version of every changed room. */
  close(): Promise<void>;
}

/** A room history asked about is not in memory: a capture must load it first. */
class RoomNotLoadedError extends EaselError {
  constructor(room: string) {
    super('room_not_loaded', `room ${room} is not loaded, so its state cannot be read for a version`);
  }
}

export function createLiveBoards(options: LiveBoardsOptions): LiveBoards {
  const { rooms, logger } = options;
  const history = createHistory({
    archive: options.archive,
    logger,
    historyIntervalMs: options.historyIntervalMs,
    historyDays: options.historyDays,
    ...(options.clock && { clock: options.clock }),
    stateOf(room) {
      const loaded = rooms.get(room);
      if (loaded === undefined) throw new RoomNotLoadedError(room);
      return loaded.encodeState();
    },
  });
  const docs = createLiveDocs({ rooms, store: options.store, edited: (room) => history.edited(room, '') });
  const service = createStoreBoardService({
    store: docs.store,
    archive: options.archive,
    docs,
    // The room is held loaded for the capture: history reads the state of loaded rooms only.
    takeVersion: (room, reason) => rooms.use(room, () => history.capture(room, reason)),
    makeEqual: restoreBoard,
    retentionMs: options.historyDays * DAY_MS,
    assetLimits: options.assetLimits,
    ...(options.clock && { now: () => options.clock!.now() }),
  });

  let purging: Promise<string[]> | null = null;
  /** Whether the last purge failed: a store that stays down is logged once, not every interval. */
  let failing = false;
  const purgeNow = (): Promise<string[]> => {
    purging ??= service
      .purgeExpired()
      .then(
        (purged) => {
          if (failing) logger.info('purging deleted boards works again');
          failing = false;
          if (purged.length > 0) logger.info({ rooms: purged }, 'purged deleted boards past the retention');
          return purged;
        },
        (error: unknown) => {
          if (!failing) logger.error({ err: error }, 'purging deleted boards failed; retried every interval, logged again once it works');
          failing = true;
          return [];
        },
      )
      .finally(() => {
        purging = null;
      });
    return purging;
  };
  const purgeTimer = setInterval(() => void purgeNow(), options.purgeIntervalMs);
  // A purge never holds the process open: a deleted board left for the next start is still purged then.
  purgeTimer.unref();

  return {
    service,
    history,
    get deletions() {
      return docs.deletions;
    },
    committed(room, batch) {
      for (const editor of batch.editors) if (editor !== null) history.edited(room.name, room.presenceName(editor));
    },
    emptied(room) {
      history.idle(room.name);
    },
    async beforeUnload(room) {
      await history.release(room.name);
    },
    purgeNow,
    async close() {
      clearInterval(purgeTimer);
      await purging;
      await history.close();
    },
  };
}
