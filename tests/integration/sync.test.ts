/**
 * Two stock y-websocket providers on one room: they converge, see each other's presence, and
 * presence is removed when one leaves. Plus the HTTP routes a user and a load balancer hit.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { startTestServer, makeTempDir, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import { CLOSE_CODE } from '../../shared/protocol.ts';
import { getShapesMap, indicesBetween, readAllShapes, writeShape } from '../../shared/doc.ts';
import { openLevelStore } from '../../server/store/level-store.ts';
import { wrapStore } from '../../server/store/store.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';

let server: TestServer;

before(async () => {
  // A stand-in built client, so the routes can be checked without running Vite here.
  const staticDir = await makeTempDir('easel-static-');
  await mkdir(path.join(staticDir, 'assets'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Easel</title>');
  await writeFile(path.join(staticDir, 'home.html'), '<!doctype html><title>Easel</title><main id="home"></main>');
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startTestServer({ staticDir });
});

after(async () => {
  await server.close();
});

function rect(id: string, x: number, index: string): Shape {
  return { ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x, y: 10, rotation: 0, index, locked: false, width: 100, height: 50 };
}

test('two stock providers converge both ways', async () => {
  const a = connectClient(server.syncUrl, 'converge');
  const b = connectClient(server.syncUrl, 'converge');
  try {
    await Promise.all([a.synced, b.synced]);
    a.doc.transact(() => writeShape(a.doc, rect('fromA', 1, 'a0')), LOCAL_ORIGIN);
    b.doc.transact(() => writeShape(b.doc, rect('fromB', 2, 'a1')), LOCAL_ORIGIN);
    // Concurrent edits to different fields of one shape both survive.
    await waitFor(() => getShapesMap(b.doc).has('fromA'), { doc: b.doc }, 'B sees A');
    await waitFor(() => getShapesMap(a.doc).has('fromB'), { doc: a.doc }, 'A sees B');
    a.doc.transact(() => getShapesMap(a.doc).get('fromA')!.set('x', 500), LOCAL_ORIGIN);
    b.doc.transact(() => getShapesMap(b.doc).get('fromA')!.set('width', 300), LOCAL_ORIGIN);
    const settled = (doc: Y.Doc) => {
      const shape = readAllShapes(doc).find((s) => s.id === 'fromA');
      return shape?.x === 500 && shape.type === 'rect' && shape.width === 300;
    };
    await waitFor(() => settled(a.doc), { doc: a.doc }, 'A has both field edits');
    await waitFor(() => settled(b.doc), { doc: b.doc }, 'B has both field edits');
    assert.deepEqual(a.doc.getMap('shapes').toJSON(), b.doc.getMap('shapes').toJSON());
  } finally {
    a.destroy();
    b.destroy();
  }
});

test('a late joiner gets the whole board', async () => {
  const a = connectClient(server.syncUrl, 'late');
  await a.synced;
  const indices = indicesBetween(null, null, 50);
  a.doc.transact(() => {
    for (let i = 0; i < 50; i++) writeShape(a.doc, rect(`r${i}`, i, indices[i]!));
  }, LOCAL_ORIGIN);
  const c = connectClient(server.syncUrl, 'late');
  try {
    await waitFor(() => getShapesMap(c.doc).size === 50, { doc: c.doc }, 'late joiner has 50 shapes');
    assert.equal(readAllShapes(c.doc).length, 50);
  } finally {
    a.destroy();
    c.destroy();
  }
});

test('awareness reaches the other client and is removed when it disconnects', async () => {
  const a = connectClient(server.syncUrl, 'presence');
  const b = connectClient(server.syncUrl, 'presence');
  try {
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#e03131' });
    const aId = a.doc.clientID;
    await waitFor(
      () => b.provider.awareness.getStates().get(aId)?.user?.name === 'Ada',
      { awareness: b.provider.awareness },
      'B sees Ada',
    );
    // Close A's socket without letting its provider say goodbye: the server must clean up.
    a.provider.shouldConnect = false;
    // In Node the provider's socket is a `ws` WebSocket, which can drop the TCP connection.
    (a.provider.ws as unknown as WebSocket).terminate();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), { awareness: b.provider.awareness }, 'A removed from B');
  } finally {
    a.destroy();
    b.destroy();
  }
});

test('queryAwareness is answered with every state in the room', async () => {
  const a = connectClient(server.syncUrl, 'query');
  await a.synced;
  a.provider.awareness.setLocalStateField('user', { name: 'Q', color: '#123456' });
  await poll(() => server.server.registry.connectionCount() > 0, 'A joined');
  const socket = new WebSocket(`${server.syncUrl}/query`);
  const messages: Buffer[] = [];
  socket.on('message', (data) => messages.push(data as Buffer));
  try {
    await new Promise((resolve) => socket.once('open', resolve));
    // Wait for the join-time messages, then ask explicitly and expect one more awareness answer.
    await poll(() => messages.some((m) => m[0] === 1), 'awareness pushed on join');
    const before = messages.filter((m) => m[0] === 1).length;
    socket.send(new Uint8Array([3]));
    await poll(
      () => messages.filter((m) => m[0] === 1 && m.includes(Buffer.from('"Q"'))).length > before,
      'queryAwareness answered with A\'s state',
    );
  } finally {
    socket.close();
    a.destroy();
  }
});

test('an invalid room name is refused with 4400', async () => {
  for (const room of ['bad%20name', 'x'.repeat(129), 'a%2Fb']) {
    const socket = new WebSocket(`${server.syncUrl}/${room}`);
    socket.on('error', () => {});
    const code = await new Promise<number>((resolve) => socket.once('close', resolve));
    assert.equal(code, CLOSE_CODE.invalidRoomName, room);
  }
});

test('HTTP: health, home page, board page, assets, 404', async () => {
  const health = await fetch(`${server.httpUrl}/healthz`);
  assert.equal(health.status, 200);
  const body = (await health.json()) as { status: string; rooms: number; connections: number };
  assert.equal(body.status, 'ok');
  assert.equal(typeof body.rooms, 'number');
  assert.equal(typeof body.connections, 'number');

  // `/` is the home page (the client makes new boards), not a redirect to one.
  const root = await fetch(`${server.httpUrl}/`, { redirect: 'manual' });
  assert.equal(root.status, 200);
  assert.match(root.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await root.text(), /id="home"/);

  const page = await fetch(`${server.httpUrl}/b/my-board.1`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Easel/);
  assert.equal((await fetch(`${server.httpUrl}/b/bad%20name`)).status, 404);
  const asset = await fetch(`${server.httpUrl}/assets/app.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  assert.equal((await fetch(`${server.httpUrl}/assets/..%2F..%2Fpackage.json`)).status, 404);
  assert.equal((await fetch(`${server.httpUrl}/nope.js`)).status, 404);
});

test('health counts rooms and connections', async () => {
  const a = connectClient(server.syncUrl, 'counted');
  try {
    await a.synced;
    const body = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as { rooms: number; connections: number };
    assert.ok(body.rooms >= 1);
    assert.ok(body.connections >= 1);
  } finally {
    a.destroy();
  }
});

test('concurrent first connections load the room once', async () => {
  const dataDir = await makeTempDir();
  const level = await openLevelStore(dataDir);
  const opened: string[] = [];
  const counting = wrapStore(level, (room) => {
    opened.push(room);
    return level.openRoom(room);
  });
  const own = await startTestServer({ store: counting, dataDir });
  const clients = Array.from({ length: 8 }, () => connectClient(own.syncUrl, 'crowd'));
  try {
    await Promise.all(clients.map((c) => c.synced));
    assert.deepEqual(opened, ['crowd']);
    const rooms = [...own.server.registry.rooms()];
    assert.equal(rooms.length, 1);
    assert.equal(rooms[0]!.connections.size, 8);
  } finally {
    for (const c of clients) c.destroy();
    await own.close();
  }
});
