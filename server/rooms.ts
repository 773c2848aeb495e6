/**
 * The registry of loaded rooms. A room is loaded once however many connections ask for it at the
 * same time (they share one promise), and unloaded a short while after its last connection left,
 * once its pending writes are on disk. A join during an unload waits for it, then loads afresh.
 *
 * Besides connections, the server itself may hold a room: use() keeps it loaded while an API call
 * edits it (a lease), and evict() unloads it and keeps it unloaded while the store's log is
 * replaced or purged underneath (joins wait for that, then load what the store then holds).
 */
import type { Logger } from 'pino';
import type { Connection } from './connection.ts';
import type { Fanout } from './fanout/fanout.ts';
import type { Store } from './store/store.ts';
import { CLOSE_CODE } from '../shared/protocol.ts';
import { Room, type RoomOptions } from './room/room.ts';
import { createSnapshotBuilder } from './snapshots.ts';
import { LimitError, StorageError, type ProtocolError } from './errors.ts';
import { settleBy, TIMED_OUT } from './deadline.ts';

export interface RoomRegistryOptions {
  store: Store;
  /** What other processes send to the rooms (local: nothing). */
  fanout: Fanout;
  logger: Logger;
  /** How long an empty room stays loaded, in case someone comes back (reloads, flaky networks). */
  unloadDelayMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  writeIntervalMs: number;
  /** Most rooms held in memory at once (0: no limit); rooms waiting to unload make way first. */
  maxRooms: number;
  maxAwarenessBytes: number;
  /** Least time between two presence messages to a peer of a busy room. */
  presenceTickMs: number;
  /** A peer with more than this many bytes waiting gets no presence until it has drained. */
  presenceSlowPeerBytes: number;
  /** Told of a message a room refused after accepting it; closes that connection. */
  onRejected: (conn: Connection, error: ProtocolError) => void;
  /** Told of every storage failure (a room's write or load), for health and metrics. */
  onStorageFailure: (room: string, error: StorageError) => void;
  /** Told of every batch a room stored, with who made it (see RoomOptions). */
  onCommitted?: RoomOptions['onCommitted'];
  /** Told when a room's last connection has left. */
  onEmpty?: RoomOptions['onEmpty'];
  /**
   * Awaited before a room's state is dropped (every unload, a failure's too): version history
   * takes the room's last version here. Must not reject; the room is unloaded after it either way.
   */
  beforeUnload?: (room: Room) => Promise<void>;
}

export interface RoomRegistry {
  /** Loads the room if needed and adds the connection to it; LimitError if no room can load. */
  join(name: string, conn: Connection): Promise<Room>;
  /** Removes the connection; the room unloads after the delay if it was the last one. */
  leave(room: Room, conn: Connection): void;
  /** Rooms loaded now. */
  readonly size: number;
  /** Number of connections across all rooms. */
  connectionCount(): number;
  rooms(): IterableIterator<Room>;
  /**
   * The room of that name whose document is in memory: the loaded one, or one that is unloading
   * while its beforeUnload runs (what history reads its last version from); undefined if none.
   */
  get(name: string): Room | undefined;
  /**
   * Loads the room if needed and keeps it loaded (with or without connections) until `fn`
   * settles; answers what `fn` answers. LimitError if no room can load.
   */
  use<T>(name: string, fn: (room: Room) => Promise<T>): Promise<T>;
  /**
   * Closes the room's connections with `code`, unloads it (beforeUnload, then its pending
   * writes), runs `fn` with no room of that name loaded, and only then lets joins load it again.
   * For changes to the stored log that a loaded Room would not know of (replace, purge). An API
   * call holding the room (use) meanwhile sees its edit refused, as the room is unloaded.
   */
  evict<T>(name: string, code: number, fn: () => Promise<T>): Promise<T>;
  /** Waits for every loaded room's pending writes. */
  flushAll(): Promise<void>;
  /**
   * Flushes every room, closes every connection with `code` and unloads the rooms, giving up on
   * whatever the store has not done by `deadline` (a performance.now() time). Resolves with the
   * rooms whose last changes are not stored.
   */
  close(code: number, deadline: number): Promise<{ unflushedRooms: string[] }>;
}

