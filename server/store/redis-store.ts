/**
 * Scale-out store: every Easel process keeps its rooms in one Redis, so any process can serve any
 * room and none owns data the others need (key layout and scripts: redis-scripts.ts).
 *
 * An update is stored once (XADD by the process that received it) and only then relayed by it;
 * the other processes read it back from the stream (server/fanout/redis-fanout.ts). Compaction
 * folds the log into the snapshot and trims it, in a Lua script so two processes compacting at
 * once cannot go back.
 */
import * as Y from 'yjs';
import { StorageError } from '../errors.ts';
import type { BuildSnapshot } from '../snapshots.ts';
import type { RedisConnection } from './redis-connection.ts';
import { asBuffer, DEFAULT_REGISTRATION_TTL_MS, keys, nextId, storedUpdates, wrapRedisError } from './redis-scripts.ts';
import type { RoomLog, Store } from './store.ts';

/** Where a load left a room's streams, and who else had it loaded then. */
export interface FollowStart {
  /** The newest log entry the load read (or the snapshot's id; '0-0' for an empty room). */
  logId: string;
  /** The newest presence entry at load time. */
  awId: string;
  /** Other live processes registered in the room. */
  others: number;
  epoch: string;
}

/**
 * What the store tells, and asks, whoever follows the rooms' streams in this process (the Redis
 * fan-out): the store's scripts register the process atomically with each load and append, and
 * only the follower knows how far the log has been read.
 */
export interface RedisFollowLink {
  loaded(room: string, start: FollowStart): void;
  /** The registration made with an append: `others` besides this process at `epoch`. */
  registered(room: string, others: number, epoch: string, appendedId: string): void;
  /** Every log entry up to this id is in this process's doc (read, or written by it). */
  readUpTo(room: string): string;
  closed(room: string): void;
}

/** For a store nobody follows (tools, tests): this process's own writes are all it has read. */
function createSoloLink(): RedisFollowLink {
  const readUpTo = new Map<string, string>();
  return {
    loaded: (room, start) => readUpTo.set(room, start.logId),
    registered: (room, _others, _epoch, appendedId) => readUpTo.set(room, appendedId),
    readUpTo: (room) => readUpTo.get(room) ?? '0-0',
    closed: (room) => readUpTo.delete(room),
  };
}

export interface RedisStoreOptions {
  /** How long a registration lasts without renewal; also how long folded entries stay readable. */
  registrationTtlMs?: number;
  /** The fan-out following these rooms; absent: nobody does. */
  link?: RedisFollowLink;
}

class RedisRoomLog implements RoomLog {
  length: number;
  bytes: number;
  /** Not kept in Redis: the snapshot and the log are the source of truth. */
  readonly stateVector = null;

  constructor(
    private readonly conn: RedisConnection,
    private readonly link: RedisFollowLink,
    private readonly ttlMs: number,
    readonly room: string,
    readonly loaded: Uint8Array[],
  ) {
    this.length = loaded.length;
    this.bytes = loaded.reduce((sum, u) => sum + u.byteLength, 0);
  }

  async append(updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return;
    // One entry per update, registered and appended in one script.
    const k = keys(this.room);
    let reply;
    try {
      reply = await this.conn.redis.easelAppend(k.log, k.aw, k.procs, this.conn.processId, this.ttlMs, ...updates.map(asBuffer));
    } catch (error) {
      throw wrapRedisError('append', this.room, error);
    }
    const [others, epoch, id] = reply;
    this.link.registered(this.room, Number(others), String(epoch), String(id));
    this.length += updates.length;
    for (const update of updates) this.bytes += update.byteLength;
  }

