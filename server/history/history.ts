/**
 * Version history for one server: a capture policy per loaded room (capture-policy.ts says when),
 * and what a capture does: read the room's whole state and store it as a version
 * (store-version.ts: its info, the board's record in the index, thinning).
 *
 * The state comes from the caller's stateOf(room), so history knows nothing of Room's insides;
 * stateOf is called at the start of each capture, so a room must stay loaded until release(room)
 * (which takes its last version) has resolved.
 */
import type { Logger } from 'pino';
import type { VersionInfo, VersionReason } from '../../shared/api.ts';
import { EaselError } from '../errors.ts';
import type { Archive } from '../store/archive.ts';
import type { HistoryOptions } from './history-options.ts';
import { createCapturePolicy, type CapturePolicy } from './capture-policy.ts';
import { createSystemClock, type Clock } from './clock.ts';
import { storeVersion } from './store-version.ts';

export interface HistoryDeps extends HistoryOptions {
  archive: Archive;
  /** The room's whole state now, as one Yjs update; only called for a room that is loaded. */
  stateOf(room: string): Uint8Array;
  logger: Logger;
  /** The real clock unless given (tests pass a manual one). */
  clock?: Clock;
}

export interface History {
  /** Someone changed `room`; `editor` is their presence name ('' if none). */
  edited(room: string, editor: string): void;
  /** The last editor of `room` left: takes a version if it changed since the last one. */
  idle(room: string): void;
  /**
   * Takes a version of `room` now (before a restore, an import, a delete), changed or not, and
   * answers it; rejects (StorageError) if it could not be stored, and the caller must not go on.
   */
  capture(room: string, reason: VersionReason): Promise<VersionInfo>;
  /** Resolves once `room` has no capture under way or waiting. */
  settled(room: string): Promise<void>;
  /** The room unloads: takes its version if it changed, then forgets it. Await before dropping its state. */
  release(room: string): Promise<void>;
  /** Releases every room; later captures are refused. */
  close(): Promise<void>;
}

export function createHistory(deps: HistoryDeps): History {
  const { archive, stateOf, logger, historyIntervalMs, historyDays } = deps;
  if (!(historyIntervalMs > 0)) throw new RangeError(`historyIntervalMs must be positive, got ${historyIntervalMs}`);
  if (!Number.isSafeInteger(historyDays) || historyDays < 1) throw new RangeError(`historyDays must be a whole number of at least 1, got ${historyDays}`);
  const clock = deps.clock ?? createSystemClock();
  const policies = new Map<string, CapturePolicy<VersionInfo>>();
  let closed = false;

  /** Stores one version of `room` (store-version.ts); failures after it is stored are logged. */
  const takeVersion = async (room: string, reason: VersionReason, editors: string[]): Promise<VersionInfo> => {
    // Read first, before any await: the version is the state at the moment it was asked for.
    const state = stateOf(room);
    const at = clock.now();
    return storeVersion(room, { state, at, reason, editors }, {
      archive,
      historyDays,
      onFollowUpFailure: (step, error, info) => {
        const what = step === 'index' ? 'board index not updated after a version; updated again at the next one' : 'old versions not thinned; thinned again at the next version';
        logger.error({ err: error, room, version: info.id }, what);
      },
    });
  };

  const policyOf = (room: string): CapturePolicy<VersionInfo> => {
    let policy = policies.get(room);
    if (policy === undefined) {
      policy = createCapturePolicy<VersionInfo>({
        intervalMs: historyIntervalMs,
        clock,
        capture: (reason, editors) => takeVersion(room, reason, editors),
        onFailure: (error, reason) => logger.warn({ err: error, room, reason }, 'version not taken; retried at the next change or leave'),
      });
      policies.set(room, policy);
    }
    return policy;
  };

  const release = async (room: string): Promise<void> => {
    const policy = policies.get(room);
    if (policy === undefined) return;
    policy.idle();
    await policy.close();
    // A reload during the wait made a new policy: that one stays.
    if (policies.get(room) === policy) policies.delete(room);
  };

  return {
    edited(room, editor) {
      if (!closed) policyOf(room).edited(editor);
    },
    idle(room) {
      policies.get(room)?.idle();
    },
    async capture(room, reason) {
      if (closed) throw new EaselError('history_closed', 'history is closed');
      return policyOf(room).captureNow(reason);
    },
    async settled(room) {
      await policies.get(room)?.settled();
    },
    release,
    async close() {
      closed = true;
      await Promise.all([...policies.keys()].map(release));
    },
  };
}
