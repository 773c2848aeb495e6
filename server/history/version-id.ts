/**
 * Version ids: `<ms since the epoch, 15 digits>-<sequence, 4 digits>`, e.g.
 * `001700000000000-0000`. Fixed widths make string order time order; digits and '-' are URL-safe
 * and fit ARCHIVE_ID_PATTERN. Each id is made from the room's newest one, so ids stay unique and
 * increasing within a room even when two versions fall in one millisecond or the clock steps back.
 */

const MS_DIGITS = 15;
const SEQ_DIGITS = 4;
const MAX_SEQ = 10 ** SEQ_DIGITS - 1;
const ID_PATTERN = /^(\d{15})-(\d{4})$/;

function format(ms: number, seq: number): string {
  return `${String(ms).padStart(MS_DIGITS, '0')}-${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** The time and sequence of an id made here, or null for any other string. */
export function parseVersionId(id: string): { ms: number; seq: number } | null {
  const match = ID_PATTERN.exec(id);
  return match ? { ms: Number(match[1]), seq: Number(match[2]) } : null;
}

/** The id of a version taken at `now`, after the room's newest version `previous` (null: none). */
export function nextVersionId(previous: string | null, now: number): string {
  if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`not a time: ${now}`);
  const last = previous === null ? null : parseVersionId(previous);
  if (last === null || now > last.ms) return format(now, 0);
  // Same millisecond, or the clock went back: stay after the previous id.
  return last.seq < MAX_SEQ ? format(last.ms, last.seq + 1) : format(last.ms + 1, 0);
}
