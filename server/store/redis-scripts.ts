/**
 * What the Redis store (server/store/redis-store.ts) and the Redis fan-out
 * (server/fanout/redis-fanout.ts) share: the key layout and the Lua scripts.
 *
 * Per room (room names never contain ':' or '{'):
 *   easel:{room}:log    a stream, one entry per stored update: u = update bytes, p = process id
 *   easel:{room}:snap   a hash: data = the merged state of every log entry up to id; trimmed =
 *                       the newest entry trimmed from the log so far
 *   easel:{room}:aw     a capped stream of awareness updates (a = bytes) and join notices
 *                       (j = 1), p = process id
 *   easel:{room}:procs  a hash: process id → registration expiry (ms, Redis clock), and epoch =
 *                       the id of the newest join notice (see server/fanout/redis-membership.ts)
 *
 * A process registers in a room atomically with its load and each append (the scripts below), so
 * that whether it must read the log back (redis-membership.ts) is decided from what Redis saw.
 */
import type { Redis } from 'ioredis';
import { StorageError } from '../errors.ts';

/** Awareness entries kept per room: presence is only replayed to followers that lag behind. */
export const AWARENESS_STREAM_LENGTH = 1000;
/**
 * How long a registration lasts without renewal: how long a crashed process keeps others reading.
 * Also how long a log entry stays in the stream after a snapshot holds it, for followers behind.
 */
export const DEFAULT_REGISTRATION_TTL_MS = 30_000;
/** The Redis keys of one room (see above). */
export const keys = (room: string) => ({
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
 * A reader further behind than that is caught by the `trimmed` mark (see redis-fanout.ts, catchUp).
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

/**
 * Makes the log exactly ARGV[1]: appends it as an entry, makes it the snapshot (with that id) and
 * trims the whole stream. The stream itself stays, so later ids keep growing past the snapshot's.
 */
const LUA_REPLACE = `
local id = redis.call('XADD', KEYS[1], '*', 'p', ARGV[2], 'u', ARGV[1])
redis.call('HSET', KEYS[2], 'data', ARGV[1], 'id', id, 'trimmed', id)
redis.call('XTRIM', KEYS[1], 'MAXLEN', 0)
return id
`;

export type StreamEntry = [id: Buffer, fields: Buffer[]];

export interface ScriptedRedis extends Redis {
  easelLoadBuffer(log: string, snap: string, aw: string, procs: string, pid: string, ttl: number): Promise<[Buffer | null, Buffer | null, StreamEntry[], Buffer, number, Buffer]>;
  easelAppend(log: string, aw: string, procs: string, pid: string, ttl: number, ...updates: Buffer[]): Promise<[number, string, string]>;
  easelHeartbeat(aw: string, procs: string, snap: string, pid: string, ttl: number): Promise<[number, string, string | null]>;
  easelReadBuffer(log: string, snap: string, upTo: string): Promise<[Buffer | null, Buffer | null, StreamEntry[]]>;
  easelCompact(log: string, snap: string, data: Buffer, id: string, minId: string, keepMs: number): Promise<number>;
  easelReplace(log: string, snap: string, data: Buffer, pid: string): Promise<string>;
}

export function field(fields: Buffer[], name: string): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === name) return fields[i + 1];
  return undefined;
}

/**
 * A stored state as the scripts return it (snapshot, its id, the log entries after it): the
 * updates in log order, and the id they reach.
 */
export function storedUpdates(snapshot: Buffer | null, snapshotId: Buffer | null, entries: StreamEntry[]): { updates: Uint8Array[]; lastId: string } {
  const updates: Uint8Array[] = snapshot ? [new Uint8Array(snapshot)] : [];
  let lastId = snapshotId ? snapshotId.toString() : '0-0';
  for (const [id, fields] of entries) {
    const update = field(fields, 'u');
    if (update) updates.push(new Uint8Array(update));
    lastId = id.toString();
  }
  return { updates, lastId };
}

export function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

export function wrapRedisError(action: string, room: string, error: unknown): StorageError {
  return new StorageError(`redis ${action} failed for room ${room}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Teaches `redis` the scripts above (ioredis loads each on first use, then calls it by hash). */
export function defineScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand('easelLoad', { numberOfKeys: 4, lua: LUA_LOAD });
  redis.defineCommand('easelAppend', { numberOfKeys: 3, lua: LUA_APPEND });
  redis.defineCommand('easelHeartbeat', { numberOfKeys: 3, lua: LUA_HEARTBEAT });
  redis.defineCommand('easelRead', { numberOfKeys: 2, lua: LUA_READ });
  redis.defineCommand('easelCompact', { numberOfKeys: 2, lua: LUA_COMPACT });
  redis.defineCommand('easelReplace', { numberOfKeys: 2, lua: LUA_REPLACE });
  return redis as ScriptedRedis;
}

/** A Buffer over the same bytes (ioredis sends Buffers as they are). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
