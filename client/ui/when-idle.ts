/**
 * Runs `run` once the browser is idle (requestIdleCallback, passing its deadline) and returns a
 * cancel. Where there is no requestIdleCallback (Safari), it runs after `fallbackMs` instead, with
 * no deadline: work that waits for idle must still happen there.
 */
export function whenIdle(run: (deadline?: IdleDeadline) => void, options: { timeout?: number; fallbackMs?: number } = {}): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, options.timeout === undefined ? undefined : { timeout: options.timeout });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(run, options.fallbackMs ?? 0);
  return () => clearTimeout(timer);
}
