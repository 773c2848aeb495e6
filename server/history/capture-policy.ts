/**
 * When one room's versions are taken, as a small state machine fed by the room's events:
 *
 *   - an edit marks the room changed and remembers its editor's name; the first edit since the
 *     last version starts the interval timer, which takes a version ('interval') when it runs out,
 *     so a room that keeps changing gets one at most every intervalMs;
 *   - when the last editor leaves (idle()) a room that changed since its last version gets one
 *     ('idle') at once;
 *   - captureNow(reason) always takes one (before a restore, an import, a delete), changed or
 *     not, and answers it or its failure to the caller, who must not go on without it.
 *
 * Captures run one at a time, in the order asked. Each takes the editors gathered since the
 * version before; edits during a capture count for the next one. An automatic capture that fails
 * is reported once to onFailure and the room stays changed with its editors kept, so the next
 * trigger (an edit's timer, a leave, a forced capture) retries it; nothing throws into the room.
 */
import type { VersionReason } from '../../shared/api.ts';
import { EaselError } from '../errors.ts';
import type { Clock } from './clock.ts';

export interface CapturePolicyOptions<T> {
  /** Least time from a room's first change after a version to the version the timer takes. */
  intervalMs: number;
  clock: Clock;
  /** Takes a version now; `editors` are distinct, first edit first. */
  capture(reason: VersionReason, editors: string[]): Promise<T>;
  /** An automatic capture failed (it is retried at the next trigger). */
  onFailure(error: unknown, reason: VersionReason): void;
}

export interface CapturePolicy<T> {
  /** Someone changed the room; `editor` is their presence name ('' when they have none). */
  edited(editor: string): void;
  /** The room's last editor left. */
  idle(): void;
  /** Takes a version now, whatever changed, after any capture under way; rejects if it fails. */
  captureNow(reason: VersionReason): Promise<T>;
  /** Resolves once no capture is under way or waiting. */
  settled(): Promise<void>;
  /** Stops the timer and waits for the captures under way; later events are ignored. */
  close(): Promise<void>;
}

export function createCapturePolicy<T>(options: CapturePolicyOptions<T>): CapturePolicy<T> {
  const { intervalMs, clock, capture, onFailure } = options;
  let changed = false;
  let editors: string[] = [];
  let cancelTimer: (() => void) | null = null;
  /** The last capture asked for, settled either way: the next one starts after it. */
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  const stopTimer = (): void => {
    cancelTimer?.();
    cancelTimer = null;
  };

  /** Queues a capture; an automatic one is skipped if another took the changes meanwhile. */
  const run = (reason: VersionReason, forced: boolean): Promise<T | undefined> => {
    const task = queue.then(async (): Promise<T | undefined> => {
      if (!forced && !changed) return undefined;
      const taken = editors;
      const wasChanged = changed;
      editors = [];
      changed = false;
      try {
        return await capture(reason, taken);
      } catch (error) {
        // Keep what this version was to hold, ahead of what came meanwhile, for the retry.
        editors = [...new Set([...taken, ...editors])];
        changed = changed || wasChanged;
        if (forced) throw error;
        onFailure(error, reason);
        return undefined;
      }
    });
    queue = task.then(
      () => undefined,
      () => undefined,
    );
    return task;
  };

  return {
    edited(editor) {
      if (closed) return;
      changed = true;
      if (editor !== '' && !editors.includes(editor)) editors.push(editor);
      if (cancelTimer === null) {
        cancelTimer = clock.setTimer(() => {
          cancelTimer = null;
          void run('interval', false);
        }, intervalMs);
      }
    },
    idle() {
      if (closed) return;
      stopTimer();
      if (changed) void run('idle', false);
    },
    async captureNow(reason) {
      if (closed) throw new EaselError('history_closed', 'history is closed for this room');
      stopTimer();
      return (await run(reason, true)) as T;
    },
    async settled() {
      // A capture asked for while waiting extends the queue: wait until it stops growing.
      let current: Promise<void>;
      do {
        current = queue;
        await current;
      } while (current !== queue);
    },
    async close() {
      closed = true;
      stopTimer();
      await queue;
    },
  };
}
