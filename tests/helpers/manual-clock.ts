/**
 * A clock that moves only when a test says so (server/history/clock.ts): advance() runs the
 * timers that fall due, in time order, each with now() at its due time.
 */
import type { Clock } from '../../server/history/clock.ts';

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, running every timer due on the way. */
  advance(ms: number): void;
  /** Timers waiting. */
  pending(): number;
}

export function createManualClock(start: number): ManualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer(fn, ms) {
      const id = nextId++;
      timers.set(id, { due: now + ms, fn });
      return () => timers.delete(id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        // Earliest due first; equal times in the order they were set.
        let first: [number, { due: number; fn: () => void }] | null = null;
        for (const entry of timers) if (entry[1].due <= end && (first === null || entry[1].due < first[1].due)) first = entry;
        if (first === null) break;
        timers.delete(first[0]);
        now = first[1].due;
        first[1].fn();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}
