/**
 * Reconnect delays: exponential with jitter. Without jitter every client of a restarted server
 * comes back in the same instant; the random half of each delay spreads them out.
 */

export interface BackoffOptions {
  /** The first delay's upper bound, in ms. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** Uniform in [0, 1): Math.random in the app, a seeded generator in tests. */
  random: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; each call counts one more failed attempt. */
  next(): number;
  /** A connection worked: the next failure starts from the base again. */
  reset(): void;
  readonly attempts: number;
}

export const DEFAULT_BACKOFF = { baseMs: 250, maxMs: 8_000 } as const;

/**
 * "Equal jitter": attempt n waits between half and all of min(max, base · 2^n), so delays still
 * grow, never drop to zero, and never line up across clients.
 */
export function createBackoff(options: BackoffOptions): Backoff {
  let attempts = 0;
  return {
    next() {
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempts, 30));
      attempts++;
      return Math.round(ceiling / 2 + options.random() * (ceiling / 2));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
