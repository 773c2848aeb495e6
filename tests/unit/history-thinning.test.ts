/** Which versions thinning removes as they age: fixed clocks, no timers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, versionsToThin } from '../../server/history/thinning.ts';
import { nextVersionId } from '../../server/history/version-id.ts';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const MINUTE = 60_000;

/** Versions taken at `times`, with ids as history makes them. */
function versionsAt(times: readonly number[]): Array<{ id: string; at: string }> {
  let previous: string | null = null;
  return [...times]
    .sort((a, b) => a - b)
    .map((time) => {
      previous = nextVersionId(previous, time);
      return { id: previous, at: new Date(time).toISOString() };
    });
}

function removedTimes(times: readonly number[], now = NOW, days = 30): number[] {
  const versions = versionsAt(times);
  const removed = new Set(versionsToThin(versions, now, days));
  return versions.filter((version) => removed.has(version.id)).map((version) => Date.parse(version.at));
}

test('every version of the last day is kept', () => {
  const times = Array.from({ length: 288 }, (_, i) => NOW - i * 5 * MINUTE);
  assert.deepEqual(removedTimes(times), []);
});

test('from a day to a week old, the newest of each clock hour is kept', () => {
  const hour = Math.floor((NOW - 2 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const times = [hour + 5 * MINUTE, hour + 30 * MINUTE, hour + 55 * MINUTE, hour + HOUR_MS + MINUTE, NOW];
  assert.deepEqual(removedTimes(times), [hour + 5 * MINUTE, hour + 30 * MINUTE]);
});

test('from a week to historyDays old, the newest of each calendar day is kept', () => {
  const day = Math.floor((NOW - 10 * DAY_MS) / DAY_MS) * DAY_MS;
  const times = [day + HOUR_MS, day + 13 * HOUR_MS, day + 23 * HOUR_MS, day + DAY_MS + HOUR_MS, NOW];
  assert.deepEqual(removedTimes(times), [day + HOUR_MS, day + 13 * HOUR_MS]);
});

test('versions historyDays old or older are removed', () => {
  const times = [NOW - 40 * DAY_MS, NOW - 30 * DAY_MS, NOW - 30 * DAY_MS + HOUR_MS, NOW];
  assert.deepEqual(removedTimes(times), [NOW - 40 * DAY_MS, NOW - 30 * DAY_MS]);
  assert.deepEqual(removedTimes([NOW - 3 * DAY_MS, NOW], NOW, 2), [NOW - 3 * DAY_MS]);
  assert.deepEqual(removedTimes([NOW - DAY_MS - MINUTE, NOW - HOUR_MS, NOW], NOW, 1), [NOW - DAY_MS - MINUTE]);
});

test('the tiers start exactly a day and a week back', () => {
  // Same clock hour, a minute apart; the older one is exactly a day old.
  const hourStart = NOW - DAY_MS - 30 * MINUTE;
  assert.equal(hourStart % HOUR_MS, 30 * MINUTE);
  assert.deepEqual(removedTimes([NOW - DAY_MS, NOW - DAY_MS + MINUTE, NOW]), [NOW - DAY_MS]);
  assert.deepEqual(removedTimes([NOW - DAY_MS + MINUTE, NOW - DAY_MS + 2 * MINUTE, NOW]), []);
  // Same calendar day, different hours: exactly a week old it is daily (only the day's newest
  // stays), a millisecond younger it is still hourly.
  const week = NOW - 7 * DAY_MS;
  assert.deepEqual(removedTimes([week, week + 2 * HOUR_MS, NOW]), [week]);
  assert.deepEqual(removedTimes([week + 1, week + 2 * HOUR_MS, NOW]), []);
});

test('the newest version is never removed, however old', () => {
  assert.deepEqual(removedTimes([NOW - 100 * DAY_MS]), []);
  assert.deepEqual(removedTimes([NOW - 200 * DAY_MS, NOW - 100 * DAY_MS]), [NOW - 200 * DAY_MS]);
  assert.deepEqual(versionsToThin([], NOW, 30), []);
});

test('a room edited without pause for 40 days keeps every version of the last day, then one an hour for a week, then one a day', () => {
  // A version every 5 minutes, thinned after each as history does.
  const start = NOW - 40 * DAY_MS;
  let kept: Array<{ id: string; at: string }> = [];
  const all = versionsAt(Array.from({ length: (40 * DAY_MS) / (5 * MINUTE) + 1 }, (_, i) => start + i * 5 * MINUTE));
  for (const version of all) {
    kept.push(version);
    const removed = new Set(versionsToThin(kept, Date.parse(version.at), 30));
    kept = kept.filter((v) => !removed.has(v.id));
  }
  // Thinning as it went removed exactly what thinning once at the end would: fixed buckets.
  const once = new Set(versionsToThin(all, NOW, 30));
  assert.deepEqual(
    kept.map((v) => v.id),
    all.filter((v) => !once.has(v.id)).map((v) => v.id),
  );
  const ages = kept.map((v) => NOW - Date.parse(v.at));
  const lastDay = ages.filter((age) => age < DAY_MS).length;
  const week = ages.filter((age) => age >= DAY_MS && age < 7 * DAY_MS).length;
  const older = ages.filter((age) => age >= 7 * DAY_MS).length;
  assert.equal(lastDay, 288);
  assert.equal(week, 6 * 24);
  assert.equal(older, 23);
  assert.ok(Math.max(...ages) < 30 * DAY_MS);
});
