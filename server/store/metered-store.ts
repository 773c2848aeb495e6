/**
 * meterStore: a Store that times every write of the one it wraps, so batch latency and
 * compactions are measured at the storage interface, whatever the backend.
 */
import type { ServerMetrics } from '../metrics.ts';
import { wrapRoomLog, wrapStore, type RoomLog, type Store } from './store.ts';

type StorageMetrics = Pick<ServerMetrics, 'persisted' | 'compacted'>;

function meterLog(log: RoomLog, metrics: StorageMetrics): RoomLog {
  return wrapRoomLog(log, {
    async append(updates, stateVector) {
      const started = performance.now();
      await log.append(updates, stateVector);
      metrics.persisted((performance.now() - started) / 1000, updates.length);
    },
    async compact(build) {
      const compacted = await log.compact(build);
      if (compacted) metrics.compacted();
      return compacted;
    },
  });
}

/** Wraps `store` so that every room log it opens reports to `metrics`. */
export function meterStore(store: Store, metrics: StorageMetrics): Store {
  return wrapStore(store, async (room) => meterLog(await store.openRoom(room), metrics));
}
