/**
 * GET boardStateApiPath on real servers with LevelDB: the board's whole Yjs document as one update,
 * equal to what a stock client synced, from a live room (and again after the next edit, so a
 * cached encoding is dropped when the document changes), only once what it holds is written, and
 * from a store no room is loaded from (a restarted server, which answers without loading the
 * room); 204 for a board never written, 404 as getBoard answers it for a deleted one; the access matrix of
 * getBoard with an auth secret; and the route in the OpenAPI document. With Redis scale-out, a process answers what other processes'
 * clients wrote, and its cached encoding follows their edits.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { boardStateApiPath, OPENAPI_PATH, roomApiPath, type ApiErrorBody } from '../../shared/api.ts';
import { serializeBoard } from '../../shared/board-file.ts';
import { deleteShape, getShapesMap, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { ACCESS_ROLE } from '../../shared/protocol.ts';
import { createAuth } from '../../server/auth.ts';
import { createLevelArchive } from '../../server/store/level-archive.ts';
import { createLevelStore, openLevelDb } from '../../server/store/level-store.ts';
import { wrapRoomLog, wrapStore } from '../../server/store/store.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';
import { rm } from 'node:fs/promises';

const SECRET = 'board-state-secret-0123456789-abcdefghijkl';
const ADMIN_TOKEN = 'board-state-admin-token-0123456789-abcdefgh';
const RECT = DEFS.find((def) => def.type === 'rect')!;

interface StateAnswer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

async function getState(server: TestServer, room: string, token: string | null = null): Promise<StateAnswer> {
  const response = await fetch(`${server.httpUrl}${boardStateApiPath(room)}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** A fresh doc holding `update`, as a page applies the answer. */
function docOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

/** Asserts the answer is a 200 of the protocol's kind holding exactly what `expected` holds. */
function assertSameBoard(answer: StateAnswer, expected: Y.Doc, label: string): void {
  assert.equal(answer.status, 200, `${label}: ${new TextDecoder().decode(answer.bytes).slice(0, 300)}`);
  assert.equal(answer.headers.get('content-type'), 'application/octet-stream', label);
  assert.equal(answer.headers.get('cache-control'), 'no-store', label);
  const doc = docOf(answer.bytes);
  try {
    assert.deepEqual(Y.encodeStateVector(doc), Y.encodeStateVector(expected), `${label}: state vector`);
    assert.deepEqual(getShapesMap(doc).toJSON(), getShapesMap(expected).toJSON(), `${label}: shapes`);
  } finally {
    doc.destroy();
  }
}

/** Writes shapes from `writer` and resolves once `watcher` has them (relayed only once stored). */
async function edit(writer: TestClient, watcher: TestClient, change: (doc: Y.Doc) => void, done: (doc: Y.Doc) => boolean, what: string): Promise<void> {
  writer.doc.transact(() => change(writer.doc), LOCAL_ORIGIN);
  await waitFor(() => done(watcher.doc), { doc: watcher.doc }, what);
}

/** A rect at `x`, `order` (0-9) its place in z-order. */
const shape = (id: string, x: number, order = 0) => sampleShape(RECT, { id, x, index: `a${order}` });

