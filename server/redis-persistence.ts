/**
 * Scale-out store: every Easel process keeps its rooms in one Redis, so any process can serve any
 * room and none owns data the others need.
 *
 * Per room (room names never contain ':' or '{'):
 *   easel:{room}:log    a stream, one entry per stored update: u = update bytes, p = process id
 *   easel:{room}:snap   a hash: data = the merged state of every log entry up to id; trimmed =
 *                       the newest entry trimmed from the log so far
 *   easel:{room}:aw     a capped stream of awareness updates (a = bytes) and join notices
 *                       (j = 1), p = process id
 *   easel:{room}:procs  a hash: process id → registration expiry (ms, Redis clock), and epoch =
 *                       the id of the newest join notice (see redis-membership.ts)
 *
 * An update is stored once (XADD by the process that received it) and only then relayed by it;
 * every process follows the presence streams of the rooms it has loaded with XREAD, and their
 * logs while another process has them loaded too, and applies the entries others wrote.
 * Streams are ordered and replayable, so a slow follower catches up instead of losing messages
 * as it would with pub/sub. Compaction folds the log into the snapshot and trims it, in a Lua
 * script so two processes compacting at once cannot go back.
 */
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { StorageError } from './errors.ts';
import { settleBy, TIMED_OUT } from './deadline.ts';
import type { Persistence, RoomLog, RemoteHandlers } from './persistence.ts';
import { compareIds, RoomFollowState } from './redis-membership.ts';
import type { BuildSnapshot } from './snapshots.ts';

/** Awareness entries kept per room: presence is only replayed to followers that lag behind. */
const AWARENESS_STREAM_LENGTH = 1000;
/** How many entries one XREAD returns at most; a lagging follower catches up in rounds. */
const READ_COUNT = 500;
/** The longest a follower blocks before re-reading its room list. */
const BLOCK_MS = 1000;
/**
 * How long a registration lasts without renewal: how long a crashed process keeps others reading.
 * Also how long a log entry stays in the stream after a snapshot holds it, for followers behind.
 */
const DEFAULT_REGISTRATION_TTL_MS = 30_000;
/**
 * Pause after a read that returned entries, so the next one gathers what arrives meanwhile.
 * Each XREAD names every followed stream, so under load re-issuing it at once costs more in
 * command encoding (here and in Redis) than the entries it returns; a few milliseconds of
 * cross-process latency buys reads that carry many entries each.
 */
const GATHER_MS = 3;

const keys = (room: string) => ({
  log: `easel:{${room}}:log`,
  snap: `easel:{${room}}:snap`,
  aw: `easel:{${room}}:aw`,
  procs: `easel:{${room}}:procs`,
});

/** Compares two stream ids "ms-seq" in Lua; returns -1, 0, 1. */
const LUA_COMPARE = `
local function cmp(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  if am ~= bm then return am < bm and -1 or 1 end
  if as ~= bs then return as < bs and -1 or 1 end
  return 0
end
`;

/**
 * Registers process ARGV[1] in the procs hash KEYS[procs] for ARGV[2] ms; a process that was not
 * registered writes a join notice to the presence stream KEYS[aw], whose id becomes the epoch.
 * Drops expired entries, and returns {live processes other than this one, epoch}.
 */
const LUA_REGISTER = `
local function register(procs, aw, pid, ttl)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local mine = tonumber(redis.call('HGET', procs, pid) or '0')
  if mine <= now then
    local notice = redis.call('XADD', aw, 'MAXLEN', '~', ${AWARENESS_STREAM_LENGTH}, '*', 'p', pid, 'j', '1')
    redis.call('HSET', procs, 'epoch', notice)
  end
  redis.call('HSET', procs, pid, now + tonumber(ttl))
  local others = 0
  local all = redis.call('HGETALL', procs)
  for i = 1, #all, 2 do
    local name = all[i]
    if name ~= pid and name ~= 'epoch' then
      if tonumber(all[i + 1]) > now then others = others + 1 else redis.call('HDEL', procs, name) end
    end
  end
  return {others, redis.call('HGET', procs, 'epoch')}
end
`;

/**
 * A room's stored state: the snapshot and the log entries after it up to `upTo`, read in one
 * script so a concurrent compaction or trim cannot split them. {data, id, entries}.
 */
const LUA_READ_STORED = `
local function readStored(log, snapKey, upTo)
  local snap = redis.call('HMGET', snapKey, 'data', 'id')
  local start = '-'
  if snap[2] then start = '(' .. snap[2] end
  return {snap[1] or false, snap[2] or false, redis.call('XRANGE', log, start, upTo)}
end
`;

