/**
 * Persistence wrappers for tests, around the real LevelDB one: failures and delays are injected at
 * the storage interface while a real database sits behind it.
 */
import { StorageError } from '../../server/errors.ts';
import { createLevelPersistence, wrapRoomLog, type Persistence } from '../../server/persistence.ts';

export interface ControlledPersistence extends Persistence {
  /** While true, every append, compaction and health probe throws a StorageError (reads still work). */
  failWrites: boolean;
  /** While set, openRoom waits for this promise first (a slow disk). */
  loadGate: Promise<void> | null;
  /** While set, every append waits for this promise first (a disk that stopped answering). */
  appendGate: Promise<void> | null;
  /** Writes that were refused. */
  readonly refusedWrites: number;
  /** Health probes made so far. */
  readonly probes: number;
}

/** The real LevelDB persistence in `dir`, with switches to make it slow or broken. */
export async function createControlledPersistence(dir: string): Promise<ControlledPersistence> {
  const inner = await createLevelPersistence(dir);
  let refusedWrites = 0;
  let probes = 0;
  const control: ControlledPersistence = {
    failWrites: false,
    loadGate: null,
    appendGate: null,
    get refusedWrites() {
      return refusedWrites;
    },
    get probes() {
      return probes;
    },
    async openRoom(room) {
      if (control.loadGate) await control.loadGate;
      const log = await inner.openRoom(room);
      const refuse = (action: string): never => {
        refusedWrites += 1;
        throw new StorageError(`${action} failed for room ${room}: injected write failure`);
      };
      const wrapped = wrapRoomLog(log, {
        async append(updates, stateVector) {
          if (control.appendGate) await control.appendGate;
          if (control.failWrites) refuse('append');
          await log.append(updates, stateVector);
        },
        async compact(build) {
          if (control.failWrites) refuse('compact');
          return log.compact(build);
        },
      });
      return wrapped;
    },
    readStateVector: (room) => inner.readStateVector(room),
    async probe() {
      probes += 1;
      if (control.failWrites) throw new StorageError('probe failed: injected write failure');
      await inner.probe();
    },
    close: () => inner.close(),
  };
  return control;
}
