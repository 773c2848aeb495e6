/**
 * Runs long synchronous tasks one per turn of the event loop, in order.
 *
 * Rooms compact by encoding their whole doc, which blocks the event loop. Rooms whose unload
 * timers fire together used to each wait for a setImmediate and then ran back to back in the same
 * check phase: eight rooms made one stall of ~170 ms (measured), the p99 of every other room.
 * Through this queue the next task starts only in a later turn, after the poll phase has run
 * waiting I/O, so a stall is one room's encode at most.
 */
export interface TurnQueue {
  /** Runs `task` in a turn of its own once the tasks queued before it have run. */
  run<T>(task: () => T): Promise<T>;
}

export function createTurnQueue(): TurnQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => T): Promise<T> {
      const result = tail.then(
        () =>
          new Promise<T>((resolve, reject) => {
            setImmediate(() => {
              try {
                resolve(task());
              } catch (error) {
                reject(error);
              }
            });
          }),
      );
      // A failed task fails its own caller only; the queue goes on.
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
