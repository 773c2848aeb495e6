/** Waiting with a deadline, for shutdown phases that must end whatever the store does. */

export const TIMED_OUT = Symbol('timed out');

/**
 * `promise`'s value, or TIMED_OUT if it has not settled by `deadline` (a performance.now()
 * time); rejects as `promise` does. The promise itself goes on: nothing can cancel it.
 */
export async function settleBy<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
