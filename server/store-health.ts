/**
 * Whether the store answers now, for /healthz and for telling a client that its room waits on
 * the store rather than on it.
 *
 * A probe (a tiny write to LevelDB, a PING to Redis) runs every interval. The store is unhealthy
 * while the latest outcome, of a probe or of a real store operation, was a failure, or while a
 * probe has gone unanswered for longer than the timeout: a frozen Redis accepts commands and never
 * replies, so waiting for an error would wait forever. Only one probe is in flight at a time, so
 * the one that was stuck answers first once the store is back, and health returns with it. Past
 * failures are counted in /metrics; health says only how things are now.
 */
import type { Logger } from 'pino';

export type StoreState = { ok: true } | { ok: false; reason: string };

export interface StoreHealthOptions {
  /** One cheap round trip to the store; rejects (or never settles) when it cannot answer. */
  probe: () => Promise<void>;
  intervalMs: number;
  /** A probe unanswered for this long makes the store unhealthy. */
  timeoutMs: number;
  logger: Logger;
  /** Told of every change between healthy and not (for a metrics gauge). */
  onChange?: (ok: boolean) => void;
}

export interface StoreHealth {
  state(): StoreState;
  /** A real store operation failed: unhealthy until the next success. */
  failed(error: unknown): void;
  close(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createStoreHealth(options: StoreHealthOptions): StoreHealth {
  let lastFailure: string | null = null;
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  /** performance.now() when the probe in flight started; null when none is. */
  let probeStarted: number | null = null;
  let reportedOk = true;
  let closed = false;

  const current = (): StoreState => {
    if (probeStarted !== null) {
      const waited = performance.now() - probeStarted;
      if (waited >= options.timeoutMs) return { ok: false, reason: `the store has not answered for ${(waited / 1000).toFixed(1)} s` };
    }
    return lastFailure === null ? { ok: true } : { ok: false, reason: `the store failed: ${lastFailure}` };
  };

  /** Logs and reports a change of state once, not on every check. */
  const settle = (): void => {
    const now = current();
    if (now.ok === reportedOk || closed) return;
    reportedOk = now.ok;
    if (now.ok) options.logger.info('the store answers again');
    else options.logger.error({ reason: now.reason }, 'the store is unhealthy');
    options.onChange?.(now.ok);
  };

  const runProbe = (): void => {
    if (probeStarted !== null) {
      settle();
      return;
    }
    const started = performance.now();
    probeStarted = started;
    options.probe().then(
      () => {
        probeStarted = null;
        // A probe that began before a real failure does not vouch for the store after it.
        if (lastFailureAt <= started) lastFailure = null;
        settle();
      },
      (error: unknown) => {
        probeStarted = null;
        lastFailure = describe(error);
        lastFailureAt = performance.now();
        settle();
      },
    );
  };

  const timer = setInterval(runProbe, options.intervalMs);
  timer.unref();

  return {
    state: current,
    failed(error) {
      lastFailure = describe(error);
      lastFailureAt = performance.now();
      settle();
    },
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
