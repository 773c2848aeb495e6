/**
 * The store contract (server/store/store.ts), run against every backend through the factory that
 * the server uses. A new store is one file in server/store/, a branch in create-store.ts, and one
 * maker below that passes this suite.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as Y from 'yjs';
import { createLogger } from '../../server/log.ts';
import { createSnapshotBuilder } from '../../server/snapshots.ts';
import { createStore, type OpenedStore } from '../../server/store/create-store.ts';
import { makeTempDir } from '../helpers/server.ts';
import { startRedis } from '../helpers/redis.ts';

const silent = createLogger('silent');

/** A backend for the suite: started once per file; open() may be called again to reopen it. */
interface StoreMaker {
  name: string;
  start(): Promise<{ open(): Promise<OpenedStore>; stop(): Promise<void> }>;
}

const MAKERS: StoreMaker[] = [
  {
    name: 'LevelDB',
    async start() {
      const dataDir = await makeTempDir();
      return {
        open: () => createStore({ dataDir, redisUrl: null, logger: silent }),
        stop: () => rm(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'Redis',
    async start() {
      const redis = await startRedis();
      return {
        open: () => createStore({ dataDir: '', redisUrl: redis.url, logger: silent }),
        stop: () => redis.close(),
      };
    },
  },
];

/** Edits setting each key in `keys` to 1 in `doc`, one update each. */
function edits(doc: Y.Doc, keys: readonly string[]): Uint8Array[] {
  return keys.map((key) => {
    let update: Uint8Array | null = null;
    const listener = (u: Uint8Array): void => {
      update = u;
    };
    doc.on('update', listener);
    doc.getMap('m').set(key, 1);
    doc.off('update', listener);
    return update!;
  });
}

/** The map `m` of the document made of `updates`. */
function contentOf(updates: readonly Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

for (const maker of MAKERS) {
  describe(`store contract: ${maker.name}`, () => {
    let backend: Awaited<ReturnType<StoreMaker['start']>>;
    let opened: OpenedStore;
    const builder = createSnapshotBuilder(silent);
    let rooms = 0;
    /** A room no other test of this backend uses. */
    const freshRoom = (what: string): string => `${what}-${++rooms}`;

    before(async () => {
      backend = await maker.start();
      opened = await backend.open();
    });
    after(async () => {
      await opened.close();
      await builder.close();
      await backend.stop();
    });

    test('appended updates load back in order, with their count and size, after the store reopens', async () => {
      const room = freshRoom('order');
      const doc = new Y.Doc();
      const [a, b, c] = edits(doc, ['a', 'b', 'c']);
      const log = await opened.store.openRoom(room);
      assert.equal(log.loaded.length, 0, 'a room never written loads empty');
      await log.append([a!], Y.encodeStateVector(doc));
      await log.append([b!, c!], Y.encodeStateVector(doc));
      assert.equal(log.length, 3);
      assert.equal(log.bytes, a!.byteLength + b!.byteLength + c!.byteLength);
      log.close();
      await opened.close();

      opened = await backend.open();
      const again = await opened.store.openRoom(room);
      assert.equal(again.loaded.length, 3);
      assert.ok([a, b, c].every((update, i) => sameBytes(update!, again.loaded[i]!)), 'the updates as written, in order');
      assert.equal(again.length, 3);
      again.close();
    });

    test('the stored state vector, where the store keeps one, is the one of the last append', async () => {
      const room = freshRoom('vector');
      assert.equal(await opened.store.readStateVector(room), null, 'none for a room never written');
      const doc = new Y.Doc();
      const log = await opened.store.openRoom(room);
      await log.append(edits(doc, ['a', 'b']), Y.encodeStateVector(doc));
      log.close();
      const stored = await opened.store.readStateVector(room);
      if (stored !== null) assert.ok(sameBytes(stored, Y.encodeStateVector(doc)));
      const again = await opened.store.openRoom(room);
      if (again.stateVector !== null) assert.ok(sameBytes(again.stateVector, Y.encodeStateVector(doc)));
      again.close();
    });

    test('a compaction replaces only the entries it read; appends made meanwhile follow the snapshot', async () => {
      const room = freshRoom('compact');
      const doc = new Y.Doc();
      const log = await opened.store.openRoom(room);
      for (const update of edits(doc, ['a', 'b', 'c'])) await log.append([update], Y.encodeStateVector(doc));
      let during: Uint8Array[] = [];
      const compacted = await log.compact(async (entries) => {
        assert.deepEqual(contentOf(entries), { a: 1, b: 1, c: 1 }, 'the build gets the entries in the log when it started');
        during = edits(doc, ['d', 'e']);
        for (const update of during) await log.append([update], Y.encodeStateVector(doc));
        return builder.build(entries, room);
      });
      assert.equal(compacted, true);
      assert.equal(log.length, 3, 'the snapshot and the two entries appended meanwhile');
      log.close();

      const again = await opened.store.openRoom(room);
      assert.equal(again.loaded.length, 3);
      assert.deepEqual(contentOf([again.loaded[0]!]), { a: 1, b: 1, c: 1 }, 'the snapshot comes first');
      assert.ok(sameBytes(again.loaded[1]!, during[0]!) && sameBytes(again.loaded[2]!, during[1]!), 'then the appends, as written');
      assert.equal(await again.compact((entries) => builder.build(entries, room)), true);
      assert.equal(again.length, 1);
      assert.equal(await again.compact((entries) => builder.build(entries, room)), false, 'one entry: nothing to fold');
      again.close();
      assert.deepEqual(contentOf((await opened.store.openRoom(room)).loaded), { a: 1, b: 1, c: 1, d: 1, e: 1 });
    });

    test('a compaction whose build fails leaves the log as it was', async () => {
      const room = freshRoom('broken-build');
      const doc = new Y.Doc();
      const log = await opened.store.openRoom(room);
      const written = edits(doc, ['a', 'b']);
      for (const update of written) await log.append([update], Y.encodeStateVector(doc));
      await assert.rejects(
        log.compact(async () => {
          throw new Error('no snapshot today');
        }),
        /no snapshot today/,
      );
      log.close();
      const again = await opened.store.openRoom(room);
      assert.equal(again.loaded.length, 2);
      assert.ok(written.every((update, i) => sameBytes(update, again.loaded[i]!)));
      again.close();
    });

    test('readRoom gives the whole stored state as one update, or null', async () => {
      const room = freshRoom('read');
      assert.equal(await opened.store.readRoom(room), null);
      const doc = new Y.Doc();
      const log = await opened.store.openRoom(room);
      await log.append(edits(doc, ['a']), Y.encodeStateVector(doc));
      await log.append(edits(doc, ['b', 'c']), Y.encodeStateVector(doc));
      log.close();
      const state = await opened.store.readRoom(room);
      assert.ok(state);
      assert.deepEqual(contentOf([state]), { a: 1, b: 1, c: 1 });
      assert.ok(sameBytes(Y.encodeStateVectorFromUpdate(state), Y.encodeStateVector(doc)));
    });

    test('replaceRoom makes the log exactly the given state; later appends follow it', async () => {
      const room = freshRoom('replace');
      const old = new Y.Doc();
      const log = await opened.store.openRoom(room);
      await log.append(edits(old, ['old1', 'old2']), Y.encodeStateVector(old));
      await log.append(edits(old, ['old3']), Y.encodeStateVector(old));
      log.close();

      const replacement = new Y.Doc();
      edits(replacement, ['new']);
      const state = Y.encodeStateAsUpdate(replacement);
      await opened.store.replaceRoom(room, state);
      const read = await opened.store.readRoom(room);
      assert.ok(read);
      assert.deepEqual(contentOf([read]), { new: 1 }, 'nothing of the old log is left');
      const vector = await opened.store.readStateVector(room);
      if (vector !== null) assert.ok(sameBytes(vector, Y.encodeStateVector(replacement)));

      const again = await opened.store.openRoom(room);
      assert.equal(again.loaded.length, 1);
      assert.deepEqual(contentOf(again.loaded), { new: 1 });
      await again.append(edits(replacement, ['after']), Y.encodeStateVector(replacement));
      again.close();
      assert.deepEqual(contentOf((await opened.store.openRoom(room)).loaded), { new: 1, after: 1 });
      assert.ok((await opened.store.listRooms()).includes(room));
    });

    test('purgeRoom removes the log of that room only; listRooms names the rooms with a log, sorted', async () => {
      const kept = freshRoom('list-kept');
      const purged = freshRoom('list-purged');
      const doc = new Y.Doc();
      for (const room of [kept, purged]) {
        const log = await opened.store.openRoom(room);
        await log.append(edits(doc, [room]), Y.encodeStateVector(doc));
        log.close();
      }
      // Opened and never written: no log.
      (await opened.store.openRoom(freshRoom('list-empty'))).close();
      const listed = await opened.store.listRooms();
      assert.deepEqual(listed, [...listed].sort());
      assert.ok(listed.includes(kept) && listed.includes(purged));
      assert.ok(!listed.some((room) => room.startsWith('list-empty')));

      await opened.store.purgeRoom(purged);
      assert.equal(await opened.store.readRoom(purged), null);
      assert.equal(await opened.store.readStateVector(purged), null);
      const reloaded = await opened.store.openRoom(purged);
      assert.equal(reloaded.loaded.length, 0);
      reloaded.close();
      const after = await opened.store.listRooms();
      assert.ok(after.includes(kept) && !after.includes(purged));
      assert.deepEqual(contentOf([(await opened.store.readRoom(kept))!]), { [kept]: 1 }, 'the other room is untouched');
    });

    test('the probe answers while the store works', async () => {
      await opened.store.probe();
    });
  });
}
