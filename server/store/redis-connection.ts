/**
 * The connections one Easel process keeps to Redis: `redis` for commands (the store's scripts,
 * presence, heartbeats; auto-pipelined), `follower` for the fan-out's blocking XREAD. The store,
 * the fan-out (and an archive) share them; the factory closes them last.
 */
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { StorageError } from '../errors.ts';
import { settleBy, TIMED_OUT } from '../deadline.ts';
import { defineScripts, type ScriptedRedis } from './redis-scripts.ts';

export interface RedisConnection {
  readonly redis: ScriptedRedis;
  /** Blocks in XREAD: only the fan-out's follower loop uses it. */
  readonly follower: Redis;
  /** This process in the rooms' `procs` hashes and in the `p` field of what it writes. */
  readonly processId: string;
  readonly logger: Logger;
  /**
   * Closes both connections. Bounded: ioredis does not fail a command that waits in its offline
   * queue while it reconnects, so with Redis down a QUIT would never settle. Rejects if Redis did
   * not take the QUIT in time.
   */
  close(): Promise<void>;
}

/** How long close() waits for QUIT. */
const CLOSE_WAIT_MS = 1_000;

function wrapClose(error: unknown): StorageError {
  return new StorageError(`closing the redis connection failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
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

/** Connects to Redis at `url`; a StorageError that says why if it cannot within CONNECT_TIMEOUT_MS. */
export async function connectRedis(url: string, logger: Logger): Promise<RedisConnection> {
  const options = { protocol: 2 as const, lazyConnect: true, maxRetriesPerRequest: 3 };
  // Auto-pipelining sends the commands of one event-loop turn (the appends of every room that
  // received updates in it) in one socket write: measured as the largest cost of an append.
  const redis = new Redis(url, { ...options, enableAutoPipelining: true });
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
  return {
    redis: defineScripts(redis),
    follower,
    processId: randomUUID(),
    logger,
    async close() {
      follower.disconnect();
      try {
        const quit = await settleBy(redis.quit(), performance.now() + CLOSE_WAIT_MS);
        if (quit === TIMED_OUT) throw new StorageError(`redis did not answer QUIT within ${CLOSE_WAIT_MS} ms`);
      } catch (error) {
        throw error instanceof StorageError ? error : wrapClose(error);
      } finally {
        redis.disconnect();
      }
    },
  };
}
