/**
 * Builds compaction snapshots off the event loop.
 *
 * Folding a log into one update means decoding every entry and encoding the whole document
 * again: ~70 ms for a 2 MB board here, and it grows with the board. Done on the main thread, that
 * stalled every room of the process (the p99 of rooms that had nothing to do with it). One worker
 * thread does it instead, one job at a time in order; the main thread only reads and writes the
 * log. The worker starts with the first large job and stays (unref'd) until close().
 *
 * A small log (under INLINE_MAX_BYTES) is folded on the main thread: a few milliseconds there
 * cost less than copying it to a worker, and a freshly started worker runs Yjs cold (interpreted)
 * for its first jobs, which made two busy processes each pay for their own worker warming up.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { SnapshotError } from './errors.ts';
import { foldEntries } from './snapshot-fold.mjs';

/** Folds log entries (oldest first) into one update holding all of them. */
export type BuildSnapshot = (entries: readonly Uint8Array[]) => Promise<Uint8Array>;

export interface SnapshotBuilder {
  /** Folds `entries` of `room`'s log; an entry that does not apply is left out and logged. */
  build(entries: readonly Uint8Array[], room: string): Promise<Uint8Array>;
  /** Stops the worker; builds still running fail with a SnapshotError. */
  close(): Promise<void>;
}

type Reply = { id: number; snapshot: Uint8Array; skipped: number[] } | { id: number; error: string };

interface Job {
  room: string;
  resolve(snapshot: Uint8Array): void;
  reject(error: SnapshotError): void;
}

const WORKER_URL = new URL('./snapshot-worker.mjs', import.meta.url);

/** Logs up to this many bytes are folded on the main thread (about 4 ms for 64 KiB of strokes). */
export const INLINE_MAX_BYTES = 64 * 1024;

export interface SnapshotBuilderOptions {
  /** Logs up to this many bytes fold on the main thread (default INLINE_MAX_BYTES; 0: never). */
  inlineMaxBytes?: number;
}

export function createSnapshotBuilder(logger: Logger, { inlineMaxBytes = INLINE_MAX_BYTES }: SnapshotBuilderOptions = {}): SnapshotBuilder {
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
  const jobs = new Map<number, Job>();

  function failJobs(error: SnapshotError): void {
    for (const job of jobs.values()) job.reject(error);
    jobs.clear();
  }

  /** The worker died: fails every job in flight; the next build starts a fresh worker. */
  function lose(current: Worker, error: SnapshotError): void {
    if (worker !== current) return;
    worker = null;
    logger.error({ err: error, jobs: jobs.size }, 'snapshot worker failed; compactions in flight are skipped');
    failJobs(error);
  }

  function report(room: string, skipped: readonly number[]): void {
    if (skipped.length > 0) logger.error({ room, entries: skipped }, 'compaction left out stored updates that do not apply');
  }

  function foldFailed(room: string, reason: string, cause?: unknown): SnapshotError {
    return new SnapshotError(`log entries of room ${room} do not fold into a snapshot: ${reason}`, { cause });
  }

  function foldHere(entries: readonly Uint8Array[], room: string): Promise<Uint8Array> {
    try {
      const { snapshot, skipped } = foldEntries(entries);
      report(room, skipped);
      return Promise.resolve(snapshot);
    } catch (error) {
      return Promise.reject(foldFailed(room, error instanceof Error ? error.message : String(error), error));
    }
  }

  function start(): Worker {
    // Plain JavaScript: without the parent's TypeScript loader flags the worker starts ~4x faster.
    const started = new Worker(WORKER_URL, { execArgv: [] });
    started.unref();
    started.on('message', (reply: Reply) => {
      const job = jobs.get(reply.id);
      if (!job) return;
      jobs.delete(reply.id);
      if ('error' in reply) {
        job.reject(foldFailed(job.room, reply.error));
        return;
      }
      report(job.room, reply.skipped);
      job.resolve(reply.snapshot);
    });
    started.on('error', (error) => lose(started, new SnapshotError('snapshot worker crashed', { cause: error })));
    started.on('exit', (code) => lose(started, new SnapshotError(`snapshot worker exited with code ${code}`)));
    return started;
  }

  return {
    build(entries, room) {
      if (closed) return Promise.reject(new SnapshotError('snapshot builder is closed'));
      let bytes = 0;
      for (const entry of entries) bytes += entry.byteLength;
      if (bytes <= inlineMaxBytes) return foldHere(entries, room);
      worker ??= start();
      const id = nextId++;
      const result = new Promise<Uint8Array>((resolve, reject) => jobs.set(id, { room, resolve, reject }));
      worker.postMessage({ id, entries });
      return result;
    },
    async close() {
      closed = true;
      const current = worker;
      worker = null;
      failJobs(new SnapshotError('snapshot builder closed during a build'));
      await current?.terminate();
    },
  };
}
