import type { VersionReason } from '../../shared/api.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When a version was taken, as people say it: "just now", "5 min ago", "3 h ago" within a day,
 * then the date and time in the page's locale.
 */
export function formatVersionTime(at: Date, now: Date): string {
  const age = now.getTime() - at.getTime();
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Why a version was taken, in words for the list. */
export const VERSION_REASON_LABELS: Record<VersionReason, string> = {
  interval: 'Autosave',
  idle: 'Everyone left',
  restore: 'Before a restore',
  import: 'Before an import',
  delete: 'Before deletion',
  repair: 'Before a repair',
  manual: 'Saved by hand',
};
