/** Version ids sort by time as strings, stay unique within a room, and are URL-safe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextVersionId, parseVersionId } from '../../server/history/version-id.ts';
import { ARCHIVE_ID_PATTERN } from '../../server/store/archive-records.ts';

test('ids sort by time as strings, across digit counts', () => {
  const times = [5, 999, 1_000, 1_700_000_000_000, 1_700_000_000_001, 99_999_999_999_999];
  const ids = times.map((time) => nextVersionId(null, time));
  assert.deepEqual([...ids].sort(), ids);
  for (const id of ids) {
    assert.match(id, ARCHIVE_ID_PATTERN);
    assert.equal(encodeURIComponent(id), id);
  }
  assert.deepEqual(parseVersionId(ids[3]!), { ms: 1_700_000_000_000, seq: 0 });
});

test('two versions in one millisecond, or after the clock stepped back, still get new, later ids', () => {
  const first = nextVersionId(null, 1_700_000_000_000);
  const second = nextVersionId(first, 1_700_000_000_000);
  const third = nextVersionId(second, 1_699_999_999_000);
  const fourth = nextVersionId(third, 1_700_000_000_500);
  const ids = [first, second, third, fourth];
  assert.equal(new Set(ids).size, 4);
  assert.deepEqual([...ids].sort(), ids);
  assert.deepEqual(parseVersionId(fourth), { ms: 1_700_000_000_500, seq: 0 });
});

test('a full millisecond moves on to the next one', () => {
  let id = nextVersionId(null, 1_000);
  for (let i = 0; i < 10_000; i++) {
    const next = nextVersionId(id, 1_000);
    assert.ok(next > id);
    id = next;
  }
  assert.deepEqual(parseVersionId(id), { ms: 1_001, seq: 0 });
});

test('ids made elsewhere are not parsed, and bad times are refused', () => {
  assert.equal(parseVersionId('abc'), null);
  assert.equal(parseVersionId('1700000000000-0'), null);
  assert.throws(() => nextVersionId(null, -1), RangeError);
  assert.throws(() => nextVersionId(null, 1.5), RangeError);
});
