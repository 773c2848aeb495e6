/**
 * Access control: the token matrix (none, malformed, bad signature, expired, wrong room, view,
 * edit, wildcard; in the query or as a subprotocol), view-only connections (writes dropped, told
 * once, presence and updates still flow), the Origin check, the share API and the token script.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { WebsocketProvider } from 'y-websocket';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import { WireClient, awarenessMessage, closeOf, queryAwareness, syncStep1, syncStep2, syncUpdate, upgradeStatus } from '../helpers/wire.ts';
import { createAuth, type AccessGrant } from '../../server/auth.ts';
import { ACCESS_ROLE, CLOSE_CODE, MESSAGE_TYPE, READ_ONLY_REASON, SYNC_MESSAGE_TYPE, sharePath, type ShareResponse } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
const auth = createAuth(SECRET);
const now = (): number => Math.floor(Date.now() / 1000);

function token(room: string, role: AccessGrant['role'], ttlSeconds = 3600): Promise<string> {
  return auth.sign({ room, role, expiresAt: now() + ttlSeconds });
}

let server: TestServer;

before(async () => {
  server = await startTestServer({ authSecret: SECRET });
});

after(async () => {
  await server.close();
});

/** Opens a raw socket on `room` with `query` and resolves with the close code the server chose. */
async function refusedWith(room: string, query: string, protocols?: string[]): Promise<number> {
  const ws = new WebSocket(`${server.syncUrl}/${room}${query}`, protocols);
  ws.on('error', () => undefined);
  return (await closeOf(ws)).code;
}

