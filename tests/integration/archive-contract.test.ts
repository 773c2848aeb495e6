/**
 * The archive contract (server/store/archive.ts), run alike against every store: LevelDB in a
 * temp dir and a real redis-server. A third store passes this suite by adding one entry to STORES.
 */
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { Level } from 'level';
import { Redis } from 'ioredis';
import type { VersionInfo } from '../../shared/api.ts';
import type { Archive, BoardRecord } from '../../server/store/archive.ts';
import { createLevelArchive } from '../../server/store/level-archive.ts';
import { createRedisArchive } from '../../server/store/redis-archive.ts';
import { StorageError } from '../../server/errors.ts';
import { makeTempDir } from '../helpers/server.ts';
import { startRedis } from '../helpers/redis.ts';

/** One store under test: its archive now, and ways to reopen it and to break it. */
interface StoreUnderTest {
  archive(): Archive;
  /** Closes the store and opens it again on the same data. */
  reopen(): Promise<void>;
  /** Makes every later call fail as a dead store does. */
  fail(): Promise<void>;
  close(): Promise<void>;
}

const STORES: Record<string, () => Promise<StoreUnderTest>> = {
  async LevelDB() {
    const dir = await makeTempDir('easel-archive-');
    const open = async () => {
      const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
      await db.open();
      return db;
    };
    let db = await open();
    return {
      archive: () => createLevelArchive(db),
      async reopen() {
        await db.close();
        db = await open();
      },
      fail: () => db.close(),
      async close() {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  async Redis() {
    const server = await startRedis();
    // As redis-persistence.ts connects: a few retries, then the command fails.
    const connect = () => new Redis(server.url, { protocol: 2, lazyConnect: true, maxRetriesPerRequest: 3 });
    let redis = connect();
    return {
      archive: () => createRedisArchive(redis),
      async reopen() {
        redis.disconnect();
        // kill -9: what Redis acknowledged must be in its append-only file.
        await server.kill();
        await server.restart();
        redis = connect();
      },
      async fail() {
        // The client is closed before the server dies, and the test waits until it has ended:
        // otherwise each command waits out the reconnect retries, and a disconnect() that lands
        // while the client waits to reconnect never ends it, so commands sit in its offline
        // queue and never settle.
        const ended = once(redis, 'end');
        redis.disconnect();
        await ended;
        await server.kill();
      },
      async close() {
        redis.disconnect();
        await server.close();
      },
    };
  },
};

/** Deterministic bytes including zeros and every byte value. */
function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 256);
}

function version(id: string, at: string, extra: Partial<VersionInfo> = {}): VersionInfo {
  return { id, at, reason: 'interval', editors: ['Ada', 'Grace'], shapes: 3, bytes: 10, ...extra };
}

function board(room: string, extra: Partial<BoardRecord> = {}): BoardRecord {
  return { room, title: `Board ${room}`, createdAt: 1_000, updatedAt: 2_000, shapes: 4, bytes: 512, deletedAt: null, ...extra };
}

for (const [name, start] of Object.entries(STORES)) {
  describe(`archive contract: ${name}`, () => {
    let store: StoreUnderTest;
    before(async () => {
      store = await start();
    });
    after(async () => {
      await store.close();
    });

    test('versions are listed oldest first, read back byte for byte, and removed', async () => {
      const { versions } = store.archive();
      const room = 'versions';
      const v1 = version('0001700000000000-0000', '2023-11-14T22:13:20.000Z');
      const v2 = version('0001700000000000-0001', '2023-11-14T22:13:20.000Z', { reason: 'idle', editors: [] });
      const v3 = version('0001700000060000-0000', '2023-11-14T22:14:20.000Z', { reason: 'restore', shapes: 0 });
      // Put out of order: the list's order comes from the ids, not from when they were written.
      await versions.put(room, v3, bytes(100_000, 3));
      await versions.put(room, v1, bytes(10, 1));
      await versions.put(room, v2, bytes(0, 2));
      assert.deepEqual(await versions.list(room), [v1, v2, v3]);
      assert.deepEqual(await versions.read(room, v1.id), bytes(10, 1));
      assert.deepEqual(await versions.read(room, v2.id), bytes(0, 2));
      assert.deepEqual(await versions.read(room, v3.id), bytes(100_000, 3));
      assert.equal(await versions.read(room, 'unknown'), null);
      assert.deepEqual(await versions.list('never-written'), []);

      await versions.remove(room, [v2.id, 'unknown']);
      assert.deepEqual(await versions.list(room), [v1, v3]);
      assert.equal(await versions.read(room, v2.id), null);
      await versions.remove(room, []);
      await versions.remove(room, [v1.id, v3.id]);
      assert.deepEqual(await versions.list(room), []);
      assert.equal(await versions.read(room, v3.id), null);
    });

    test('the board index keeps one record per room, listed by room name', async () => {
      const { boards } = store.archive();
      const records = [board('zeta'), board('a.b', { deletedAt: 5_000, title: '' }), board('A'), board('a')];
      for (const record of records) await boards.put(record);
      assert.deepEqual(
        (await boards.list()).map((record) => record.room),
        ['A', 'a', 'a.b', 'zeta'],
      );
      assert.deepEqual(await boards.get('a.b'), records[1]);
      assert.equal(await boards.get('unknown'), null);

      const renamed = board('a', { title: 'Renamed', updatedAt: 3_000, shapes: 9 });
      await boards.put(renamed);
      assert.deepEqual(await boards.get('a'), renamed);
      assert.equal((await boards.list()).length, 4);

      await boards.remove('a');
      await boards.remove('unknown');
      assert.equal(await boards.get('a'), null);
      assert.deepEqual(await boards.list(), [records[2], records[1], records[0]]);
      for (const record of await boards.list()) await boards.remove(record.room);
      assert.deepEqual(await boards.list(), []);
    });

    test('assets keep their bytes and content type, listed by id', async () => {
      const { assets } = store.archive();
      const room = 'assets';
      const png = { bytes: bytes(5_000, 7), contentType: 'image/png' };
      const svg = { bytes: new TextEncoder().encode('<svg/>'), contentType: 'image/svg+xml; charset=utf-8' };
      await assets.put(room, 'sha256-b', png);
      await assets.put(room, 'sha256-a', svg);
      // Content-addressed ids: putting the same asset again changes nothing.
      await assets.put(room, 'sha256-b', png);
      assert.deepEqual(await assets.list(room), ['sha256-a', 'sha256-b']);
      assert.deepEqual(await assets.get(room, 'sha256-b'), png);
      assert.deepEqual(await assets.get(room, 'sha256-a'), svg);
      assert.equal(await assets.get(room, 'unknown'), null);
      assert.deepEqual(await assets.list('never-written'), []);

      await assets.remove(room, ['sha256-b', 'unknown']);
      assert.deepEqual(await assets.list(room), ['sha256-a']);
      assert.equal(await assets.get(room, 'sha256-b'), null);
      await assets.remove(room, []);
      await assets.remove(room, ['sha256-a']);
      assert.deepEqual(await assets.list(room), []);
    });

    test('asset sizes: each asset with the size of its bytes, a put again counted once, gone with the asset', async () => {
      const { assets } = store.archive();
      const room = 'asset-sizes';
      assert.deepEqual(await assets.sizes(room), new Map());
      await assets.put(room, 'big', { bytes: bytes(70_000, 1), contentType: 'image/png' });
      await assets.put(room, 'empty', { bytes: new Uint8Array(0), contentType: 'image/gif' });
      await assets.put(room, 'small', { bytes: bytes(3, 2), contentType: 'image/jpeg; q=1' });
      await assets.put(room, 'big', { bytes: bytes(70_000, 1), contentType: 'image/png' });
      assert.deepEqual(await assets.sizes(room), new Map([['big', 70_000], ['empty', 0], ['small', 3]]));
      // Another room's sizes, a prefix of this one's name, are its own.
      await assets.put('asset-size', 'big', { bytes: bytes(5, 1), contentType: 'image/png' });
      assert.deepEqual(await assets.sizes('asset-size'), new Map([['big', 5]]));
      await assets.remove(room, ['big', 'unknown']);
      assert.deepEqual(await assets.sizes(room), new Map([['empty', 0], ['small', 3]]));
      await assets.remove(room, ['empty', 'small']);
      await assets.remove('asset-size', ['big']);
      assert.deepEqual(await assets.sizes(room), new Map());
      assert.deepEqual(await assets.sizes('asset-size'), new Map());
    });

    test('rooms are kept apart, names that are prefixes of each other included', async () => {
      const archive = store.archive();
      // Each is a prefix of, or shares a prefix with, the others.
      const rooms = ['p', 'p.', 'p.q', 'pq', 'p-', 'p_q'];
      for (const [i, room] of rooms.entries()) {
        await archive.versions.put(room, version(`000000000000000${i}-0000`, '2024-01-01T00:00:00.000Z', { editors: [room] }), bytes(20, i));
        await archive.assets.put(room, `asset-${i}`, { bytes: bytes(8, i), contentType: 'text/plain' });
        await archive.boards.put(board(room, { shapes: i }));
      }
      for (const [i, room] of rooms.entries()) {
        const listed = await archive.versions.list(room);
        assert.deepEqual(
          listed.map((info) => info.editors),
          [[room]],
          `versions of ${room}`,
        );
        assert.deepEqual(await archive.versions.read(room, listed[0]!.id), bytes(20, i));
        assert.deepEqual(await archive.assets.list(room), [`asset-${i}`], `assets of ${room}`);
        assert.equal((await archive.boards.get(room))?.shapes, i);
        // Another room's ids are unknown here.
        const other = (i + 1) % rooms.length;
        assert.equal(await archive.versions.read(room, `000000000000000${other}-0000`), null);
        assert.equal(await archive.assets.get(room, `asset-${other}`), null);
      }
      // Removing in one room leaves the others whole.
      await archive.versions.remove('p', ['0000000000000000-0000', '0000000000000002-0000']);
      await archive.assets.remove('p', ['asset-0', 'asset-2']);
      await archive.boards.remove('p');
      assert.deepEqual(await archive.versions.list('p'), []);
      assert.equal((await archive.versions.list('p.q')).length, 1);
      assert.deepEqual(await archive.assets.list('p.q'), ['asset-2']);
      assert.equal((await archive.boards.get('p.'))?.shapes, 1);
      assert.deepEqual(
        (await archive.boards.list()).map((record) => record.room),
        ['p-', 'p.', 'p.q', 'p_q', 'pq'],
      );
      for (const room of rooms) await archive.boards.remove(room);
    });

    test('names that could reach another key are refused before anything is written', async () => {
      const archive = store.archive();
      await assert.rejects(archive.versions.put('a!b', version('1', '2024-01-01T00:00:00.000Z'), bytes(1, 0)), TypeError);
      await assert.rejects(archive.versions.put('a', version('1!x', '2024-01-01T00:00:00.000Z'), bytes(1, 0)), TypeError);
      await assert.rejects(archive.versions.read('a{b}', '1'), TypeError);
      await assert.rejects(archive.assets.put('a', 'x~', { bytes: bytes(1, 0), contentType: 'text/plain' }), TypeError);
      await assert.rejects(archive.assets.put('a', 'x', { bytes: bytes(1, 0), contentType: 'text/plain\0' }), TypeError);
      await assert.rejects(archive.boards.put(board('')), TypeError);
      assert.deepEqual(await archive.versions.list('a'), []);
      assert.deepEqual(await archive.assets.list('a'), []);
    });

    test('what was stored is there after the store is reopened', async () => {
      const room = 'durable';
      const info = version('0001700000000000-0000', '2023-11-14T22:13:20.000Z');
      const before = store.archive();
      await before.versions.put(room, info, bytes(4_096, 9));
      await before.boards.put(board(room));
      await before.assets.put(room, 'logo', { bytes: bytes(64, 4), contentType: 'image/png' });
      await store.reopen();
      const reopened = store.archive();
      assert.deepEqual(await reopened.versions.list(room), [info]);
      assert.deepEqual(await reopened.versions.read(room, info.id), bytes(4_096, 9));
      assert.deepEqual(await reopened.boards.get(room), board(room));
      assert.deepEqual(await reopened.assets.get(room, 'logo'), { bytes: bytes(64, 4), contentType: 'image/png' });
      assert.deepEqual(await reopened.assets.sizes(room), new Map([['logo', 64]]));
    });

    // Last: the store stays broken.
    test('every method rejects with a StorageError when the store fails', async () => {
      const archive = store.archive();
      await store.fail();
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['versions.put', () => archive.versions.put('x', version('1', '2024-01-01T00:00:00.000Z'), bytes(1, 0))],
        ['versions.list', () => archive.versions.list('x')],
        ['versions.read', () => archive.versions.read('x', '1')],
        ['versions.remove', () => archive.versions.remove('x', ['1'])],
        ['boards.list', () => archive.boards.list()],
        ['boards.get', () => archive.boards.get('x')],
        ['boards.put', () => archive.boards.put(board('x'))],
        ['boards.remove', () => archive.boards.remove('x')],
        ['assets.put', () => archive.assets.put('x', 'a', { bytes: bytes(1, 0), contentType: 'text/plain' })],
        ['assets.get', () => archive.assets.get('x', 'a')],
        ['assets.list', () => archive.assets.list('x')],
        ['assets.sizes', () => archive.assets.sizes('x')],
        ['assets.remove', () => archive.assets.remove('x', ['a'])],
      ];
      for (const [label, call] of calls) await assert.rejects(call(), StorageError, label);
    });
  });
}