/** The error body of a JSON answer, with its status. */
async function errorOf(server: TestServer, path: string, token: string | null = null): Promise<{ status: number; body: ApiErrorBody }> {
  const response = await fetch(`${server.httpUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as ApiErrorBody };
}

describe('board state on an open server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN });
  });
  after(async () => {
    await server.close();
  });

  test('a live room answers the board its client has, and the next edit too', async () => {
    const writer = connectClient(server.syncUrl, 'live');
    const watcher = connectClient(server.syncUrl, 'live');
    try {
      await Promise.all([writer.synced, watcher.synced]);
      await edit(writer, watcher, (doc) => ['s1', 's2', 's3'].forEach((id, i) => writeShape(doc, shape(id, i * 100, i))), (doc) => getShapesMap(doc).size === 3, 'three shapes relayed');
      assert.notEqual(server.server.registry.get('live'), undefined, 'the room is loaded: the live path answers');
      assertSameBoard(await getState(server, 'live'), writer.doc, 'first answer');

      // A field changed and a shape deleted (a deletion alone adds nothing to the state vector):
      // an encoding kept from the first answer would miss both.
      await edit(
        writer,
        watcher,
        (doc) => {
          writeShape(doc, shape('s1', 555));
          deleteShape(doc, 's2');
        },
        (doc) => !getShapesMap(doc).has('s2') && getShapesMap(doc).get('s1')?.get('x') === 555,
        'the second edit relayed',
      );
      const second = await getState(server, 'live');
      assertSameBoard(second, writer.doc, 'after the second edit');
      const seen = docOf(second.bytes);
      assert.equal(getShapesMap(seen).get('s1')?.get('x'), 555);
      assert.equal(getShapesMap(seen).has('s2'), false);
      seen.destroy();
    } finally {
      writer.destroy();
      watcher.destroy();
    }
  });

  test('a board never written is 204 (nothing to start from, no error); a deleted one is 404 with the body getBoard gives', async () => {
    const never = await getState(server, 'never-written');
    assert.equal(never.status, 204);
    assert.equal(never.bytes.length, 0);
    assert.equal((await errorOf(server, roomApiPath('never-written'))).status, 404, 'getBoard still says 404');

    const response = await fetch(`${server.httpUrl}${roomApiPath('doomed')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: serializeBoard([shape('d1', 0)], 'Doomed'),
    });
    assert.equal(response.status, 200, await response.text());
    assert.equal((await getState(server, 'doomed')).status, 200);
    const deleted = await fetch(`${server.httpUrl}${roomApiPath('doomed')}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(deleted.status, 200, await deleted.text());
    const gone = await errorOf(server, boardStateApiPath('doomed'));
    assert.equal(gone.status, 404);
    assert.match(gone.body.message, /deleted/);
    assert.deepEqual(gone, await errorOf(server, roomApiPath('doomed')));
  });

  test('an invalid room name is 404 as on every route', async () => {
    const bad = await errorOf(server, boardStateApiPath('no spaces allowed'));
    assert.equal(bad.status, 404);
    assert.deepEqual(bad, await errorOf(server, roomApiPath('no spaces allowed')));
  });

  test('the OpenAPI document lists the route as binary', async () => {
    const doc = (await (await fetch(`${server.httpUrl}${OPENAPI_PATH}`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; 'x-easel-access': string; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const operation = doc.paths['/api/rooms/{room}/state']?.get;
    assert.ok(operation, 'GET /api/rooms/{room}/state is documented');
    assert.equal(operation.operationId, 'getBoardState');
    assert.equal(operation['x-easel-access'], 'view');
    assert.deepEqual(Object.keys(operation.responses['200']?.content ?? {}), ['application/octet-stream']);
  });
});

describe('board state while a write is held', () => {
  let server: TestServer;
  let dataDir: string;
  /** While set, every append of the log waits for it (a disk that has not answered yet). */
  let appendGate: Promise<void> | null = null;
  before(async () => {
    dataDir = await makeTempDir();
    const db = await openLevelDb(dataDir);
    const inner = createLevelStore(db);
    const store = wrapStore(inner, async (room) => {
      const log = await inner.openRoom(room);
      return wrapRoomLog(log, {
        async append(updates, stateVector) {
          if (appendGate) await appendGate;
          await log.append(updates, stateVector);
        },
        compact: (build) => log.compact(build),
      });
    });
    server = await startTestServer({ store, archive: createLevelArchive(db) });
  });
  after(async () => {
    appendGate = null;
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a live room answers once the edits its document holds are stored, and with them', async () => {
    const writer = connectClient(server.syncUrl, 'held');
    const watcher = connectClient(server.syncUrl, 'held');
    const calm = connectClient(server.syncUrl, 'calm');
    let release = (): void => undefined;
    try {
      await Promise.all([writer.synced, watcher.synced, calm.synced]);
      appendGate = new Promise((resolve) => (release = resolve));
      writer.doc.transact(() => writeShape(writer.doc, shape('h1', 0)), LOCAL_ORIGIN);
      const room = server.server.registry.get('held')!;
      await poll(() => room.unstoredCount > 0, 'the edit reached the room and waits for its write');

      let answered = false;
      const pending = getState(server, 'held').then((answer) => {
        answered = true;
        return answer;
      });
      // A request for a room with nothing to write takes the same path and is answered at once: by
      // then the held room's request has reached its wait (a server that answered without waiting
      // would have answered it).
      assert.equal((await getState(server, 'calm')).status, 200);
      assert.equal(answered, false, 'no answer while the edit it holds is not stored');

      release();
      appendGate = null;
      const answer = await pending;
      await waitFor(() => getShapesMap(watcher.doc).has('h1'), { doc: watcher.doc }, 'the edit relayed once stored');
      assertSameBoard(answer, writer.doc, 'the answer after the write');
    } finally {
      release();
      appendGate = null;
      writer.destroy();
      watcher.destroy();
      calm.destroy();
    }
  });
});

describe('board state of a restarted server', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await makeTempDir();
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('answers the stored board without loading its room', async () => {
    const first = await startTestServer({ dataDir });
    const expected = new Y.Doc();
    try {
      const writer = connectClient(first.syncUrl, 'kept');
      const watcher = connectClient(first.syncUrl, 'kept');
      try {
        await Promise.all([writer.synced, watcher.synced]);
        await edit(writer, watcher, (doc) => ['k1', 'k2'].forEach((id, i) => writeShape(doc, shape(id, i * 50, i))), (doc) => getShapesMap(doc).size === 2, 'two shapes relayed');
        Y.applyUpdate(expected, Y.encodeStateAsUpdate(writer.doc));
      } finally {
        writer.destroy();
        watcher.destroy();
      }
    } finally {
      await first.stop();
    }

    const second = await startTestServer({ dataDir });
    try {
      assertSameBoard(await getState(second, 'kept'), expected, 'after the restart');
      assert.equal(second.server.registry.get('kept'), undefined, 'the room was not loaded to answer');
      assert.equal(second.server.registry.size, 0);
    } finally {
      await second.stop();
      expected.destroy();
    }
  });
});

describe('board state with an auth secret', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ authSecret: SECRET });
  });
  after(async () => {
    await server.close();
  });

  test('no token 401, a view token 200, a token for another room 403: as getBoard', async () => {
    const auth = createAuth(SECRET);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const edit = await auth.sign({ room: 'guarded', role: ACCESS_ROLE.edit, expiresAt });
    const view = await auth.sign({ room: 'guarded', role: ACCESS_ROLE.view, expiresAt });
    const other = await auth.sign({ room: 'elsewhere', role: ACCESS_ROLE.edit, expiresAt });
    const put = await fetch(`${server.httpUrl}${roomApiPath('guarded')}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${edit}`, 'content-type': 'application/json' },
      body: serializeBoard([shape('g1', 0)], 'Guarded'),
    });
    assert.equal(put.status, 200, await put.text());

    const anonymous = await errorOf(server, boardStateApiPath('guarded'));
    assert.equal(anonymous.status, 401);
    assert.deepEqual(anonymous, await errorOf(server, roomApiPath('guarded')));
    const noToken = await fetch(`${server.httpUrl}${boardStateApiPath('guarded')}`);
    assert.equal(noToken.headers.get('www-authenticate'), 'Bearer');
    await noToken.body?.cancel();

    const foreign = await errorOf(server, boardStateApiPath('guarded'), other);
    assert.equal(foreign.status, 403);
    assert.deepEqual(foreign, await errorOf(server, roomApiPath('guarded'), other));

    const viewed = await getState(server, 'guarded', view);
    assert.equal(viewed.status, 200);
    const doc = docOf(viewed.bytes);
    assert.deepEqual([...getShapesMap(doc).keys()], ['g1']);
    doc.destroy();
  });
});

describe('board state with Redis scale-out', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.close();
  });

  test('a process answers what another process stored, live or not loaded, and follows the next edit', async () => {
    const [p1, p2, p3] = await Promise.all([1, 2, 3].map(() => startTestServer({ redisUrl: redis.url })));
    const writer = connectClient(p1!.syncUrl, 'scaled');
    const follower = connectClient(p2!.syncUrl, 'scaled');
    try {
      await Promise.all([writer.synced, follower.synced]);
      await edit(writer, follower, (doc) => ['r1', 'r2'].forEach((id, i) => writeShape(doc, shape(id, i * 10, i))), (doc) => getShapesMap(doc).size === 2, 'two shapes across processes');
      assertSameBoard(await getState(p2!, 'scaled'), writer.doc, 'the following process');

      // Applied on p2 as another process's updates, which the room applies without encoding them:
      // the encoding kept from the answer above must go all the same.
      await edit(
        writer,
        follower,
        (doc) => {
          writeShape(doc, shape('r1', 77));
          deleteShape(doc, 'r2');
        },
        (doc) => !getShapesMap(doc).has('r2') && getShapesMap(doc).get('r1')?.get('x') === 77,
        'the second edit across processes',
      );
      assertSameBoard(await getState(p2!, 'scaled'), writer.doc, 'the following process after the next edit');
      assertSameBoard(await getState(p3!, 'scaled'), writer.doc, 'a process without the room loaded');
      assert.equal(p3!.server.registry.get('scaled'), undefined, 'p3 did not load the room to answer');
    } finally {
      writer.destroy();
      follower.destroy();
      await Promise.all([p1!.close(), p2!.close(), p3!.close()]);
    }
  });
});
