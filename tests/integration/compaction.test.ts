/**
 * Compaction off the event loop: the snapshot builder folds log entries into one update (in its
 * worker, or on the main thread for a small log), and the LevelDB log replaces exactly the
 * entries it folded while appends go on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as Y from 'yjs';
import { SnapshotError } from '../../server/errors.ts';
import { openLevelStore } from '../../server/store/level-store.ts';
import { createSnapshotBuilder } from '../../server/snapshots.ts';
import { createLogger } from '../../server/log.ts';
import { makeTempDir } from '../helpers/server.ts';

const silent = createLogger('silent');

/** One update per key set, as a client sends them. */
function edits(doc: Y.Doc, keys: string[]): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array): void => void updates.push(update);
  doc.on('update', collect);
  for (const key of keys) doc.getMap('shapes').set(key, key.length);
  doc.off('update', collect);
  return updates;
}

function contentOf(updates: readonly Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap('shapes').toJSON();
}

for (const [where, inlineMaxBytes] of [['in the worker', 0], ['on the main thread (a small log)', undefined]] as const) {
  test(`the snapshot builder folds entries ${where}, leaving out one that does not apply`, async () => {
    const builder = createSnapshotBuilder(silent, inlineMaxBytes === undefined ? {} : { inlineMaxBytes });
    try {
      const doc = new Y.Doc();
      const updates = edits(doc, ['a', 'bb', 'ccc']);
      const snapshot = await builder.build(updates, 'fold');
      assert.deepEqual(contentOf([snapshot]), { a: 1, bb: 2, ccc: 3 });
      const broken = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
      const kept = await builder.build([updates[0]!, broken, updates[1]!, updates[2]!], 'fold');
      assert.deepEqual(contentOf([kept]), { a: 1, bb: 2, ccc: 3 }, 'the entries around the broken one are kept');
    } finally {
      await builder.close();
    }
    await assert.rejects(builder.build([], 'late'), SnapshotError, 'a closed builder refuses work');
  });
}

test('closing the builder fails a build in flight with a SnapshotError', async () => {
  const builder = createSnapshotBuilder(silent, { inlineMaxBytes: 0 });
  const doc = new Y.Doc();
  const updates = edits(
    doc,
    Array.from({ length: 20_000 }, (_, i) => `k${i}`),
  );
  const rejected = assert.rejects(builder.build(updates, 'big'), SnapshotError);
  await builder.close();
  await rejected;
});

test('a LevelDB compaction replaces only the entries it read; appends made meanwhile follow the snapshot', async () => {
  const dir = await makeTempDir();
  try {
    const store = await openLevelStore(dir);
    const builder = createSnapshotBuilder(silent);
    const doc = new Y.Doc();
    const log = await store.openRoom('live');
    for (const update of edits(doc, ['a', 'b', 'c'])) await log.append([update], Y.encodeStateVector(doc));
    // Two more entries land while the snapshot is being built.
    const compacted = await log.compact(async (entries) => {
      assert.equal(entries.length, 3, 'the build gets the entries in the log when it started');
      for (const update of edits(doc, ['d', 'e'])) await log.append([update], Y.encodeStateVector(doc));
      return builder.build(entries, 'live');
    });
    assert.equal(compacted, true);
    assert.equal(log.length, 3, 'the snapshot and the two entries appended meanwhile');
    assert.equal(await log.compact((entries) => builder.build(entries, 'live')), true);
    assert.equal(log.length, 1);
    assert.equal(await log.compact((entries) => builder.build(entries, 'live')), false, 'one entry: nothing to fold');
    await builder.close();
    await store.close();

    const reopened = await openLevelStore(dir);
    const again = await reopened.openRoom('live');
    assert.equal(again.loaded.length, 1);
    assert.deepEqual(contentOf(again.loaded), { a: 1, b: 1, c: 1, d: 1, e: 1 });
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('after a compaction with appends meanwhile, a restart reads the snapshot first and the appends after it', async () => {
  const dir = await makeTempDir();
  try {
    const store = await openLevelStore(dir);
    const builder = createSnapshotBuilder(silent);
    const doc = new Y.Doc();
    const log = await store.openRoom('order');
    for (const update of edits(doc, ['a', 'b'])) await log.append([update], Y.encodeStateVector(doc));
    let during: Uint8Array[] = [];
    await log.compact(async (entries) => {
      during = edits(doc, ['c']);
      await log.append(during, Y.encodeStateVector(doc));
      return builder.build(entries, 'order');
    });
    await builder.close();
    await store.close();

    const reopened = await openLevelStore(dir);
    const again = await reopened.openRoom('order');
    assert.equal(again.loaded.length, 2);
    assert.deepEqual(contentOf([again.loaded[0]!]), { a: 1, b: 1 }, 'the snapshot comes first');
    assert.deepEqual(new Uint8Array(again.loaded[1]!), during[0], 'the append made during the build follows it, as written');
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