  async compact(build: BuildSnapshot): Promise<boolean> {
    // Only entries this process has read are folded; the script keeps recent ones in the stream
    // for processes that have not read them yet.
    const upTo = this.link.readUpTo(this.room);
    if (upTo === '0-0') return false;
    const k = keys(this.room);
    let stored;
    try {
      stored = await this.conn.redis.easelReadBuffer(k.log, k.snap, upTo);
    } catch (error) {
      throw wrapRedisError('compact', this.room, error);
    }
    const { updates } = storedUpdates(...stored);
    // Nothing after the snapshot (or a lone first entry): nothing to fold.
    if (updates.length < 2) return false;
    const folded = await build(updates);
    try {
      await this.conn.redis.easelCompact(k.log, k.snap, asBuffer(folded), upTo, nextId(upTo), this.ttlMs);
    } catch (error) {
      throw wrapRedisError('compact', this.room, error);
    }
    // Appends made while the snapshot was built stay in the log after it.
    this.length = Math.max(1, this.length - updates.length + 1);
    this.bytes = Math.max(folded.byteLength, this.bytes + folded.byteLength - updates.reduce((sum, update) => sum + update.byteLength, 0));
    return true;
  }

  close(): void {
    this.link.closed(this.room);
    // The load registered this process; others stop reading the log back at their next append
    // once the registration is gone.
    this.conn.redis
      .hdel(keys(this.room).procs, this.conn.processId)
      .catch((error: unknown) => this.conn.logger.warn({ err: error, room: this.room }, 'unregistering from a redis room failed'));
  }
}

/** Room names in keys `easel:{room}:log` and `easel:{room}:snap`. */
const ROOM_KEY = /^easel:\{(.+)\}:(log|snap)$/;

/**
 * The store on `conn`, which it owns: close() closes the connections (close the fan-out, and
 * whatever else was built on them, first).
 */
export function createRedisStore(conn: RedisConnection, options: RedisStoreOptions = {}): Store {
  const ttlMs = options.registrationTtlMs ?? DEFAULT_REGISTRATION_TTL_MS;
  const link = options.link ?? createSoloLink();
  const { redis } = conn;

  async function readStored(room: string): Promise<Uint8Array[]> {
    const k = keys(room);
    try {
      return storedUpdates(...(await redis.easelReadBuffer(k.log, k.snap, '+'))).updates;
    } catch (error) {
      throw wrapRedisError('read', room, error);
    }
  }

  return {
    async openRoom(room) {
      const k = keys(room);
      let reply;
      try {
        reply = await redis.easelLoadBuffer(k.log, k.snap, k.aw, k.procs, conn.processId, ttlMs);
      } catch (error) {
        throw wrapRedisError('load', room, error);
      }
      const [snapshot, snapshotId, entries, awId, others, epoch] = reply;
      const { updates: loaded, lastId: logId } = storedUpdates(snapshot, snapshotId, entries);
      // Followed from exactly where the load stopped: nothing in between is missed or applied twice.
      link.loaded(room, { logId, awId: awId.toString(), others: Number(others), epoch: epoch.toString() });
      return new RedisRoomLog(conn, link, ttlMs, room, loaded);
    },
    async readStateVector() {
      // Not stored separately in Redis: the snapshot and log are the source of truth.
      return null;
    },
    async readRoom(room) {
      const updates = await readStored(room);
      if (updates.length === 0) return null;
      return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    },
    async replaceRoom(room, state) {
      const k = keys(room);
      try {
        await redis.easelReplace(k.log, k.snap, asBuffer(state), conn.processId);
      } catch (error) {
        throw wrapRedisError('replace', room, error);
      }
    },
    async purgeRoom(room) {
      const k = keys(room);
      try {
        await redis.del(k.log, k.snap);
      } catch (error) {
        throw wrapRedisError('purge', room, error);
      }
    },
    async listRooms() {
      const rooms = new Set<string>();
      try {
        // A room has a log stream, a snapshot or both; SCAN may repeat keys, the set does not.
        let cursor = '0';
        do {
          const [next, found] = await redis.scan(cursor, 'MATCH', 'easel:{*}:*', 'COUNT', 1000);
          cursor = next;
          for (const key of found) {
            const match = ROOM_KEY.exec(key);
            if (match) rooms.add(match[1]!);
          }
        } while (cursor !== '0');
      } catch (error) {
        throw new StorageError(`redis: listing rooms failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return [...rooms].sort();
    },
    async probe() {
      // On the connection the appends use: it is their way to Redis that must work.
      try {
        await redis.ping();
      } catch (error) {
        throw new StorageError(`redis does not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    close: () => conn.close(),
  };
}