/**
 * Registers (as above), then reads the stored state, so no entry falls between the load and the
 * registration.
 */
const LUA_LOAD = `${LUA_REGISTER}${LUA_READ_STORED}
local membership = register(KEYS[4], KEYS[3], ARGV[1], ARGV[2])
local stored = readStored(KEYS[1], KEYS[2], '+')
local awLast = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
local awId = '0-0'
if awLast[1] then awId = awLast[1][1] end
return {stored[1], stored[2], stored[3], awId, membership[1], membership[2]}
`;

/** The stored state up to ARGV[1]: what a compaction folds, or all of it for a catch-up. */
const LUA_READ = `${LUA_READ_STORED}
return readStored(KEYS[1], KEYS[2], ARGV[1])
`;

/** Registers (as above) and appends ARGV[3..] to the log; returns {others, epoch, last id}. */
const LUA_APPEND = `${LUA_REGISTER}
local membership = register(KEYS[3], KEYS[2], ARGV[1], ARGV[2])
local id
for i = 3, #ARGV do id = redis.call('XADD', KEYS[1], '*', 'p', ARGV[1], 'u', ARGV[i]) end
return {membership[1], membership[2], id}
`;

/** Renews the registration: {others, epoch, the newest trimmed log entry's id or false}. */
const LUA_HEARTBEAT = `${LUA_REGISTER}
local membership = register(KEYS[2], KEYS[1], ARGV[1], ARGV[2])
return {membership[1], membership[2], redis.call('HGET', KEYS[3], 'trimmed') or false}
`;

/**
 * Stores a snapshot covering ids ≤ ARGV[2] unless a newer one is there, then trims the log below
 * ARGV[3], keeping entries younger than ARGV[4] ms (Redis clock) even if the snapshot holds them.
 * Another process following the log may not have read them yet: XREAD continues after the last id
 * it read, so an entry trimmed before it got there would never reach its clients. Loads and
 * compactions read only after the snapshot's id, so the entries kept cost memory, not time.
 * A reader further behind than that is caught by the `trimmed` mark (see RedisStore.catchUp).
 */
const LUA_COMPACT = `${LUA_COMPARE}
local current = redis.call('HGET', KEYS[2], 'id')
if current and cmp(current, ARGV[2]) >= 0 then return 0 end
redis.call('HSET', KEYS[2], 'data', ARGV[1], 'id', ARGV[2])
local t = redis.call('TIME')
local cutoff = string.format('%d-0', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[4]))
local minId = ARGV[3]
if cmp(cutoff, minId) < 0 then minId = cutoff end
local gone = redis.call('XREVRANGE', KEYS[1], '(' .. minId, '-', 'COUNT', 1)
if gone[1] then
  local was = redis.call('HGET', KEYS[2], 'trimmed')
  if not was or cmp(was, gone[1][1]) < 0 then redis.call('HSET', KEYS[2], 'trimmed', gone[1][1]) end
end
redis.call('XTRIM', KEYS[1], 'MINID', minId)
return 1
`;

type StreamEntry = [id: Buffer, fields: Buffer[]];

interface ScriptedRedis extends Redis {
  easelLoadBuffer(log: string, snap: string, aw: string, procs: string, pid: string, ttl: number): Promise<[Buffer | null, Buffer | null, StreamEntry[], Buffer, number, Buffer]>;
  easelAppend(log: string, aw: string, procs: string, pid: string, ttl: number, ...updates: Buffer[]): Promise<[number, string, string]>;
  easelHeartbeat(aw: string, procs: string, snap: string, pid: string, ttl: number): Promise<[number, string, string | null]>;
  easelReadBuffer(log: string, snap: string, upTo: string): Promise<[Buffer | null, Buffer | null, StreamEntry[]]>;
  easelCompact(log: string, snap: string, data: Buffer, id: string, minId: string, keepMs: number): Promise<number>;
}

function field(fields: Buffer[], name: string): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === name) return fields[i + 1];
  return undefined;
}

/**
 * A stored state as the scripts return it (snapshot, its id, the log entries after it): the
 * updates in log order, and the id they reach.
 */
function storedUpdates(snapshot: Buffer | null, snapshotId: Buffer | null, entries: StreamEntry[]): { updates: Uint8Array[]; lastId: string } {
  const updates: Uint8Array[] = snapshot ? [new Uint8Array(snapshot)] : [];
  let lastId = snapshotId ? snapshotId.toString() : '0-0';
  for (const [id, fields] of entries) {
    const update = field(fields, 'u');
    if (update) updates.push(new Uint8Array(update));
    lastId = id.toString();
  }
  return { updates, lastId };
}

