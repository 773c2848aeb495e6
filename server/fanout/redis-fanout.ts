/**
 * Scale-out fan-out: every process follows, with XREAD on its own connection, the presence
 * streams of the rooms it has loaded, and their logs while another process has them loaded too
 * (redis-membership.ts), and hands what others wrote to the rooms. Streams are ordered and
 * replayable, so a slow follower catches up instead of losing messages as it would with pub/sub.
 * It shares the store's connections and key layout (server/store/redis-scripts.ts); the store
 * tells it where each load left a room's streams (RedisFollowLink).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { settleBy } from '../deadline.ts';
import type { RedisConnection } from '../store/redis-connection.ts';
import {
  AWARENESS_STREAM_LENGTH,
  DEFAULT_REGISTRATION_TTL_MS,
  field,
  keys,
  storedUpdates,
  wrapRedisError,
  type ScriptedRedis,
  type StreamEntry,
} from '../store/redis-scripts.ts';
import type { FollowStart, RedisFollowLink } from '../store/redis-store.ts';
import type { Fanout, RemoteHandlers, RoomChannel } from './fanout.ts';
import { compareIds, RoomFollowState } from './redis-membership.ts';

/** How many entries one XREAD returns at most; a lagging follower catches up in rounds. */
const READ_COUNT = 500;
/** The longest a follower blocks before re-reading its room list. */
const BLOCK_MS = 1000;
/**
 * Pause after a read that returned entries, so the next one gathers what arrives meanwhile.
 * Each XREAD names every followed stream, so under load re-issuing it at once costs more in
 * command encoding (here and in Redis) than the entries it returns; a few milliseconds of
 * cross-process latency buys reads that carry many entries each.
 */
const GATHER_MS = 3;
/** How long close() waits for the follower loop. */
const CLOSE_WAIT_MS = 1_000;

/** One followed room: where its streams were read up to, and who gets what arrives. */
interface Followed {
  state: RoomFollowState;
  handlers: RemoteHandlers | null;
  /** What arrived before the room subscribed; handed over, in order, when it does. */
  early: Array<{ kind: 'log' | 'aw'; data: Uint8Array }>;
  /** A catch-up read of the stored state is in flight (see RedisStore.catchUp). */
  catchingUp: boolean;
  /** The newest trimmed entry a catch-up read has brought in ('0-0': none yet; a load holds all). */
  caughtUpTo: string;
}

class RedisFanout implements RedisFollowLink {
  private readonly followed = new Map<string, Followed>();
  private stopped = false;
  private followerClientId: number | null = null;
  /** Set while the follower sleeps with no room to follow. */
  private idleWake: (() => void) | null = null;
  private readonly loop: Promise<void>;
  private readonly heartbeat: NodeJS.Timeout;

  private readonly redis: ScriptedRedis;
  private readonly follower: Redis;
  private readonly processId: string;
  private readonly logger: Logger;

  constructor(
    conn: RedisConnection,
    private readonly registrationTtlMs: number,
  ) {
    this.redis = conn.redis;
    this.follower = conn.follower;
    this.processId = conn.processId;
    this.logger = conn.logger;
    this.loop = this.follow();
    // Renewed well within their lifetime.
    this.heartbeat = setInterval(() => this.renewRegistrations(), registrationTtlMs / 3);
    this.heartbeat.unref();
  }

  loaded(room: string, start: FollowStart): void {
    const state = new RoomFollowState(start);
    this.followed.set(room, { state, handlers: null, early: [], catchingUp: false, caughtUpTo: '0-0' });
    this.wake();
  }

  readUpTo(room: string): string {
    return this.followed.get(room)?.state.logId ?? '0-0';
  }

  closed(room: string): void {
    this.followed.delete(room);
    this.wake();
  }

  join(room: string): RoomChannel {
    const followed = this.followed.get(room);
    const aw = keys(room).aw;
    return {
      follow: (handlers) => {
        if (!followed) return;
        followed.handlers = handlers;
        for (const { kind, data } of followed.early.splice(0)) {
          if (kind === 'log') handlers.updates([data]);
          else handlers.awareness(data);
        }
      },
      publishAwareness: (update) => {
        this.redis
          .xadd(aw, 'MAXLEN', '~', AWARENESS_STREAM_LENGTH, '*', 'p', this.processId, 'a', Buffer.from(update))
          .catch((error: unknown) => this.logger.warn({ err: error, room }, 'publishing awareness to redis failed'));
      },
      close: () => {
        // The store's log forgets the room itself when it closes; until then nothing more is delivered.
        if (followed) followed.handlers = null;
      },
    };
  }

  /** A registration's outcome for `room`; starts reading its log if it has just become shared. */
  registered(room: string, others: number, epoch: string, appendedId?: string): void {
    const followed = this.followed.get(room);
    if (followed?.state.registered(others, epoch, appendedId)) this.wake();
  }

  /**
   * Keeps this process registered in every loaded room, so others keep reading what it writes,
   * and checks that it has not fallen behind the log's trimming.
   */
  private renewRegistrations(): void {
    for (const [room, { state }] of this.followed) {
      const k = keys(room);
      // Where the follower was when the mark was asked for: it may read on past the trimmed
      // entries before the answer comes (see catchUp).
      const readBefore = state.logId;
      this.redis
        .easelHeartbeat(k.aw, k.procs, k.snap, this.processId, this.registrationTtlMs)
        .then(([others, epoch, trimmed]) => {
          this.registered(room, Number(others), String(epoch));
          if (trimmed) this.catchUp(room, String(trimmed), readBefore);
        })
        .catch((error: unknown) => this.logger.warn({ err: error, room }, 'renewing a redis room registration failed'));
    }
  }

