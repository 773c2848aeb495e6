/**
 * Coalesces work to at most once per animation frame: many document changes in one frame cost
 * one redraw. Hidden tabs get no frames, so their changes pile up and are drawn on return.
 */
export interface FrameScheduler {
  schedule(): void;
  /** Runs pending work now (tests, and before reading the canvas). */
  flush(): void;
  close(): void;
}

export function createFrameScheduler(work: () => void): FrameScheduler {
  let handle: number | null = null;
  let closed = false;
  const run = (): void => {
    handle = null;
    if (!closed) work();
  };
  return {
    schedule() {
      if (handle === null && !closed) handle = requestAnimationFrame(run);
    },
    flush() {
      if (handle !== null) cancelAnimationFrame(handle);
      run();
    },
    close() {
      closed = true;
      if (handle !== null) cancelAnimationFrame(handle);
      handle = null;
    },
  };
}