/** How long close() waits for the follower loop, then for QUIT. */
const CLOSE_WAIT_MS = 1_000;
function wrapClose(error: unknown): StorageError {
  return new StorageError(`closing the redis connection failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

function wrap(action: string, room: string, error: unknown): StorageError {
  return new StorageError(`redis ${action} failed for room ${room}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

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

class RedisRoomLog implements RoomLog {
  length: number;
  bytes: number;
  /** Not kept in Redis: the snapshot and the log are the source of truth. */
  readonly stateVector = null;

  constructor(
    private readonly store: RedisStore,
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
    const bytes = updates.map((update) => Buffer.from(update.buffer, update.byteOffset, update.byteLength));
    let reply;
    try {
      reply = await this.store.redis.easelAppend(k.log, k.aw, k.procs, this.store.processId, this.store.registrationTtlMs, ...bytes);
    } catch (error) {
      throw wrap('append', this.room, error);
    }
    const [others, epoch, id] = reply;
    this.store.registered(this.room, Number(others), String(epoch), String(id));
    this.length += updates.length;
    for (const update of updates) this.bytes += update.byteLength;
  }

  async compact(build: BuildSnapshot): Promise<boolean> {
    const followed = this.store.followed.get(this.room);
    // Only entries this process has read are folded; the script keeps recent ones in the stream
    // for processes that have not read them yet.
    const upTo = followed?.state.logId ?? '0-0';
    if (upTo === '0-0') return false;
    const k = keys(this.room);
    let stored;
    try {
      stored = await this.store.redis.easelReadBuffer(k.log, k.snap, upTo);
    } catch (error) {
      throw wrap('compact', this.room, error);
    }
    const { updates } = storedUpdates(...stored);
    // Nothing after the snapshot (or a lone first entry): nothing to fold.
    if (updates.length < 2) return false;
    const folded = await build(updates);
    try {
      await this.store.redis.easelCompact(k.log, k.snap, Buffer.from(folded.buffer, folded.byteOffset, folded.byteLength), upTo, nextId(upTo), this.store.registrationTtlMs);
    } catch (error) {
      throw wrap('compact', this.room, error);
    }
    // Appends made while the snapshot was built stay in the log after it.
    this.length = Math.max(1, this.length - updates.length + 1);
    this.bytes = Math.max(folded.byteLength, this.bytes + folded.byteLength - updates.reduce((sum, update) => sum + update.byteLength, 0));
    return true;
  }

  subscribe(handlers: RemoteHandlers): void {
    const followed = this.store.followed.get(this.room);
    if (!followed) return;
    followed.handlers = handlers;
    for (const { kind, data } of followed.early.splice(0)) {
      if (kind === 'log') handlers.updates([data]);
      else handlers.awareness(data);
    }
  }

  publishAwareness(update: Uint8Array): void {
    this.store.redis
      .xadd(keys(this.room).aw, 'MAXLEN', '~', AWARENESS_STREAM_LENGTH, '*', 'p', this.store.processId, 'a', Buffer.from(update))
      .catch((error: unknown) => this.store.logger.warn({ err: error, room: this.room }, 'publishing awareness to redis failed'));
  }

  close(): void {
    this.store.followed.delete(this.room);
    this.store.wake();
    // Others stop reading the log back at their next append once this registration is gone.
    this.store.redis
      .hdel(keys(this.room).procs, this.store.processId)
      .catch((error: unknown) => this.store.logger.warn({ err: error, room: this.room }, 'unregistering from a redis room failed'));
  }
}

class RedisStore implements Persistence {
  readonly processId = randomUUID();
  readonly followed = new Map<string, Followed>();
  private closed = false;
  private followerClientId: number | null = null;
  /** Set while the follower sleeps with no room to follow. */
  private idleWake: (() => void) | null = null;
  private readonly loop: Promise<void>;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly redis: ScriptedRedis,
    private readonly follower: Redis,
    readonly logger: Logger,
    readonly registrationTtlMs: number,
  ) {
    this.loop = this.follow();
    // Renewed well within their lifetime.
    this.heartbeat = setInterval(() => this.renewRegistrations(), registrationTtlMs / 3);
    this.heartbeat.unref();
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
      .catch((error: unknown) => this.logger.error({ err: wrap('catch-up read', room, error), room }, 'reading the stored state again failed; retrying at the next heartbeat'))
      .finally(() => {
        followed.catchingUp = false;
      });
  }

  async openRoom(room: string): Promise<RoomLog> {
    const k = keys(room);
    let reply;
    try {
      reply = await this.redis.easelLoadBuffer(k.log, k.snap, k.aw, k.procs, this.processId, this.registrationTtlMs);
    } catch (error) {
      throw wrap('load', room, error);
    }
    const [snapshot, snapshotId, entries, awId, others, epoch] = reply;
    const { updates: loaded, lastId: logId } = storedUpdates(snapshot, snapshotId, entries);
    // Follow from exactly where the load stopped: nothing in between is missed or applied twice.
    const state = new RoomFollowState({ logId, awId: awId.toString(), others: Number(others), epoch: epoch.toString() });
    this.followed.set(room, { state, handlers: null, early: [], catchingUp: false, caughtUpTo: '0-0' });
    this.wake();
    return new RedisRoomLog(this, room, loaded);
  }

  async readStateVector(): Promise<Uint8Array | null> {
    // Not stored separately in Redis: the snapshot and log are the source of truth.
    return null;
  }

  async probe(): Promise<void> {
    // On the connection the appends use: it is their way to Redis that must work.
    try {
      await this.redis.ping();
    } catch (error) {
      throw new StorageError(`redis does not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
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
    while (!this.closed) {
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
        if (this.closed) return;
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

  /**
   * Stops following and closes both connections. Bounded: ioredis does not fail a command that
   * waits in its offline queue while it reconnects, so with Redis down neither the follower's
   * XREAD nor a QUIT would ever settle. Rejects if Redis did not take the QUIT in time.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.idleWake?.();
    this.follower.disconnect();
    await settleBy(this.loop.catch(() => undefined), performance.now() + CLOSE_WAIT_MS);
    try {
      const quit = await settleBy(this.redis.quit(), performance.now() + CLOSE_WAIT_MS);
      if (quit === TIMED_OUT) throw new StorageError(`redis did not answer QUIT within ${CLOSE_WAIT_MS} ms`);
    } catch (error) {
      throw error instanceof StorageError ? error : wrapClose(error);
    } finally {
      this.redis.disconnect();
    }
  }
}

/** How long start-up waits for Redis to accept both connections and answer. */
const CONNECT_TIMEOUT_MS = 10_000;

/** A connection error in words, with the system's code where it has one. */
function describeConnectError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is redis-server running and listening on that address?)',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ECONNRESET: 'connection reset by the server',
  };
  return code !== undefined && known[code] ? `${known[code]} [${code}]` : error.message;
}

/** The URL without its password, fit for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Connects to Redis at `url` and returns a store shared with every other Easel process using it. */
export async function createRedisPersistence(url: string, logger: Logger, registrationTtlMs = DEFAULT_REGISTRATION_TTL_MS): Promise<Persistence> {
  const options = { protocol: 2 as const, lazyConnect: true, maxRetriesPerRequest: 3 };
  // Auto-pipelining sends the commands of one event-loop turn (the appends of every room that
  // received updates in it) in one socket write: measured as the largest cost of an append.
  const redis = new Redis(url, { ...options, enableAutoPipelining: true }) as ScriptedRedis;
  const follower = new Redis(url, { ...options, maxRetriesPerRequest: null });
  // While connecting, the socket's own error (connection refused, host not found) is kept for
  // the one message that start-up prints; ioredis's rejection only says "Connection is closed."
  let cause: Error | null = null;
  const keepCause = (error: Error): void => {
    cause ??= error;
  };
  for (const client of [redis, follower]) client.on('error', keepCause);
  const connected = await settleBy(
    Promise.all([redis.connect(), follower.connect()]).catch((error: unknown) => error as Error),
    performance.now() + CONNECT_TIMEOUT_MS,
  );
  if (connected === TIMED_OUT || connected instanceof Error) {
    redis.disconnect();
    follower.disconnect();
    const reason = connected === TIMED_OUT ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s` : describeConnectError(cause ?? connected);
    throw new StorageError(`cannot connect to redis at ${redactUrl(url)}: ${reason}`, { cause: cause ?? (connected === TIMED_OUT ? undefined : connected) });
  }
  for (const client of [redis, follower]) {
    client.off('error', keepCause);
    client.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
  }
  redis.defineCommand('easelLoad', { numberOfKeys: 4, lua: LUA_LOAD });
  redis.defineCommand('easelAppend', { numberOfKeys: 3, lua: LUA_APPEND });
  redis.defineCommand('easelHeartbeat', { numberOfKeys: 3, lua: LUA_HEARTBEAT });
  redis.defineCommand('easelRead', { numberOfKeys: 2, lua: LUA_READ });
  redis.defineCommand('easelCompact', { numberOfKeys: 2, lua: LUA_COMPACT });
  return new RedisStore(redis, follower, logger, registrationTtlMs);
}
