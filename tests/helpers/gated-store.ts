/**
 * Store wrappers for tests, around the real LevelDB one: failures and delays are injected at the
 * store interface while a real database sits behind it.
 */
import { StorageError } from '../../server/errors.ts';
import { openLevelStore } from '../../server/store/level-store.ts';
import { wrapRoomLog, wrapStore, type Store } from '../../server/store/store.ts';

export interface ControlledStore extends Store {
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

/** The real LevelDB store in `dir`, with switches to make it slow or broken. */
export async function createControlledStore(dir: string): Promise<ControlledStore> {
  const inner = await openLevelStore(dir);
  let refusedWrites = 0;
  let probes = 0;
  const store = wrapStore(inner, async (room) => {
    if (control.loadGate) await control.loadGate;
    const log = await inner.openRoom(room);
    const refuse = (action: string): never => {
      refusedWrites += 1;
      throw new StorageError(`${action} failed for room ${room}: injected write failure`);
    };
    return wrapRoomLog(log, {
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
  });
  const control: ControlledStore = {
    ...store,
    failWrites: false,
    loadGate: null,
    appendGate: null,
    get refusedWrites() {
      return refusedWrites;
    },
    get probes() {
      return probes;
    },
    async probe() {
      probes += 1;
      if (control.failWrites) throw new StorageError('probe failed: injected write failure');
      await inner.probe();
    },
  };
  return control;
}
