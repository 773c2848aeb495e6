/**
 * Each limit closes the client that went over it with its named code, and everyone else in the
 * room carries on: message size, message and byte rates, awareness state size, connections per
 * address, rooms in memory, the handshake timeout and pre-join buffering.
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rm } from 'node:fs/promises';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { WireClient, awarenessMessage, closeOf, queryAwareness, syncStep1, syncUpdate } from '../helpers/wire.ts';
import { createControlledStore } from '../helpers/gated-store.ts';
import { CLOSE_CODE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

/** A witness client in `room` keeps syncing with a fresh client after someone else was closed. */
async function assertRoomStillSyncs(server: TestServer, room: string, witness: TestClient, key: string): Promise<void> {
  const writer = connectClient(server.syncUrl, room);
  try {
    await writer.synced;
    writer.doc.transact(() => writer.doc.getMap('m').set(key, true), LOCAL_ORIGIN);
    await waitFor(() => witness.doc.getMap('m').get(key) === true, { doc: witness.doc }, `witness sees ${key}`);
  } finally {
    writer.destroy();
  }
}

describe('per-connection limits', () => {
  let server: TestServer;
  let witness: TestClient;
  const room = 'limits';

  before(async () => {
    server = await startTestServer({
      maxMessageBytes: 64 * 1024,
      rateMessages: 100,
      rateBytes: 128 * 1024,
      rateBurstSeconds: 1,
      maxAwarenessBytes: 4 * 1024,
    });
    witness = connectClient(server.syncUrl, room);
    await witness.synced;
  });

  after(async () => {
    witness.destroy();
    await server.close();
  });

  test('a message over --max-message-bytes: 1009', async () => {
    const client = new WireClient(`${server.syncUrl}/${room}`);
    await client.opened;
    client.send(new Uint8Array(64 * 1024 + 1));
    assert.equal((await client.closed).code, CLOSE_CODE.messageTooBig);
    await assertRoomStillSyncs(server, room, witness, 'afterTooBig');
  });

  test('more messages per second than --rate-messages allows: 4029', async () => {
    const client = new WireClient(`${server.syncUrl}/${room}`);
    await client.opened;
    // 100/s with one second of burst: 300 at once is well over, whatever the timing.
    for (let i = 0; i < 300; i++) client.send(queryAwareness());
    assert.equal((await client.closed).code, CLOSE_CODE.rateLimited);
    await assertRoomStillSyncs(server, room, witness, 'afterMessageFlood');
  });

  test('more bytes per second than --rate-bytes allows: 4029', async () => {
    const client = new WireClient(`${server.syncUrl}/${room}`);
    await client.opened;
    // Valid updates of ~48 KiB each (re-sending one is harmless to the doc): 128 KiB/s, one second of burst.
    const doc = new Y.Doc();
    doc.getText('big').insert(0, 'x'.repeat(48 * 1024));
    const message = syncUpdate(Y.encodeStateAsUpdate(doc));
    for (let i = 0; i < 8; i++) client.send(message);
    assert.equal((await client.closed).code, CLOSE_CODE.rateLimited);
    await assertRoomStillSyncs(server, room, witness, 'afterByteFlood');
  });

  test('a steady client under the rates is not closed', async () => {
    const client = new WireClient(`${server.syncUrl}/${room}`);
    await client.opened;
    // 60 messages, spaced by the replies they get: within burst and rate.
    for (let i = 0; i < 60; i++) {
      client.send(queryAwareness());
      await client.next((m) => m.type === 1, 'awareness reply');
    }
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    client.close();
    await client.closed;
  });

  test('an awareness state over --max-awareness-bytes: 4413, and it never reaches the room', async () => {
    const big = connectClient(server.syncUrl, room);
    try {
      await big.synced;
      const closed = new Promise<number>((resolve) => big.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? -1)));
      big.provider.awareness.setLocalStateField('user', { name: 'x'.repeat(5 * 1024), color: '#000000' });
      assert.equal(await closed, CLOSE_CODE.awarenessTooLarge);
      // 4413 is final: the stock provider does not come back with the same state.
      await poll(() => !big.provider.shouldConnect, 'provider gives up');
      assert.equal(witness.provider.awareness.getStates().has(big.doc.clientID), false);
    } finally {
      big.destroy();
    }
    // A state just under the limit passes.
    const small = new WireClient(`${server.syncUrl}/${room}`);
    await small.opened;
    small.send(awarenessMessage(777, 1, { user: { name: 'y'.repeat(3 * 1024), color: '#000000' } }));
    await waitFor(() => witness.provider.awareness.getStates().has(777), { awareness: witness.provider.awareness }, 'witness sees the small state');
    small.close();
    await small.closed;
    await assertRoomStillSyncs(server, room, witness, 'afterAwareness');
  });
});

