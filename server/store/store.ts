/**
 * The durable part of the server: each room is an append-only log of Yjs updates, folded now and
 * then into one snapshot. What other processes send to a room travels apart from it
 * (server/fanout/). Each backend (level-store.ts, redis-store.ts) passes the contract suite in
 * tests/integration/store-contract.test.ts; create-store.ts picks one from the configuration.
 *
 * Every method rejects with a StorageError when the backend fails.
 */
import type { BuildSnapshot } from '../snapshots.ts';

/** One room's log as a loaded Room sees it. */
export interface RoomLog {
  /** The updates read at load time, oldest first. */
  readonly loaded: readonly Uint8Array[];
  /**
   * The state vector stored with `loaded` (written in the same atomic batches), or null where
   * the store keeps none. Lets a room answer before it has applied its log.
   */
  readonly stateVector: Uint8Array | null;
  /** Entries and bytes now in the log (for the compaction threshold). */
  readonly length: number;
  readonly bytes: number;
  /** Appends updates in one atomic write; resolves once the store holds them durably. */
  append(updates: readonly Uint8Array[], stateVector: Uint8Array): Promise<void>;
  /**
   * Reads the entries now in the log, folds them with `build` and replaces exactly those entries
   * with the result in one atomic write; entries appended meanwhile stay after it. Resolves false
   * if there was nothing to fold. A StorageError if the store fails; what `build` throws otherwise.
   */
  compact(build: BuildSnapshot): Promise<boolean>;
  /** The room is being unloaded: forget what was kept for it (never fails). */
  close(): void;
}

/** A store of room logs. */
export interface Store {
  /** Reads a room's log (empty for a room never written) and keeps it open for appends. */
  openRoom(room: string): Promise<RoomLog>;
  /** The stored state vector of a room, or null if the store keeps none or the room was never written. */
  readStateVector(room: string): Promise<Uint8Array | null>;
  /**
   * For rooms no process has loaded (the API's and the CLI's offline work): the whole stored
   * state as one update, or null if the room has no log.
   */
  readRoom(room: string): Promise<Uint8Array | null>;
  /**
   * Makes the room's log exactly `state` (one update holding a whole document), atomically: a
   * crash leaves the old log or the new one. Not for a room that is loaded anywhere (its Room
   * would go on from the old log): a loaded room is changed with Room.edit.
   */
  replaceRoom(room: string, state: Uint8Array): Promise<void>;
  /** Removes the room's log (nothing else kept for it); same restriction as replaceRoom. */
  purgeRoom(room: string): Promise<void>;
  /** Names of the rooms that have a log, sorted. */
  listRooms(): Promise<string[]>;
  /**
   * One cheap round trip that proves the store works now (see store-health.ts); rejects, or
   * never settles, when it does not.
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A RoomLog that forwards everything to `inner` except the writes given in `writes`: the base of
 * wrappers that measure or fail writes.
 */
export function wrapRoomLog(inner: RoomLog, writes: Pick<RoomLog, 'append' | 'compact'>): RoomLog {
  return {
    get loaded() {
      return inner.loaded;
    },
    get stateVector() {
      return inner.stateVector;
    },
    get length() {
      return inner.length;
    },
    get bytes() {
      return inner.bytes;
    },
    append: writes.append,
    compact: writes.compact,
    close: () => inner.close(),
  };
}

/** A Store that forwards everything to `inner` but openRoom: the base of wrappers around room logs. */
export function wrapStore(inner: Store, openRoom: Store['openRoom']): Store {
  return {
    openRoom,
    readStateVector: (room) => inner.readStateVector(room),
    readRoom: (room) => inner.readRoom(room),
    replaceRoom: (room, state) => inner.replaceRoom(room, state),
    purgeRoom: (room) => inner.purgeRoom(room),
    listRooms: () => inner.listRooms(),
    probe: () => inner.probe(),
    close: () => inner.close(),
  };
}
