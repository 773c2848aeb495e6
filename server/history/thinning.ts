/**
 * Which versions history keeps as they age (historyDays is --history-days):
 *
 *   younger than a day           every version
 *   a day to a week              the newest of each clock hour (UTC)
 *   a week to historyDays days   the newest of each calendar day (UTC)
 *   historyDays days or older    none
 *
 * and never the room's newest version, whatever its age, so a board left alone for months still
 * has one to go back to. Buckets are fixed on the clock, not counted back from now, so a version
 * kept as its hour's newest stays kept until it ages into the daily tier: thinning again later
 * removes only what aged, never churns what it kept. Each bucket keeps its newest member among
 * all versions, so one straddling a tier boundary keeps one version, not one per tier.
 */
import type { VersionInfo } from '../../shared/api.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/** The ids of `versions` (one room's; `at` as the archive checked it) to remove at `now`; historyDays >= 1. */
export function versionsToThin(versions: readonly Pick<VersionInfo, 'id' | 'at'>[], now: number, historyDays: number): string[] {
  if (versions.length === 0) return [];
  const dated = versions.map((version) => ({ id: version.id, time: Date.parse(version.at) }));
  // Newest last, ties by id (ids sort by time, and are made in order within a millisecond).
  dated.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const newest = dated[dated.length - 1]!;
  const newestOf = (bucketMs: number): Map<number, string> => {
    const map = new Map<number, string>();
    for (const version of dated) map.set(Math.floor(version.time / bucketMs), version.id);
    return map;
  };
  const newestOfHour = newestOf(HOUR_MS);
  const newestOfDay = newestOf(DAY_MS);
  const limit = historyDays * DAY_MS;
  const keeps = (version: { id: string; time: number }): boolean => {
    const age = now - version.time;
    if (age < DAY_MS) return true;
    if (age >= limit) return false;
    if (age < WEEK_MS) return newestOfHour.get(Math.floor(version.time / HOUR_MS)) === version.id;
    return newestOfDay.get(Math.floor(version.time / DAY_MS)) === version.id;
  };
  return dated.filter((version) => version !== newest && !keeps(version)).map((version) => version.id);
}
