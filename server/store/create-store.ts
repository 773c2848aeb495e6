/**
 * The one place that picks the backend from the configuration: a Redis URL means scale-out
 * (Redis store and Redis fan-out on one connection set), otherwise LevelDB in the data folder
 * with the local fan-out. Each backend opens one database handle, exposed as `backend` so that
 * what else is kept beside the logs (server/store/archive.ts) is built on the same handle with
 * createArchive(opened.backend). The archive does not close the handle; `close()` below does,
 * after the fan-out.
 */
import type { Logger } from 'pino';
import type { Fanout } from '../fanout/fanout.ts';
import type { Archive } from './archive.ts';
import { createLevelArchive } from './level-archive.ts';
import { createRedisArchive } from './redis-archive.ts';
import { createLocalFanout } from '../fanout/local-fanout.ts';
import { createRedisFanout } from '../fanout/redis-fanout.ts';
import { createLevelStore, openLevelDb, type LevelDb } from './level-store.ts';
import { connectRedis } from './redis-connection.ts';
import type { ScriptedRedis } from './redis-scripts.ts';
import { createRedisStore } from './redis-store.ts';
import type { Store } from './store.ts';

export interface StoreConfig {
  /** LevelDB folder, used when redisUrl is null. */
  dataDir: string;
  redisUrl: string | null;
  /** Redis only: how long a process's registration in a room lasts without renewal. */
  redisRegistrationTtlMs?: number;
  logger: Logger;
}

/** The database handle both the store and an archive work on. */
export type StoreBackend = { kind: 'level'; db: LevelDb } | { kind: 'redis'; redis: ScriptedRedis };

export interface OpenedStore {
  store: Store;
  fanout: Fanout;
  backend: StoreBackend;
  /** Stops the fan-out, then closes the store and its handle. */
  close(): Promise<void>;
}

/** Opens the store and fan-out the configuration asks for; a StorageError if it cannot. */
export async function createStore(config: StoreConfig): Promise<OpenedStore> {
  if (config.redisUrl !== null) {
    const conn = await connectRedis(config.redisUrl, config.logger);
    const fanout = createRedisFanout(conn, config.redisRegistrationTtlMs);
    const store = createRedisStore(conn, { link: fanout.link, ...(config.redisRegistrationTtlMs !== undefined && { registrationTtlMs: config.redisRegistrationTtlMs }) });
    return { store, fanout, backend: { kind: 'redis', redis: conn.redis }, close: () => closeBoth(fanout, store) };
  }
  const db = await openLevelDb(config.dataDir);
  const store = createLevelStore(db);
  const fanout = createLocalFanout();
  return { store, fanout, backend: { kind: 'level', db }, close: () => closeBoth(fanout, store) };
}

/** The archive (versions, board index, assets) on the same database handle as the store's logs. */
export function createArchive(backend: StoreBackend): Archive {
  return backend.kind === 'level' ? createLevelArchive(backend.db) : createRedisArchive(backend.redis);
}

/** A store handed in from outside (tests, tools): one process, so the local fan-out. */
export function withLocalFanout(store: Store): Pick<OpenedStore, 'store' | 'fanout' | 'close'> {
  const fanout = createLocalFanout();
  return { store, fanout, close: () => closeBoth(fanout, store) };
}

async function closeBoth(fanout: Fanout, store: Store): Promise<void> {
  try {
    await fanout.close();
  } finally {
    await store.close();
  }
}
