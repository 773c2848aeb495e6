/**
 * The board API on real servers with LevelDB: the whole access matrix (every route × no token,
 * view, edit, a token for another room, admin) with an auth secret, and what an open server with
 * only --admin-token allows; then every endpoint doing its work: list, get, put (import), the
 * versions (list, get, capture, restore), delete and undelete, repair, and a backup taken from
 * one server and restored into another, board for board and version for version.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  BACKUP_API_PATH,
  BOARDS_API_PATH,
  repairApiPath,
  restoreApiPath,
  roomApiPath,
  undeleteApiPath,
  versionApiPath,
  versionsApiPath,
  type BoardListResponse,
  type BoardSummary,
  type RepairResponse,
  type RestoreBackupResponse,
  type VersionListResponse,
  type VersionResponse,
} from '../../shared/api.ts';
import { readBoardFile, serializeBoard, type BoardFileData } from '../../shared/board-file.ts';
import { getShapesMap, readAllShapes } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { ACCESS_ROLE, ROOM_WILDCARD, type AccessRole } from '../../shared/protocol.ts';
import { createAuth } from '../../server/auth.ts';
import { roleAllows } from '../../server/api/access-policy.ts';
import { ROUTES, type Route } from '../../server/api/routes.ts';
import { connectClient, waitFor } from '../helpers/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const SECRET = 'api-test-secret-0123456789-abcdefghijklmnop';
const ADMIN_TOKEN = 'api-test-admin-token-0123456789-abcdefghij';
const RECT = DEFS.find((def) => def.type === 'rect')!;
const ELLIPSE = DEFS.find((def) => def.type === 'ellipse')!;

const boardFile = (title: string, ...xs: number[]): string =>
  serializeBoard(
    xs.map((x, i) => sampleShape(i % 2 === 0 ? RECT : ELLIPSE, { id: `s${i}`, x, index: `a${i}` })),
    title,
  );

interface Answer {
  status: number;
  text: string;
}

async function call(server: TestServer, method: string, path: string, token: string | null, body?: string): Promise<Answer> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body }),
  });
  return { status: response.status, text: await response.text() };
}

/** The answer's JSON, after checking it is a 200. */
async function ok<T>(server: TestServer, method: string, path: string, token: string | null, body?: string): Promise<T> {
  const answer = await call(server, method, path, token, body);
  assert.equal(answer.status, 200, `${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return JSON.parse(answer.text) as T;
}

/** A concrete path of a route on `room`. */
const pathOf = (route: Route, room: string): string => route.path.replace('{room}', encodeURIComponent(room)).replace('{id}', 'v-none');

/** A body the route would take, so a refusal is about access, not the body. */
const bodyOf = (route: Route): string | undefined =>
  route.request === 'boardFile' ? boardFile('matrix', 0) : route.request === 'backup' ? '{"type":"easel/backup","version":1}\n' : route.request === undefined ? undefined : '{}';

describe('access matrix with an auth secret', () => {
  let server: TestServer;
  const tokens = new Map<string, string | null>();
  /** Each caller: its token's role (null: no token) and whether the token is for the room asked about. */
  const callers: Array<{ name: string; role: AccessRole | null; forRoom: boolean }> = [
    { name: 'no token', role: null, forRoom: false },
    { name: 'view', role: ACCESS_ROLE.view, forRoom: true },
    { name: 'edit', role: ACCESS_ROLE.edit, forRoom: true },
    { name: 'edit of another room', role: ACCESS_ROLE.edit, forRoom: false },
    { name: 'admin', role: ACCESS_ROLE.admin, forRoom: true },
  ];
  before(async () => {
    server = await startTestServer({ authSecret: SECRET });
    const auth = createAuth(SECRET);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    tokens.set('no token', null);
    tokens.set('view', await auth.sign({ room: 'matrix', role: ACCESS_ROLE.view, expiresAt }));
    tokens.set('edit', await auth.sign({ room: 'matrix', role: ACCESS_ROLE.edit, expiresAt }));
    tokens.set('edit of another room', await auth.sign({ room: 'elsewhere', role: ACCESS_ROLE.edit, expiresAt }));
    tokens.set('admin', await auth.sign({ room: ROOM_WILDCARD, role: ACCESS_ROLE.admin, expiresAt }));
  });
  after(async () => {
    await server.close();
  });

  test('every route answers each kind of token as the policy says: 401 without one, 403 short of the role or for another room', async () => {
    // The share endpoint has rules of its own (server/share.ts) and the document none.
    const routes = ROUTES.filter((route) => route.access !== 'none' && route.operationId !== 'shareBoard');
    // The matrix is run on a board that exists, so allowed calls do their work (an admin deletes it last).
    await ok(server, 'PUT', roomApiPath('matrix'), tokens.get('edit')!, boardFile('matrix', 0, 200));
    const order = [...routes].sort((a, b) => Number(a.operationId === 'deleteBoard') - Number(b.operationId === 'deleteBoard'));
    for (const route of order) {
      for (const caller of callers) {
        const answer = await call(server, route.method, pathOf(route, 'matrix'), tokens.get(caller.name)!, bodyOf(route));
        const label = `${route.method} ${route.path} as ${caller.name}: ${answer.status} ${answer.text.slice(0, 200)}`;
        const roomBound = route.path.includes('{room}');
        if (caller.role === null) assert.equal(answer.status, 401, label);
        else if (!roleAllows(caller.role, route.access) || (roomBound && !caller.forRoom)) assert.equal(answer.status, 403, label);
        else assert.ok(answer.status !== 401 && answer.status !== 403, label);
      }
    }
  });
});

describe('an open server with only --admin-token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN });
  });
  after(async () => {
    await server.close();
  });

  test('view and edit need no token; admin endpoints need the admin token, and an access JWT is not one', async () => {
    await ok<VersionResponse>(server, 'PUT', roomApiPath('open'), null, boardFile('open', 0));
    assert.equal(readBoardFile((await call(server, 'GET', roomApiPath('open'), null)).text).title, 'open');
    await ok<VersionListResponse>(server, 'GET', versionsApiPath('open'), null);
    const jwt = await createAuth(SECRET).sign({ room: ROOM_WILDCARD, role: ACCESS_ROLE.admin, expiresAt: Math.floor(Date.now() / 1000) + 60 });
    for (const route of ROUTES.filter((r) => r.access === 'admin')) {
      for (const token of [null, jwt]) {
        const answer = await call(server, route.method, pathOf(route, 'open'), token, bodyOf(route));
        assert.equal(answer.status, 401, `${route.method} ${route.path} with ${token === null ? 'no token' : 'a JWT'}: ${answer.text}`);
      }
    }
    const { boards } = await ok<BoardListResponse>(server, 'GET', BOARDS_API_PATH, ADMIN_TOKEN);
    assert.deepEqual(
      boards.map((b) => [b.room, b.title, b.shapes]),
      [['open', 'open', 1]],
    );
  });
});

describe('every endpoint doing its work, and a backup round trip', () => {
  let server: TestServer;
  let other: TestServer;
  let edit: string;
  let view: string;
  let admin: string;
  before(async () => {
    [server, other] = await Promise.all([startTestServer({ authSecret: SECRET }), startTestServer({ adminToken: ADMIN_TOKEN })]);
    const auth = createAuth(SECRET);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    edit = await auth.sign({ room: ROOM_WILDCARD, role: ACCESS_ROLE.edit, expiresAt });
    view = await auth.sign({ room: ROOM_WILDCARD, role: ACCESS_ROLE.view, expiresAt });
    admin = await auth.sign({ room: ROOM_WILDCARD, role: ACCESS_ROLE.admin, expiresAt });
  });
  after(async () => {
    await Promise.all([server.close(), other.close()]);
  });

  test('import, get, versions (list, get, capture, restore), repair, delete and undelete', async () => {
    const first = await ok<VersionResponse>(server, 'PUT', roomApiPath('work'), edit, boardFile('Plan', 0, 200));
    assert.equal(first.version.reason, 'import');
    const got: BoardFileData = readBoardFile((await call(server, 'GET', roomApiPath('work'), view)).text);
    assert.equal(got.title, 'Plan');
    assert.deepEqual(got.shapes.map((s) => s.id), ['s0', 's1']);

    const captured = await ok<VersionResponse>(server, 'POST', versionsApiPath('work'), edit, '{"reason":"manual"}');
    assert.equal(captured.version.reason, 'manual');
    assert.equal(captured.version.shapes, 2);
    const refused = await call(server, 'POST', versionsApiPath('work'), edit, '{"reason":"delete"}');
    assert.equal(refused.status, 400, 'only restore and manual may be asked for');

    await ok<VersionResponse>(server, 'PUT', roomApiPath('work'), edit, boardFile('Plan', 0, 200, 400));
    const { versions } = await ok<VersionListResponse>(server, 'GET', versionsApiPath('work'), view);
    assert.deepEqual(
      versions.map((v) => v.reason),
      ['import', 'manual', 'import'],
    );
    const atCapture = readBoardFile((await call(server, 'GET', versionApiPath('work', captured.version.id), view)).text);
    assert.deepEqual(atCapture.shapes.map((s) => s.id), ['s0', 's1']);

    assert.equal((await call(server, 'POST', restoreApiPath('work', captured.version.id), view)).status, 403, 'a view token cannot restore');
    const restored = await ok<VersionResponse>(server, 'POST', restoreApiPath('work', captured.version.id), edit);
    assert.equal(restored.version.reason, 'restore');
    assert.equal(restored.version.shapes, 3, 'the version before the restore holds what the board was');
    assert.deepEqual(readBoardFile((await call(server, 'GET', roomApiPath('work'), view)).text).shapes, atCapture.shapes);
    assert.equal((await call(server, 'GET', versionApiPath('work', 'no-such-version'), view)).status, 404);

    // Junk a client wrote past the schema gate: repair removes it, as a forward edit the client sees.
    const client = connectClient(server.syncUrl, 'work', { params: { token: edit } });
    const observer = connectClient(server.syncUrl, 'work', { params: { token: view } });
    try {
      await Promise.all([client.synced, observer.synced]);
      client.doc.transact(() => getShapesMap(client.doc).set('junk', new Y.Map<unknown>([['type', 'nonsense']]) as never), LOCAL_ORIGIN);
      // The server relays only what it stored.
      await waitFor(() => getShapesMap(observer.doc).has('junk'), { doc: observer.doc }, 'the junk is stored');
      const { removed } = await ok<RepairResponse>(server, 'POST', repairApiPath('work'), admin);
      assert.deepEqual(removed.map((r) => r.id), ['junk']);
      await waitFor(() => !getShapesMap(client.doc).has('junk'), { doc: client.doc }, 'the client sees the junk go');
      assert.equal(readAllShapes(client.doc).length, 2, 'the valid shapes stay');
    } finally {
      client.destroy();
      observer.destroy();
    }

    const deleted = await ok<BoardSummary>(server, 'DELETE', roomApiPath('work'), admin);
    assert.notEqual(deleted.deletedAt, null);
    assert.equal((await call(server, 'GET', roomApiPath('work'), view)).status, 404);
    assert.equal((await call(server, 'DELETE', roomApiPath('work'), edit)).status, 403, 'deleting needs admin');
    const back = await ok<BoardSummary>(server, 'POST', undeleteApiPath('work'), admin);
    assert.equal(back.deletedAt, null);
    assert.equal(readBoardFile((await call(server, 'GET', roomApiPath('work'), view)).text).shapes.length, 2);
  });

  test('a backup taken from one server restores into another: every board and version', async () => {
    await ok(server, 'PUT', roomApiPath('backup-a'), edit, boardFile('A', 0));
    await ok(server, 'PUT', roomApiPath('backup-b'), edit, boardFile('B', 0, 100, 200));
    await ok(server, 'PUT', roomApiPath('backup-b'), edit, boardFile('B', 0));
    const backup = await call(server, 'GET', BACKUP_API_PATH, admin);
    assert.equal(backup.status, 200);
    assert.match(backup.text.split('\n')[0]!, /easel\/backup/);

    const restored = await ok<RestoreBackupResponse>(other, 'POST', BACKUP_API_PATH, ADMIN_TOKEN, backup.text);
    const { boards } = await ok<BoardListResponse>(server, 'GET', BOARDS_API_PATH, admin);
    assert.equal(restored.boards, boards.length);
    const { boards: otherBoards } = await ok<BoardListResponse>(other, 'GET', BOARDS_API_PATH, ADMIN_TOKEN);
    assert.deepEqual(
      otherBoards.map((b) => [b.room, b.title, b.shapes, b.versions]),
      boards.map((b) => [b.room, b.title, b.shapes, b.versions]),
    );
    for (const { room } of boards) {
      assert.equal((await call(other, 'GET', roomApiPath(room), null)).text, (await call(server, 'GET', roomApiPath(room), view)).text, room);
      const mine = await ok<VersionListResponse>(server, 'GET', versionsApiPath(room), view);
      const theirs = await ok<VersionListResponse>(other, 'GET', versionsApiPath(room), null);
      assert.deepEqual(theirs.versions, mine.versions, room);
      for (const version of mine.versions) {
        assert.equal((await call(other, 'GET', versionApiPath(room, version.id), null)).text, (await call(server, 'GET', versionApiPath(room, version.id), view)).text);
      }
    }
    // Restoring the same backup again replaces what is there: the same boards, nothing doubled.
    await ok<RestoreBackupResponse>(other, 'POST', BACKUP_API_PATH, ADMIN_TOKEN, backup.text);
    const again = await ok<BoardListResponse>(other, 'GET', BOARDS_API_PATH, ADMIN_TOKEN);
    assert.deepEqual(again.boards.map((b) => [b.room, b.versions]), otherBoards.map((b) => [b.room, b.versions]));
  });
});
