/**
 * meterPersistence: a Persistence that times every write of the one it wraps, so batch latency
 * and compactions are measured at the storage interface, whatever the backend.
 */
import type { ServerMetrics } from './metrics.ts';
import { wrapRoomLog, type Persistence, type RoomLog } from './persistence.ts';

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

/** Wraps `persistence` so that every room log it opens reports to `metrics`. */
export function meterPersistence(persistence: Persistence, metrics: StorageMetrics): Persistence {
  return {
    async openRoom(room) {
      return meterLog(await persistence.openRoom(room), metrics);
    },
    readStateVector: (room) => persistence.readStateVector(room),
    probe: () => persistence.probe(),
    close: () => persistence.close(),
  };
}