describe('server-wide limits', () => {
  test('connections per address: 4030 past --max-connections-per-ip, free again after a close', async () => {
    const server = await startTestServer({ maxConnectionsPerIp: 3 });
    try {
      const clients = [0, 1, 2].map(() => new WireClient(`${server.syncUrl}/ip`));
      await Promise.all(clients.map((c) => c.opened));
      const extra = new WireClient(`${server.syncUrl}/ip`);
      assert.equal((await extra.closed).code, CLOSE_CODE.tooManyConnections);
      clients[0]!.close();
      await clients[0]!.closed;
      const again = connectClient(server.syncUrl, 'ip');
      await again.synced;
      again.destroy();
      for (const c of clients.slice(1)) c.close();
      await poll(() => server.server.stats().addresses === 0, 'addresses released');
    } finally {
      await server.close();
    }
  });

  test('with --trust-proxy the limit counts the X-Forwarded-For address', async () => {
    const server = await startTestServer({ maxConnectionsPerIp: 1, trustProxy: true });
    try {
      const via = (address: string): WireClient => new WireClient(`${server.syncUrl}/proxied`, { headers: { 'x-forwarded-for': `10.9.9.9, ${address}` } });
      const first = via('203.0.113.1');
      const second = via('203.0.113.2');
      await Promise.all([first.opened, second.opened]);
      assert.equal((await via('203.0.113.1').closed).code, CLOSE_CODE.tooManyConnections);
      first.close();
      second.close();
      await Promise.all([first.closed, second.closed]);
    } finally {
      await server.close();
    }
  });

  test('rooms in memory: 4031 past --max-rooms; a room waiting to unload makes way', async () => {
    const server = await startTestServer({ maxRooms: 2, unloadDelayMs: 60_000 });
    try {
      const a = connectClient(server.syncUrl, 'room-a');
      const b = connectClient(server.syncUrl, 'room-b');
      await Promise.all([a.synced, b.synced]);
      const refused = new WireClient(`${server.syncUrl}/room-c`);
      assert.equal((await refused.closed).code, CLOSE_CODE.tooManyRooms);
      assert.equal(server.server.registry.size, 2);
      // Someone in a loaded room is not affected.
      a.doc.transact(() => a.doc.getMap('m').set('k', 1), LOCAL_ORIGIN);
      const a2 = connectClient(server.syncUrl, 'room-a');
      await waitFor(() => a2.doc.getMap('m').get('k') === 1, { doc: a2.doc }, 'room-a still syncs');
      a2.destroy();
      // room-b empties: it would stay loaded for a minute, but room-c's join unloads it now.
      b.destroy();
      await poll(() => server.server.registry.connectionCount() === 1, 'b left');
      const c = connectClient(server.syncUrl, 'room-c');
      await c.synced;
      assert.deepEqual([...server.server.registry.rooms()].map((r) => r.name).sort(), ['room-a', 'room-c']);
      c.destroy();
      a.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('handshake', () => {
  const timeout = 500;
  let server: TestServer;
  let dataDir: string;
  let persistence: Awaited<ReturnType<typeof createControlledStore>>;

  before(async () => {
    dataDir = await makeTempDir();
    persistence = await createControlledStore(dataDir);
    server = await startTestServer({ dataDir, store: persistence, handshakeTimeoutMs: timeout, storeProbeIntervalMs: 100 });
  });

  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('an upgrade request that never finishes is cut off', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.write(`GET /sync/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  test('a socket that upgrades and sends nothing: 4009', async () => {
    const silent = new WireClient(`${server.syncUrl}/silent`);
    await silent.opened;
    assert.equal((await silent.closed).code, CLOSE_CODE.handshakeTimeout);
    await poll(() => server.server.stats().sockets === 0, 'the server let go of the socket');
  });

  test('a room that does not load in time: 4500 (the store kept it waiting, not the client); then it loads for the next client', async () => {
    let open!: () => void;
    persistence.loadGate = new Promise((resolve) => (open = resolve));
    const waiting = new WireClient(`${server.syncUrl}/stuck`);
    await waiting.opened;
    waiting.send(syncStep1(new Y.Doc()));
    assert.equal((await waiting.closed).code, CLOSE_CODE.storageFailure);
    persistence.loadGate = null;
    open();
    const next = connectClient(server.syncUrl, 'stuck');
    await next.synced;
    next.destroy();
  });

  test('too many edits before the room loads: 4025; a client within the cap, moving its cursor all along, is served in order', async () => {
    let open!: () => void;
    persistence.loadGate = new Promise((resolve) => (open = resolve));
    const flood = new WireClient(`${server.syncUrl}/early`);
    const polite = new WireClient(`${server.syncUrl}/early`);
    await Promise.all([flood.opened, polite.opened]);
    const junk = new Y.Doc();
    for (let i = 0; i < 100; i++) {
      junk.getMap('m').set('n', i);
      flood.send(syncUpdate(Y.encodeStateAsUpdate(junk)));
    }
    const doc = new Y.Doc();
    doc.getMap('m').set('early', 'yes');
    polite.send(syncStep1(doc));
    polite.send(syncUpdate(Y.encodeStateAsUpdate(doc)));
    // Far more cursor moves than the cap on edits: presence is merged while the room loads.
    for (let clock = 1; clock <= 300; clock++) {
      polite.send(awarenessMessage(doc.clientID, clock, { cursor: clock }));
      if (clock % 50 === 0) polite.send(queryAwareness());
    }
    assert.equal((await flood.closed).code, CLOSE_CODE.tooEarly);
    persistence.loadGate = null;
    open();
    await polite.next((m) => m.type === 0 && m.subType === 1, 'step 2 reply');
    const reader = connectClient(server.syncUrl, 'early');
    await waitFor(() => reader.doc.getMap('m').get('early') === 'yes', { doc: reader.doc }, 'polite update applied');
    const awareness = reader.provider.awareness;
    await waitFor(() => (awareness.getStates().get(doc.clientID) as { cursor?: number } | undefined)?.cursor === 300, { awareness }, 'the newest cursor arrives');
    reader.destroy();
    polite.close();
    await closeOf(polite.ws);
  });

  test('too many edits while the room waits on a store that does not answer: 4500, not 4025', async () => {
    let open!: () => void;
    persistence.loadGate = new Promise((resolve) => (open = resolve));
    persistence.failWrites = true;
    try {
      await poll(async () => (await fetch(`${server.httpUrl}/healthz`)).status === 503, 'the store reads as unhealthy');
      const sender = new WireClient(`${server.syncUrl}/waits-on-store`);
      await sender.opened;
      const edits = new Y.Doc();
      for (let i = 0; i < 100; i++) {
        edits.getMap('m').set('n', i);
        sender.send(syncUpdate(Y.encodeStateAsUpdate(edits)));
      }
      assert.equal((await sender.closed).code, CLOSE_CODE.storageFailure);
    } finally {
      persistence.failWrites = false;
      persistence.loadGate = null;
      open();
    }
  });
});
