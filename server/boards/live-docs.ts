/**
 * BoardDocs of a running server: a board's document is its loaded room's, so what the API does
 * reaches connected clients at once and goes through the same commit pipeline as their edits
 * (stored, then relayed).
 *
 *   read      the loaded room's document if there is one (it may hold edits not yet stored),
 *             else the store's log; a read never loads a room (a backup reads every board)
 *   readStored the loaded room's state once all of it is stored (Room.storedState: its stored
 *             snapshot while it has not built its document, else an encoding cached until the
 *             document changes), else the store's log; never loads a room either
 *   edit      Room.edit with API_ORIGIN on the loaded room, loading it if needed and holding it
 *             loaded until the edit is stored (RoomRegistry.use)
 *   replace   (a backup being restored) the log is replaced with no room loaded: a loaded room is
 *             unloaded first, its connections closed with goingAway (1001, retryable), and joins
 *             wait until the new log is written (RoomRegistry.evict). Closing is the sound choice:
 *             a Room cannot swap its document for another, and going on from the old one would
 *             append to the new log what the old document holds. Clients reconnect, sync against
 *             the restored board and send what they hold that it lacks, as after any restart:
 *             a replace is not a forward edit, so their copies merge back in.
 *   deleted   closes the loaded room's connections with boardDeleted (4410); new connections are
 *             refused by the sync server, which asks the board service (isDeleted)
 *
 * Purging goes through `store` below, which unloads the room the same way before the log goes.
 * Only this process's rooms are reached: with Redis scale-out, other processes' clients of a
 * deleted board stay connected until they reconnect (then they are refused).
 */
import { CLOSE_CODE } from '../../shared/protocol.ts';
import { API_ORIGIN } from '../../shared/origins.ts';
import type { RoomRegistry } from '../rooms.ts';
import type { BoardDocs, BoardStore } from './store-board-service.ts';

export interface LiveDocsOptions {
  /** The server's rooms. */
  rooms: Pick<RoomRegistry, 'get' | 'use' | 'evict'>;
  /** The store under the rooms. */
  store: BoardStore;
  /** Told after an API edit of `room` is stored (version history counts it as a change). */
  edited?(room: string): void;
}

export interface LiveDocs extends BoardDocs {
  /** The store as the board service must use it: purging unloads a loaded room first. */
  readonly store: BoardStore;
  /**
   * How many boards this process was told were deleted. A sync connection checked before a
   * deletion and joined after it checks again when this has changed (see server.ts).
   */
  readonly deletions: number;
}

export function createLiveDocs(options: LiveDocsOptions): LiveDocs {
  const { rooms, store } = options;
  let deletions = 0;
  return {
    async read(room) {
      const loaded = rooms.get(room);
      return loaded === undefined ? store.readRoom(room) : loaded.encodeState();
    },
    async readStored(room) {
      const loaded = rooms.get(room);
      return loaded === undefined ? store.readRoom(room) : loaded.storedState();
    },
    edit(room, change) {
      return rooms.use(room, async (loaded) => {
        const result = await loaded.edit(API_ORIGIN, change);
        const state = loaded.encodeState();
        options.edited?.(room);
        return { result, state };
      });
    },
    replace(room, state) {
      return rooms.evict(room, CLOSE_CODE.goingAway, () => store.replaceRoom(room, state));
    },
    async deleted(room) {
      deletions += 1;
      rooms.get(room)?.closeConnections(CLOSE_CODE.boardDeleted);
    },
    get deletions() {
      return deletions;
    },
    store: {
      readRoom: (room) => store.readRoom(room),
      listRooms: () => store.listRooms(),
      replaceRoom: (room, state) => rooms.evict(room, CLOSE_CODE.goingAway, () => store.replaceRoom(room, state)),
      // A board is purged only once deleted, so its clients were told 4410 already; anyone who
      // joined since (a race with the deletion) is told the same.
      purgeRoom: (room) => rooms.evict(room, CLOSE_CODE.boardDeleted, () => store.purgeRoom(room)),
    },
  };
}