  /**
   * Compaction keeps folded entries in the stream for the registration TTL only. A process that
   * stalled longer than that (a partition from Redis, a frozen VM) resumes its XREAD after its
   * last id and never sees the entries trimmed meanwhile, so its clients would silently diverge.
   * Once the newest trimmed id is past what this process had read when it asked (`readBefore`),
   * it reads the snapshot (which holds every trimmed entry) and the log after it again, and the
   * room applies what it lacked. Not what it has read by the time the answer comes: a follower
   * that was cut off resumes with the entries left after the trimmed ones, and may have read them
   * by then. In normal running the mark stays a registration TTL behind what was read, so this
   * reads again only after a stall about that long.
   */
  private catchUp(room: string, trimmed: string, readBefore: string): void {
    const followed = this.followed.get(room);
    if (!followed?.handlers || followed.catchingUp) return;
    if (compareIds(readBefore, trimmed) >= 0 || compareIds(followed.caughtUpTo, trimmed) >= 0) return;
    followed.catchingUp = true;
    this.logger.warn({ room, readUpTo: followed.state.logId, trimmed }, 'this process fell behind the trimmed redis log; reading the stored state again');
    const k = keys(room);
    this.redis
      .easelReadBuffer(k.log, k.snap, '+')
      .then((stored) => {
        if (this.followed.get(room) !== followed || !followed.handlers) return;
        const { updates, lastId } = storedUpdates(...stored);
        // The follower goes on after this; what it had read beyond it is in the doc already.
        if (compareIds(lastId, followed.state.logId) > 0) followed.state.readLog(lastId);
        followed.handlers.missed(updates);
        if (compareIds(trimmed, followed.caughtUpTo) > 0) followed.caughtUpTo = trimmed;
      })
      .catch((error: unknown) => this.logger.error({ err: wrapRedisError('catch-up read', room, error), room }, 'reading the stored state again failed; retrying at the next heartbeat'))
      .finally(() => {
        followed.catchingUp = false;
      });
  }

  /** Interrupts a blocked XREAD so a new room list takes effect at once. */
  wake(): void {
    if (this.idleWake) {
      this.idleWake();
      return;
    }
    if (this.followerClientId === null) return;
    this.redis.client('UNBLOCK', this.followerClientId).catch((error: unknown) => this.logger.debug({ err: error }, 'unblock failed'));
  }

  private async follow(): Promise<void> {
    this.followerClientId = Number(await this.follower.client('ID'));
    while (!this.stopped) {
      const rooms = [...this.followed.entries()];
      if (rooms.length === 0) {
        // Nothing to follow: sleep until a room is opened (or the store closes).
        await new Promise<void>((resolve) => (this.idleWake = resolve));
        this.idleWake = null;
        continue;
      }
      const streams: string[] = [];
      const ids: string[] = [];
      for (const [room, { state }] of rooms) {
        const k = keys(room);
        streams.push(k.aw);
        ids.push(state.awId);
        if (!state.shared) continue;
        streams.push(k.log);
        ids.push(state.logId);
      }
      let reply: Array<[Buffer, StreamEntry[]]> | null;
      try {
        reply = (await this.follower.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', ...streams, ...ids)) as Array<[Buffer, StreamEntry[]]> | null;
      } catch (error) {
        if (this.stopped) return;
        this.logger.error({ err: error }, 'reading redis streams failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (!reply) continue;
      for (const [streamKey, entries] of reply) this.dispatch(streamKey.toString(), entries);
      await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
    }
  }

  private dispatch(streamKey: string, entries: StreamEntry[]): void {
    const match = /^easel:\{(.+)\}:(log|aw)$/.exec(streamKey);
    if (!match) return;
    const [, room, kind] = match as unknown as [string, string, 'log' | 'aw'];
    const followed = this.followed.get(room);
    if (!followed) return;
    const { state } = followed;
    const updates: Uint8Array[] = [];
    for (const [rawId, fields] of entries) {
      const id = rawId.toString();
      const fromSelf = field(fields, 'p')?.toString() === this.processId;
      if (kind === 'log') {
        // Already in the doc: a catch-up read got past this XREAD's starting point meanwhile.
        if (compareIds(id, state.logId) <= 0) continue;
        state.readLog(id);
      } else state.awId = id;
      // Another process loaded the room: read the log from here on (taken up by the next XREAD).
      if (kind === 'aw' && !fromSelf && field(fields, 'j')) state.joined(id);
      const data = field(fields, kind === 'log' ? 'u' : 'a');
      if (fromSelf || !data) continue;
      const bytes = new Uint8Array(data);
      if (!followed.handlers) followed.early.push({ kind, data: bytes });
      else if (kind === 'log') updates.push(bytes);
      else followed.handlers.awareness(bytes);
    }
    // Handed over together, so the room applies one read's entries in one transaction.
    if (updates.length > 0) followed.handlers?.updates(updates);
  }

  /** Stops following; the connections stay for the store to close. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.idleWake?.();
    // Ends a blocked XREAD at once; the follower connection serves nothing else.
    this.follower.disconnect();
    await settleBy(this.loop.catch(() => undefined), performance.now() + CLOSE_WAIT_MS);
  }
}

/** The Redis fan-out on `conn`, and the link its store reports loads and appends to. */
export function createRedisFanout(conn: RedisConnection, registrationTtlMs = DEFAULT_REGISTRATION_TTL_MS): Fanout & { readonly link: RedisFollowLink } {
  const fanout = new RedisFanout(conn, registrationTtlMs);
  return {
    shared: true,
    join: (room) => fanout.join(room),
    close: () => fanout.close(),
    link: fanout,
  };
}
