/**
 * Time as history sees it: the current time and one-shot timers. Injected, so tests drive the
 * capture policy with a manual clock instead of sleeping.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; the returned function cancels it (a no-op once it ran). */
  setTimer(fn: () => void, ms: number): () => void;
}

/**
 * The real clock. Its timers do not keep the process alive: a pending version is taken on the
 * room's last leave or unload, never because a timer held the process open.
 */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(fn, ms) {
      const timer = setTimeout(fn, ms);
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}
