/**
 * Version history and deletion on a real server with LevelDB, driven by stock y-websocket
 * clients: versions at the interval naming who edited (their presence names), a version on the
 * last leave, a restore through the API while two clients edit (they converge on the restored
 * board plus what they did after), a deleted board closing its clients and refusing new ones with
 * 4410 until it is undeleted, and a deleted board purged once the retention has passed. The
 * archive is on the store's own handle: LevelDB here, and a real Redis in the last test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import {
  BOARDS_API_PATH,
  restoreApiPath,
  roomApiPath,
  undeleteApiPath,
  versionsApiPath,
  type BoardListResponse,
  type VersionInfo,
  type VersionListResponse,
  type VersionResponse,
} from '../../shared/api.ts';
import { readBoardFile } from '../../shared/board-file.ts';
import { readAllShapes, updateShape, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { CLOSE_CODE } from '../../shared/protocol.ts';
import type { Shape } from '../../shared/schema.ts';
import { createSystemClock, type Clock } from '../../server/history/clock.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const ADMIN_TOKEN = 'history-admin-token-0123456789-abcdefghij';
const RECT = DEFS.find((def) => def.type === 'rect')!;
const DAY_MS = 86_400_000;

/** A rectangle with this id at (x, 0), above every shape drawn before it. */
const rect = (id: string, x: number, index: string): Shape => sampleShape(RECT, { id, x, y: 0, index });

/** A stock client on `room` that shows `name` in its presence, synced. */
async function person(server: TestServer, room: string, name: string | null): Promise<TestClient> {
  const client = connectClient(server.syncUrl, room);
  if (name !== null) client.provider.awareness.setLocalStateField('user', { name, color: '#1971c2' });
  await client.synced;
  return client;
}

/**
 * Writes `shape` as the client's own edit and resolves once the server has stored it: once
 * `observer` (another client of the room) has it, as the server relays only what it stored.
 */
async function draw(client: TestClient, observer: TestClient, shape: Shape): Promise<void> {
  client.doc.transact(() => writeShape(client.doc, shape), LOCAL_ORIGIN);
  await waitFor(() => readAllShapes(observer.doc).some((s) => s.id === shape.id), { doc: observer.doc }, `${shape.id} is stored`);
}

async function api<T>(server: TestServer, method: string, path: string, body?: unknown, token: string | null = null): Promise<T> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const versions = async (server: TestServer, room: string): Promise<VersionInfo[]> => {
  const response = await fetch(`${server.httpUrl}${versionsApiPath(room)}`);
  return response.ok ? ((await response.json()) as VersionListResponse).versions : [];
};