describe('token matrix', () => {
  test('no token, malformed, bad signature, expired, bad claims: 4401', async () => {
    const otherSecret = createAuth('another-secret-0123456789-abcdefghijkl');
    const key = new TextEncoder().encode(SECRET);
    const noRole = await new SignJWT({ room: 'm' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now() + 60).sign(key);
    const badRole = await new SignJWT({ room: 'm', role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now() + 60).sign(key);
    const noExpiry = await new SignJWT({ room: 'm', role: 'edit' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ room: 'm', role: 'edit', exp: now() + 60 })}.`;
    const cases: Array<[string, string]> = [
      ['no token', ''],
      ['malformed', '?token=not-a-jwt'],
      ['bad signature', `?token=${await otherSecret.sign({ room: 'm', role: 'edit', expiresAt: now() + 60 })}`],
      ['expired', `?token=${await auth.sign({ room: 'm', role: 'edit', expiresAt: now() - 5 })}`],
      ['no role', `?token=${noRole}`],
      ['unknown role', `?token=${badRole}`],
      ['no expiry', `?token=${noExpiry}`],
      ['alg none', `?token=${unsigned}`],
    ];
    for (const [name, query] of cases) {
      assert.equal(await refusedWith('m', query), CLOSE_CODE.unauthorized, name);
    }
    assert.equal(server.server.stats().sockets, 0);
  });

  test('a valid token for another room: 4403, also as a subprotocol', async () => {
    assert.equal(await refusedWith('m', `?token=${await token('other', 'edit')}`), CLOSE_CODE.forbidden);
    assert.equal(await refusedWith('m', '', [await token('other', 'view')]), CLOSE_CODE.forbidden);
  });

  test('the stock provider stops retrying after 4401 (a final code)', async () => {
    const client = connectClient(server.syncUrl, 'final', { params: { token: 'garbage' } });
    try {
      const code = await new Promise<number>((resolve) => client.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? -1)));
      assert.equal(code, CLOSE_CODE.unauthorized);
      await poll(() => !client.provider.shouldConnect, 'provider gives up');
    } finally {
      client.destroy();
    }
  });

  test('edit tokens sync through the query parameter, a subprotocol, and for every room', async () => {
    const editor = connectClient(server.syncUrl, 'matrix', { params: { token: await token('matrix', 'edit') } });
    const wildcard = connectClient(server.syncUrl, 'matrix', { params: { token: await token('*', 'edit') } });
    const viaProtocol = new Y.Doc();
    const protocolToken = await token('matrix', 'edit');
    const provider = new WebsocketProvider(server.syncUrl, 'matrix', viaProtocol, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      protocols: [protocolToken],
      disableBc: true,
    });
    try {
      await Promise.all([editor.synced, wildcard.synced]);
      await poll(() => provider.synced, 'subprotocol provider synced');
      // The server echoes the offered token, as a browser requires of a chosen subprotocol.
      assert.equal((provider.ws as unknown as WebSocket).protocol, protocolToken);
      editor.doc.transact(() => editor.doc.getMap('m').set('editor', 1), LOCAL_ORIGIN);
      wildcard.doc.transact(() => wildcard.doc.getMap('m').set('wildcard', 2), LOCAL_ORIGIN);
      viaProtocol.transact(() => viaProtocol.getMap('m').set('protocol', 3), LOCAL_ORIGIN);
      for (const doc of [editor.doc, wildcard.doc, viaProtocol]) {
        await waitFor(() => doc.getMap('m').size === 3, { doc }, 'all three edits everywhere');
      }
    } finally {
      editor.destroy();
      wildcard.destroy();
      provider.destroy();
      viaProtocol.destroy();
    }
  });

  test('an admin token (room "*") opens every room with edit rights', async () => {
    const admin = connectClient(server.syncUrl, 'admin-room', { params: { token: await token('*', 'admin') } });
    const editor = connectClient(server.syncUrl, 'admin-room', { params: { token: await token('admin-room', 'edit') } });
    try {
      await Promise.all([admin.synced, editor.synced]);
      admin.doc.transact(() => admin.doc.getMap('m').set('admin', 1), LOCAL_ORIGIN);
      await waitFor(() => editor.doc.getMap('m').get('admin') === 1, { doc: editor.doc }, "the admin's edit reaches an editor");
    } finally {
      admin.destroy();
      editor.destroy();
    }
  });
});

describe('view-only connections', () => {
  test('writes are dropped and reported once; step 1, updates and presence flow', async () => {
    const editor = connectClient(server.syncUrl, 'view', { params: { token: await token('view', 'edit') } });
    await editor.synced;
    editor.doc.transact(() => editor.doc.getMap('m').set('before', 'x'), LOCAL_ORIGIN);
    // A deletion, so the view client's step 2 carries a delete set that holds nothing new.
    editor.doc.transact(() => editor.doc.getMap('m').set('gone', 'z'), LOCAL_ORIGIN);
    editor.doc.transact(() => editor.doc.getMap('m').delete('gone'), LOCAL_ORIGIN);
    await poll(async () => {
      await server.server.registry.flushAll();
      const room = [...server.server.registry.rooms()].find((r) => r.name === 'view');
      return room !== undefined && !room.doc.getMap('m').has('gone') && room.doc.getMap('m').has('before');
    }, 'the server has the edits');

    // A hand-driven view client, so the order of what the server answers is known.
    const viewer = new WireClient(`${server.syncUrl}/view?token=${await token('view', 'view')}`);
    const viewDoc = new Y.Doc();
    try {
      await viewer.opened;
      viewer.send(syncStep1(viewDoc));
      const { message: reply } = await viewer.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2, 'step 2 reply');
      Y.applyUpdate(viewDoc, reply.payload!);
      assert.equal(viewDoc.getMap('m').get('before'), 'x', 'the view client got the document');
      // What every client sends on connect: its step 2, here with nothing new. Not a write.
      viewer.send(syncStep2(viewDoc, Y.encodeStateVector(viewDoc)));
      viewer.send(queryAwareness());
      let seen = await viewer.next((m) => m.type === MESSAGE_TYPE.awareness, 'awareness reply');
      assert.ok(!seen.skipped.some((m) => m.type === MESSAGE_TYPE.auth), 'no permission-denied for an empty step 2');

      // A real write: dropped, and the client is told once with the reason.
      const local = new Y.Doc();
      Y.applyUpdate(local, Y.encodeStateAsUpdate(viewDoc));
      local.getMap('m').set('fromViewer', 1);
      viewer.send(syncUpdate(Y.encodeStateAsUpdate(local, Y.encodeStateVector(viewDoc))));
      const denied = await viewer.next((m) => m.type === MESSAGE_TYPE.auth, 'permission denied');
      assert.equal(denied.message.reason, READ_ONLY_REASON);
      local.getMap('m').set('again', 2);
      viewer.send(syncStep2(local, Y.encodeStateVector(viewDoc)));
      // Its presence still goes through.
      viewer.send(awarenessMessage(424242, 1, { user: { name: 'viewer', color: '#123456' } }));
      await waitFor(() => editor.provider.awareness.getStates().has(424242), { awareness: editor.provider.awareness }, 'editor sees the viewer');
      // And it still receives the editor's updates.
      editor.doc.transact(() => editor.doc.getMap('m').set('after', 'y'), LOCAL_ORIGIN);
      seen = await viewer.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.update, 'editor update');
      assert.ok(!seen.skipped.some((m) => m.type === MESSAGE_TYPE.auth), 'told only once');
      viewer.send(queryAwareness());
      seen = await viewer.next((m) => m.type === MESSAGE_TYPE.awareness && m.raw.length > 0, 'awareness');
      assert.ok(!seen.skipped.some((m) => m.type === MESSAGE_TYPE.auth), 'told only once');

      const serverDoc = [...server.server.registry.rooms()].find((r) => r.name === 'view')!.doc;
      assert.deepEqual(serverDoc.getMap('m').toJSON(), { before: 'x', after: 'y' });
      assert.equal(editor.doc.getMap('m').has('fromViewer'), false);
      assert.equal(viewer.ws.readyState, WebSocket.OPEN, 'the view client stays connected');
    } finally {
      viewer.close();
      editor.destroy();
      viewDoc.destroy();
    }
  });

  test('a stock provider with a view token sees edits live but cannot change the board', async () => {
    const editor = connectClient(server.syncUrl, 'view2', { params: { token: await token('view2', 'edit') } });
    const viewer = connectClient(server.syncUrl, 'view2', { params: { token: await token('view2', 'view') } });
    const reasons: string[] = [];
    // The stock provider only logs permission-denied; count it instead.
    viewer.provider.messageHandlers[MESSAGE_TYPE.auth] = (_encoder, decoder) => {
      decoding.readVarUint(decoder); // permission denied
      reasons.push(decoding.readVarString(decoder));
    };
    try {
      await Promise.all([editor.synced, viewer.synced]);
      editor.doc.transact(() => editor.doc.getMap('m').set('a', 1), LOCAL_ORIGIN);
      await waitFor(() => viewer.doc.getMap('m').get('a') === 1, { doc: viewer.doc }, 'viewer sees the edit');
      viewer.provider.awareness.setLocalStateField('user', { name: 'v', color: '#00ff00' });
      await waitFor(() => editor.provider.awareness.getStates().has(viewer.doc.clientID), { awareness: editor.provider.awareness }, 'editor sees viewer presence');
      viewer.doc.transact(() => viewer.doc.getMap('m').set('hack', 1), LOCAL_ORIGIN);
      await poll(() => reasons.length === 1, 'viewer told its write is dropped');
      assert.deepEqual(reasons, [READ_ONLY_REASON]);
      editor.doc.transact(() => editor.doc.getMap('m').set('b', 2), LOCAL_ORIGIN);
      await waitFor(() => viewer.doc.getMap('m').get('b') === 2, { doc: viewer.doc }, 'viewer still receives edits');
      assert.equal(editor.doc.getMap('m').has('hack'), false);
      // A fresh client sees what the server kept: not the viewer's write.
      const fresh = connectClient(server.syncUrl, 'view2', { params: { token: await token('view2', 'view') } });
      await fresh.synced;
      assert.deepEqual(fresh.doc.getMap('m').toJSON(), { a: 1, b: 2 });
      fresh.destroy();
    } finally {
      editor.destroy();
      viewer.destroy();
    }
  });
});

describe('origin check', () => {
  test('default: own origin, localhost on any port and no Origin pass; others get 403', async () => {
    const url = `${server.syncUrl}/origin?token=${await token('origin', 'edit')}`;
    assert.equal(await upgradeStatus(url, { origin: 'https://evil.example' }), 403);
    assert.equal(await upgradeStatus(url, { origin: 'null' }), 403);
    assert.equal(await upgradeStatus(url, { origin: 'http://localhost:5173' }), 101);
    assert.equal(await upgradeStatus(url, { origin: `http://127.0.0.1:${server.port}` }), 101);
    assert.equal(await upgradeStatus(url, { origin: 'https://board.example', headers: { host: 'board.example' } }), 101);
    assert.equal(await upgradeStatus(url), 101);
  });

  test('--allowed-origins replaces the localhost default', async () => {
    const listed = await startTestServer({ allowedOrigins: ['https://board.example.com'] });
    try {
      const url = `${listed.syncUrl}/origin`;
      assert.equal(await upgradeStatus(url, { origin: 'https://board.example.com' }), 101);
      assert.equal(await upgradeStatus(url, { origin: 'http://localhost:5173' }), 403);
      assert.equal(await upgradeStatus(url, { origin: 'https://evil.example' }), 403);
      assert.equal(await upgradeStatus(url, { origin: `http://127.0.0.1:${listed.port}` }), 101, 'its own origin');
    } finally {
      await listed.close();
    }
  });
});

describe('share API', () => {
  const share = (room: string, bearer?: string, method = 'POST'): Promise<Response> =>
    fetch(`${server.httpUrl}${sharePath(room)}`, { method, headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });

  test('an edit token gets a view token for its room, expiring no later', async () => {
    const ttl = 600;
    const editToken = await token('shared', 'edit', ttl);
    const res = await share('shared', editToken);
    assert.equal(res.status, 200);
    const body = (await res.json()) as ShareResponse;
    assert.equal(body.role, ACCESS_ROLE.view);
    const grant = await auth.verify(body.token);
    assert.deepEqual({ room: grant.room, role: grant.role }, { room: 'shared', role: 'view' });
    assert.ok(grant.expiresAt <= now() + ttl);
    assert.equal(new Date(body.expiresAt).getTime(), grant.expiresAt * 1000);
    // A wildcard editor shares one room, not all of them.
    const fromWildcard = (await (await share('shared', await token('*', 'edit'))).json()) as ShareResponse;
    assert.equal((await auth.verify(fromWildcard.token)).room, 'shared');
    // The link's token opens the room read-only.
    const viewer = new WireClient(`${server.syncUrl}/shared?token=${body.token}`);
    await viewer.opened;
    viewer.close();
    await viewer.closed;
  });

  test('refusals: 401 without or with a bad token, 403 for view tokens and other rooms, 405 for GET', async () => {
    const missing = await share('shared');
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as { error: string }).error, 'unauthorized');
    assert.equal((await share('shared', 'nonsense')).status, 401);
    assert.equal((await share('shared', await auth.sign({ room: 'shared', role: 'edit', expiresAt: now() - 1 }))).status, 401);
    assert.equal((await share('shared', await token('shared', 'view'))).status, 403);
    assert.equal((await share('shared', await token('elsewhere', 'edit'))).status, 403);
    assert.equal((await share('shared', await token('shared', 'edit'), 'GET')).status, 405);
    assert.equal((await share('bad room!', await token('*', 'edit'))).status, 404);
  });

  test('without a secret: 404 with a JSON error naming the secret', async () => {
    const open = await startTestServer();
    try {
      const res = await fetch(`${open.httpUrl}${sharePath('any')}`, { method: 'POST' });
      assert.equal(res.status, 404);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(body.error, 'sharing_disabled');
      assert.match(body.message, /auth secret/);
    } finally {
      await open.close();
    }
  });
});

describe('token script', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = promisify(execFile);
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

  test('prints a token the server accepts; fails clearly without a secret', async () => {
    const env = { ...process.env, AUTH_SECRET: SECRET };
    const { stdout } = await run(tsx, ['scripts/token.ts', '--room', 'script', '--role', 'view', '--ttl', '7d'], { cwd: root, env });
    const grant = await auth.verify(stdout.trim());
    assert.deepEqual({ room: grant.room, role: grant.role }, { room: 'script', role: 'view' });
    assert.ok(Math.abs(grant.expiresAt - (now() + 7 * 86_400)) < 60);
    const { AUTH_SECRET: _unused, ...noSecret } = process.env;
    await assert.rejects(run(tsx, ['scripts/token.ts', '--room', 'x', '--role', 'edit'], { cwd: root, env: noSecret }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /no secret/);
      return true;
    });
  });
});
