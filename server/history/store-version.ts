/**
 * What storing a version means, in one place for both callers: history's captures on a running
 * server (history.ts) and the CLI's work on a stopped server's data folder, which has no room
 * and no capture policy. The steps: a new id after the room's newest, the version's info read
 * from its state, the version stored, then the board's record in the index refreshed from it and
 * the room's older versions thinned.
 */
import type { VersionInfo, VersionReason } from '../../shared/api.ts';
import type { Archive } from '../store/archive.ts';
import { describeVersion, summarizeState } from './describe-version.ts';
import { versionsToThin } from './thinning.ts';
import { nextVersionId } from './version-id.ts';

/** The version to store: a whole state as it was at one moment. */
export interface VersionToStore {
  /** The room's whole state, one Yjs update. */
  state: Uint8Array;
  /** When the state was read, ms since the epoch. */
  at: number;
  reason: VersionReason;
  /** Who edited since the version before, first edit first. */
  editors: readonly string[];
}

/** A step after the version was stored that failed: the version stands, the step is done again next time. */
export type FollowUpStep = 'index' | 'thinning';

export interface StoreVersionDeps {
  archive: Archive;
  /** --history-days: what thinning keeps. */
  historyDays: number;
  /**
   * A follow-up step failed after the version was stored. Reported rather than thrown: the caller
   * asked for a version and has it, and refusing a restore because thinning failed would lose
   * nothing less than going on does.
   */
  onFollowUpFailure(step: FollowUpStep, error: unknown, version: VersionInfo): void;
}

/** Stores `version` of `room`, refreshes its board record and thins its history; answers its info. */
export async function storeVersion(room: string, version: VersionToStore, deps: StoreVersionDeps): Promise<VersionInfo> {
  const { archive, historyDays } = deps;
  const { state, at } = version;
  const existing = await archive.versions.list(room);
  const summary = summarizeState(state);
  const info = describeVersion(state, { id: nextVersionId(existing.at(-1)?.id ?? null, at), at, reason: version.reason, editors: version.editors }, summary);
  await archive.versions.put(room, info, state);
  try {
    const record = await archive.boards.get(room);
    await archive.boards.put({
      room,
      title: summary.title,
      createdAt: record?.createdAt ?? at,
      updatedAt: at,
      shapes: summary.shapes,
      bytes: state.byteLength,
      deletedAt: record?.deletedAt ?? null,
    });
  } catch (error) {
    deps.onFollowUpFailure('index', error, info);
  }
  try {
    const thin = versionsToThin([...existing, info], at, historyDays);
    if (thin.length > 0) await archive.versions.remove(room, thin);
  } catch (error) {
    deps.onFollowUpFailure('thinning', error, info);
  }
  return info;
}