/** The close code of one sync socket to `room`: the server's refusal, or null if it stays open past its first message. */
function openSocket(server: TestServer, room: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.syncUrl}/${room}`);
    ws.once('error', reject);
    ws.once('close', (code) => resolve(code));
    // The server greets a joined socket with its sync step 1: then it was let in.
    ws.once('message', () => {
      ws.removeAllListeners('close');
      ws.once('close', () => resolve(null));
      ws.close();
    });
  });
}

/** Resolves with the next close code the client's socket gets from the server. */
function nextClose(client: TestClient): Promise<number> {
  return new Promise((resolve) => client.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));
}

describe('versions on a running server', () => {
  let server: TestServer;
  let quiet: TestServer;
  before(async () => {
    [server, quiet] = await Promise.all([startTestServer({ historyIntervalMs: 50 }), startTestServer()]);
  });
  after(async () => {
    await Promise.all([server.close(), quiet.close()]);
  });

  test('while a board changes, a version at the interval names who edited by their presence names', async () => {
    const ada = await person(server, 'interval', 'Ada');
    const bob = await person(server, 'interval', 'Bob');
    const anonymous = await person(server, 'interval', null);
    try {
      await draw(ada, bob, rect('r1', 0, 'a0'));
      await draw(bob, ada, rect('r2', 200, 'a1'));
      await draw(anonymous, ada, rect('r3', 400, 'a2'));
      await poll(async () => (await versions(server, 'interval')).some((v) => v.reason === 'interval' && v.shapes === 3), 'a version of the three shapes at the interval');
      const listed = await versions(server, 'interval');
      const editors = new Set(listed.flatMap((v) => v.editors));
      assert.ok(editors.has('Ada') && editors.has('Bob'), `the editors are named: ${JSON.stringify(listed)}`);
      // The anonymous client edited too, but shows no name; the server's own edit names no one.
      assert.deepEqual([...editors].sort(), ['Ada', 'Bob']);
      assert.ok(listed.every((v) => v.reason === 'interval'), 'nothing but interval versions while everyone stays');
      // At most one per interval: three edits, each stored before the next, are never three versions of one shape each.
      const board = readBoardFile(await (await fetch(`${server.httpUrl}${roomApiPath('interval')}`)).text());
      assert.deepEqual(board.shapes.map((s) => s.id).sort(), ['r1', 'r2', 'r3']);
    } finally {
      for (const client of [ada, bob, anonymous]) client.destroy();
    }
  });

  test('when the last editor leaves, a version of the board is taken', async () => {
    const ada = await person(quiet, 'leave', 'Ada');
    const observer = await person(quiet, 'leave', null);
    await draw(ada, observer, rect('r1', 0, 'a0'));
    await draw(ada, observer, rect('r2', 200, 'a1'));
    assert.deepEqual(await versions(quiet, 'leave'), [], 'no version yet: the interval is five minutes');
    ada.destroy();
    assert.deepEqual(await versions(quiet, 'leave'), [], 'no version while someone is still there');
    observer.destroy();
    await poll(async () => (await versions(quiet, 'leave')).length > 0, 'a version once the last editor left');
    const [version, ...more] = await versions(quiet, 'leave');
    assert.equal(more.length, 0);
    assert.equal(version!.reason, 'idle');
    assert.equal(version!.shapes, 2);
    assert.deepEqual(version!.editors, ['Ada']);
  });

  test('a restore through the API while two clients edit: both converge on the restored board plus their later edits', async () => {
    const room = 'restore-live';
    const a = await person(quiet, room, 'Ada');
    const b = await person(quiet, room, 'Bob');
    try {
      await draw(a, b, rect('kept', 0, 'a0'));
      await draw(b, a, rect('moved', 200, 'a1'));
      const { version } = await api<VersionResponse>(quiet, 'POST', versionsApiPath(room), { reason: 'manual' });
      assert.equal(version.reason, 'manual');
      assert.equal(version.shapes, 2);
      // After the version: a new shape, and one moved.
      await draw(a, b, rect('after', 400, 'a2'));
      b.doc.transact(() => updateShape(b.doc, 'moved', { x: 999 }), LOCAL_ORIGIN);
      await waitFor(() => readAllShapes(a.doc).find((s) => s.id === 'moved')?.x === 999, { doc: a.doc }, 'the move is stored');

      // The restore runs while both go on editing.
      const restoring = api<VersionResponse>(quiet, 'POST', restoreApiPath(room, version.id));
      a.doc.transact(() => writeShape(a.doc, rect('during-a', 600, 'a3')), LOCAL_ORIGIN);
      b.doc.transact(() => writeShape(b.doc, rect('during-b', 800, 'a4')), LOCAL_ORIGIN);
      const { version: before } = await restoring;
      assert.equal(before.reason, 'restore', 'a version of what the board was is taken first');
      assert.ok(before.shapes >= 3, 'the version before the restore holds the later shape');

      // After the restore: each adds one more.
      await waitFor(() => readAllShapes(a.doc).every((s) => s.id !== 'after'), { doc: a.doc }, 'A sees the restore');
      await waitFor(() => readAllShapes(b.doc).every((s) => s.id !== 'after'), { doc: b.doc }, 'B sees the restore');
      await draw(a, b, rect('later-a', 0, 'a5'));
      await draw(b, a, rect('later-b', 200, 'a6'));
      const same = (): boolean => JSON.stringify(readAllShapes(a.doc)) === JSON.stringify(readAllShapes(b.doc));
      await waitFor(same, { doc: a.doc }, 'A and B converge');
      await waitFor(same, { doc: b.doc }, 'B and A converge');

      const shapes = readAllShapes(a.doc);
      const ids = shapes.map((s) => s.id);
      assert.ok(ids.includes('kept') && ids.includes('moved'), 'the version’s shapes are there');
      assert.ok(!ids.includes('after'), 'the shape drawn after the version is gone');
      assert.equal(shapes.find((s) => s.id === 'moved')!.x, 200, 'the moved shape is back where the version had it');
      assert.ok(ids.includes('later-a') && ids.includes('later-b'), 'the edits made after the restore stay');
      // What was drawn during the restore either came before it (and went) or after it (and
      // stays): either way both clients and the server agree.
      const served = readBoardFile(await (await fetch(`${quiet.httpUrl}${roomApiPath(room)}`)).text());
      assert.deepEqual(served.shapes, shapes, 'the server holds what the clients hold');
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});

describe('deleting a board', () => {
  let server: TestServer;
  /** Days the server's clock is moved ahead by, so the retention passes without waiting. */
  let aheadMs = 0;
  const clock: Clock = { ...createSystemClock(), now: () => Date.now() + aheadMs };
  before(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN, historyDays: 1, purgeIntervalMs: 50, clock });
  });
  after(async () => {
    await server.close();
  });

  test('closes its clients with 4410, refuses new connections with 4410, and lets them in again once undeleted', async () => {
    const room = 'doomed';
    const a = await person(server, room, 'Ada');
    const b = await person(server, room, 'Bob');
    await draw(a, b, rect('r1', 0, 'a0'));
    const closedA = nextClose(a);
    const closedB = nextClose(b);
    const deleted = await api<{ deletedAt: string | null }>(server, 'DELETE', roomApiPath(room), undefined, ADMIN_TOKEN);
    assert.notEqual(deleted.deletedAt, null);
    assert.equal(await closedA, CLOSE_CODE.boardDeleted);
    assert.equal(await closedB, CLOSE_CODE.boardDeleted);
    a.destroy();
    b.destroy();

    assert.equal(await openSocket(server, room), CLOSE_CODE.boardDeleted, 'a new connection is refused');
    const gone = await fetch(`${server.httpUrl}${roomApiPath(room)}`);
    assert.equal(gone.status, 404, 'the API answers 404 for the deleted board');
    const listed = await api<BoardListResponse>(server, 'GET', BOARDS_API_PATH, undefined, ADMIN_TOKEN);
    assert.ok(listed.boards.find((board) => board.room === room)?.deletedAt, 'the list shows it deleted');
    const before = await versions(server, room);
    assert.ok(before.some((v) => v.reason === 'delete'), 'a version was taken before the delete');

    await api(server, 'POST', undeleteApiPath(room), undefined, ADMIN_TOKEN);
    assert.equal(await openSocket(server, room), null, 'a connection is let in again');
    const back = await person(server, room, 'Ada');
    try {
      assert.deepEqual(readAllShapes(back.doc).map((s) => s.id), ['r1'], 'with the board as it was');
    } finally {
      back.destroy();
    }
  });

  test('a deleted board is purged once the retention has passed', async () => {
    const room = 'purged';
    const a = await person(server, room, 'Ada');
    const b = await person(server, room, null);
    await draw(a, b, rect('r1', 0, 'a0'));
    const closed = nextClose(a);
    await api(server, 'DELETE', roomApiPath(room), undefined, ADMIN_TOKEN);
    assert.equal(await closed, CLOSE_CODE.boardDeleted);
    a.destroy();
    b.destroy();
    const listed = async (): Promise<string[]> => (await api<BoardListResponse>(server, 'GET', BOARDS_API_PATH, undefined, ADMIN_TOKEN)).boards.map((board) => board.room);
    assert.ok((await listed()).includes(room), 'kept within the retention');

    aheadMs = 2 * DAY_MS;
    await poll(async () => !(await listed()).includes(room), 'purged once the retention has passed');
    assert.deepEqual(await versions(server, room), [], 'its versions went with it');
    const undelete = await fetch(`${server.httpUrl}${undeleteApiPath(room)}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(undelete.status, 404, 'a purged board cannot be undeleted');
    assert.ok((await listed()).includes('doomed'), 'the undeleted board is not purged');
  });
});

describe('history on Redis', () => {
  let redis: TestRedis;
  let server: TestServer;
  before(async () => {
    redis = await startRedis();
    server = await startTestServer({ redisUrl: redis.url, adminToken: ADMIN_TOKEN });
  });
  after(async () => {
    await server.close();
    await redis.close();
  });

  test('versions and the board index live in the Redis beside the log', async () => {
    const ada = await person(server, 'on-redis', 'Ada');
    const observer = await person(server, 'on-redis', null);
    await draw(ada, observer, rect('r1', 0, 'a0'));
    ada.destroy();
    observer.destroy();
    await poll(async () => (await versions(server, 'on-redis')).length > 0, 'a version once the last editor left');
    const [version] = await versions(server, 'on-redis');
    assert.deepEqual([version!.reason, version!.shapes, version!.editors], ['idle', 1, ['Ada']]);
    const { boards } = await api<BoardListResponse>(server, 'GET', BOARDS_API_PATH, undefined, ADMIN_TOKEN);
    assert.deepEqual(
      boards.map((b) => [b.room, b.shapes, b.versions]),
      [['on-redis', 1, 1]],
    );
  });
});