export function createRoomRegistry(options: RoomRegistryOptions): RoomRegistry {
  const loading = new Map<string, Promise<Room>>();
  const loaded = new Map<string, Room>();
  const unloading = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Rooms unloading whose beforeUnload runs (get() still answers them). */
  const dying = new Map<string, Room>();
  /** The server's own holds on loaded rooms (use()), by room. */
  const leases = new Map<Room, number>();
  let closed = false;

  const onFailure = (room: Room, error: StorageError): void => {
    options.onStorageFailure(room.name, error);
    // Forget the failed room at once: the next join reloads it from what was written.
    if (loaded.get(room.name) === room) {
      loaded.delete(room.name);
      loading.delete(room.name);
      cancelTimer(room.name);
      trackUnload(room.name, drop(room));
    }
  };

  /**
   * beforeUnload (get() still answers the room meanwhile, so history can read its state), then
   * the room's own unload: its pending writes, then its state is dropped.
   */
  async function drop(room: Room): Promise<void> {
    dying.set(room.name, room);
    try {
      await options.beforeUnload?.(room);
    } finally {
      if (dying.get(room.name) === room) dying.delete(room.name);
    }
    await room.destroy();
  }

  function cancelTimer(name: string): void {
    const timer = timers.get(name);
    if (timer) {
      clearTimeout(timer);
      timers.delete(name);
    }
  }

  /** Joins of `name` wait for `done` (settled either way) before they load it. */
  function hold(name: string, done: Promise<unknown>): void {
    const held = done.then(
      () => undefined,
      () => undefined,
    );
    const tracked = held.finally(() => {
      if (unloading.get(name) === tracked) unloading.delete(name);
    });
    unloading.set(name, tracked);
  }

  function trackUnload(name: string, done: Promise<void>): void {
    hold(name, done.catch((error: unknown) => options.logger.error({ err: error, room: name }, 'room unload failed')));
  }

  /** Whether nothing holds the room: no connection and no lease. */
  function unused(room: Room): boolean {
    return room.connections.size === 0 && !leases.has(room);
  }

  /** Unloads an unused room after the delay, in case someone comes back. */
  function scheduleUnload(room: Room): void {
    if (!unused(room) || loaded.get(room.name) !== room || timers.has(room.name) || closed) return;
    const timer = setTimeout(() => unload(room), options.unloadDelayMs);
    timer.unref();
    timers.set(room.name, timer);
  }

  function unload(room: Room): void {
    timers.delete(room.name);
    if (!unused(room) || loaded.get(room.name) !== room) return;
    loaded.delete(room.name);
    loading.delete(room.name);
    options.logger.debug({ room: room.name }, 'unloading room');
    trackUnload(room.name, drop(room));
  }

  /** The room of that name, loaded (or loading) once however many ask at once. */
  function acquire(name: string): Promise<Room> {
    if (closed) return Promise.reject(new Error('registry is closed'));
    let promise = loading.get(name);
    if (!promise) {
      reserveSlot(name);
      promise = load(name);
      loading.set(name, promise);
      // A failed load must not stay cached: the next join tries again.
      promise.catch(() => {
        if (loading.get(name) === promise) loading.delete(name);
      });
    }
    return promise;
  }

  /** Compaction snapshots of all rooms: small ones inline, large ones in order in one worker. */
  const snapshots = createSnapshotBuilder(options.logger);

  async function load(name: string): Promise<Room> {
    const previous = unloading.get(name);
    if (previous) await previous;
    let room: Room;
    try {
      room = await Room.load(name, options.store, options.fanout, {
        logger: options.logger,
        compactAfterUpdates: options.compactAfterUpdates,
        compactAfterBytes: options.compactAfterBytes,
        writeIntervalMs: options.writeIntervalMs,
        snapshots,
        maxAwarenessBytes: options.maxAwarenessBytes,
        presenceTickMs: options.presenceTickMs,
        presenceSlowPeerBytes: options.presenceSlowPeerBytes,
        onRejected: options.onRejected,
        onFailure,
        ...(options.onCommitted && { onCommitted: options.onCommitted }),
        ...(options.onEmpty && { onEmpty: options.onEmpty }),
      });
    } catch (error) {
      if (error instanceof StorageError) options.onStorageFailure(name, error);
      throw error;
    }
    loaded.set(name, room);
    return room;
  }

  /** Makes room for one more room: unloads an empty one early, or refuses. */
  function reserveSlot(name: string): void {
    if (options.maxRooms <= 0 || loading.size < options.maxRooms) return;
    for (const idle of timers.keys()) {
      const room = loaded.get(idle);
      if (room) {
        cancelTimer(idle);
        unload(room);
        if (loading.size < options.maxRooms) return;
      }
    }
    throw new LimitError(CLOSE_CODE.tooManyRooms, `cannot load room ${name}: ${options.maxRooms} rooms are loaded`);
  }

  return {
    async join(name, conn) {
      const room = await acquire(name);
      cancelTimer(name);
      room.addConnection(conn);
      return room;
    },
    leave(room, conn) {
      room.removeConnection(conn);
      scheduleUnload(room);
    },
    get(name) {
      return loaded.get(name) ?? dying.get(name);
    },
    async use(name, fn) {
      const room = await acquire(name);
      cancelTimer(name);
      leases.set(room, (leases.get(room) ?? 0) + 1);
      try {
        return await fn(room);
      } finally {
        const left = (leases.get(room) ?? 1) - 1;
        if (left > 0) leases.set(room, left);
        else leases.delete(room);
        scheduleUnload(room);
      }
    },
    evict(name, code, fn) {
      if (closed) return Promise.reject(new Error('registry is closed'));
      // Taken out of `loading` at once: a join from now on loads afresh, and its load waits for
      // the hold below; a join that already had the promise joins the old room and is closed.
      const pending = loading.get(name);
      loading.delete(name);
      cancelTimer(name);
      const previous = unloading.get(name);
      const done = (async () => {
        const room = pending === undefined ? undefined : await pending.catch(() => undefined);
        if (room !== undefined && loaded.get(name) === room) {
          loaded.delete(name);
          room.closeConnections(code);
          await drop(room);
        }
        await previous;
        return fn();
      })();
      hold(name, done);
      return done;
    },
    get size() {
      return loaded.size;
    },
    connectionCount() {
      let count = 0;
      for (const room of loaded.values()) count += room.connections.size;
      return count;
    },
    rooms() {
      return loaded.values();
    },
    async flushAll() {
      await Promise.allSettled([...loaded.values()].map((room) => room.flush()));
    },
    async close(code, deadline) {
      closed = true;
      for (const name of [...timers.keys()]) cancelTimer(name);
      // A load stuck on the store is given up at the deadline; its sockets are closed by the server.
      await settleBy(Promise.allSettled([...loading.values()]), deadline);
      const rooms = [...loaded.values()];
      // Flush first, then close: a client sees 1001 only after its relayed updates are on disk.
      const flushes = rooms.map((room) => room.flush().then(() => true, () => false));
      await settleBy(Promise.all(flushes), deadline);
      const unflushedRooms: string[] = [];
      for (const [i, room] of rooms.entries()) {
        // Settled by now, or never will be before the deadline.
        const flushed = await settleBy(flushes[i]!, 0);
        if (flushed === true) continue;
        unflushedRooms.push(room.name);
        options.logger.error(
          { room: room.name, updates: room.unstoredCount, timedOut: flushed === TIMED_OUT },
          'changes of this room are not stored; its clients keep them and send them again when they reconnect',
        );
      }
      for (const room of rooms) room.closeConnections(code);
      for (const room of rooms) trackUnload(room.name, drop(room));
      loaded.clear();
      loading.clear();
      // The last compactions, within what is left of the time; a room still waiting on the store
      // then is let go.
      await settleBy(Promise.allSettled([...unloading.values()]), deadline);
      for (const room of rooms) room.abandon();
      await snapshots.close();
      return { unflushedRooms };
    },
  };
}
