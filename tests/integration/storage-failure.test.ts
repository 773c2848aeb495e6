/**
 * When LevelDB cannot write, the room stops relaying and closes its clients with 4500, so they
 * keep their unsynced changes; /healthz turns 503; and nothing that was relayed is lost. The
 * failure is injected at the Persistence interface with the real LevelDB behind it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { makeTempDir, startTestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { createControlledStore } from '../helpers/gated-store.ts';
import { CLOSE_CODE, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { WireClient } from '../helpers/wire.ts';
import * as Y from 'yjs';
import { StorageError } from '../../server/errors.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

/** The code of the next close the provider sees. */
function nextClose(client: TestClient): Promise<number> {
  return new Promise((resolve) => client.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? -1)));
}

async function health(httpUrl: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${httpUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

test('a failing store closes the room with 4500, health goes 503, relayed data survives', async () => {
  const dataDir = await makeTempDir();
  const persistence = await createControlledStore(dataDir);
  const server = await startTestServer({ dataDir, store: persistence, storeProbeIntervalMs: 100, unloadDelayMs: 50 });
  const a = connectClient(server.syncUrl, 'sf');
  const b = connectClient(server.syncUrl, 'sf');
  try {
    await Promise.all([a.synced, b.synced]);
    a.doc.transact(() => a.doc.getMap('m').set('relayed', 'X'), LOCAL_ORIGIN);
    await waitFor(() => b.doc.getMap('m').get('relayed') === 'X', { doc: b.doc }, 'B sees X');
    assert.equal((await health(server.httpUrl)).status, 200);

    persistence.failWrites = true;
    const closes = Promise.all([nextClose(a), nextClose(b)]);
    a.doc.transact(() => a.doc.getMap('m').set('unsaved', 'Y'), LOCAL_ORIGIN);
    assert.deepEqual(await closes, [CLOSE_CODE.storageFailure, CLOSE_CODE.storageFailure]);
    // Not written, so not relayed: B never saw Y, and A still holds it.
    assert.equal(b.doc.getMap('m').has('unsaved'), false);
    assert.equal(a.doc.getMap('m').get('unsaved'), 'Y');
    assert.ok(persistence.refusedWrites >= 1);

    const unhealthy = await health(server.httpUrl);
    assert.equal(unhealthy.status, 503);
    assert.equal(unhealthy.body.status, 'unhealthy');
    assert.match(unhealthy.body.reason ?? '', /injected write failure/);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    assert.match(metrics, /easel_errors_total\{kind="storage"\} [1-9]/);
    assert.match(metrics, /easel_connection_closes_total\{code="4500"\} [1-9]/);

    // Health says how the store is now: still failing, still 503, however long ago it began.
    await poll(async () => persistence.probes >= 3, 'probed again while failing');
    assert.equal((await health(server.httpUrl)).status, 503);

    // The store recovers: health returns with the next probe, the providers reconnect on their
    // own (4500 is not final), and A's kept change is written and reaches B. The failure stays
    // counted in /metrics.
    persistence.failWrites = false;
    await poll(async () => (await health(server.httpUrl)).status === 200, 'healthy again with the next probe', 2_000);
    await waitFor(() => b.doc.getMap('m').get('unsaved') === 'Y', { doc: b.doc }, 'B gets Y after recovery');
    assert.match(await (await fetch(`${server.httpUrl}/metrics`)).text(), /easel_store_unhealthy_total [1-9]/);
  } finally {
    a.destroy();
    b.destroy();
    await server.stop();
  }

  // Everything that was relayed is on disk.
  const reopened = await startTestServer({ dataDir });
  const reader = connectClient(reopened.syncUrl, 'sf');
  try {
    await reader.synced;
    assert.deepEqual(reader.doc.getMap('m').toJSON(), { relayed: 'X', unsaved: 'Y' });
  } finally {
    reader.destroy();
    await reopened.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a room whose load fails is refused with 4500 and counted', async () => {
  const dataDir = await makeTempDir();
  const persistence = await createControlledStore(dataDir);
  // No probe comes to say the store is fine again before the health check below.
  const server = await startTestServer({ dataDir, store: persistence, storeProbeIntervalMs: 60_000 });
  try {
    persistence.loadGate = Promise.reject(new StorageError('load failed for room load-fails: disk gone'));
    persistence.loadGate.catch(() => undefined);
    const client = connectClient(server.syncUrl, 'load-fails');
    assert.equal(await nextClose(client), CLOSE_CODE.storageFailure);
    client.destroy();
    assert.equal((await health(server.httpUrl)).status, 503);
    persistence.loadGate = null;
    const later = connectClient(server.syncUrl, 'load-fails');
    await later.synced;
    later.destroy();
  } finally {
    await server.close();
  }
});

test('shutdown with a write that never finishes: close() ends within shutdownTimeoutMs, says which room is not stored, closes clients with 1001', async () => {
  const dataDir = await makeTempDir();
  const persistence = await createControlledStore(dataDir);
  const server = await startTestServer({ dataDir, store: persistence, shutdownTimeoutMs: 1_000 });
  const a = connectClient(server.syncUrl, 'stuck-write');
  try {
    await a.synced;
    persistence.appendGate = new Promise(() => undefined);
    a.doc.transact(() => a.doc.getMap('m').set('never', 'stored'), LOCAL_ORIGIN);
    await poll(() => [...server.server.registry.rooms()].some((room) => room.unstoredCount > 0), 'the write is in flight');
    const closed = nextClose(a);
    const started = performance.now();
    const report = await server.server.close();
    const took = performance.now() - started;
    assert.ok(took < 1_500, `close() took ${Math.round(took)} ms`);
    assert.deepEqual(report.unflushedRooms, ['stuck-write']);
    assert.equal(report.clean, false);
    assert.equal(await closed, CLOSE_CODE.goingAway);
    // The client still holds what the server could not store.
    assert.equal(a.doc.getMap('m').get('never'), 'stored');
  } finally {
    a.destroy();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('the state vector a joining client is sent holds only what is stored', async () => {
  const dataDir = await makeTempDir();
  const persistence = await createControlledStore(dataDir);
  const server = await startTestServer({ dataDir, store: persistence });
  const a = connectClient(server.syncUrl, 'joining');
  let b: WireClient | null = null;
  let open!: () => void;
  try {
    await a.synced;
    // A presence the server keeps (a fresh awareness state at clock 0 is ignored, as y-protocols does).
    a.provider.awareness.setLocalStateField('user', { name: 'A' });
    const awarenessIn = async (): Promise<number> => Number(/easel_messages_received_total\{type="awareness"\} (\d+)/.exec(await (await fetch(`${server.httpUrl}/metrics`)).text())?.[1] ?? 0);
    // The one sent on connecting and the one just set.
    await poll(async () => (await awarenessIn()) >= 2, 'the presence reached the server');
    persistence.appendGate = new Promise((resolve) => (open = resolve));
    a.doc.transact(() => a.doc.getMap('m').set('pending', 'write'), LOCAL_ORIGIN);
    await poll(() => [...server.server.registry.rooms()].some((room) => room.unstoredCount > 0), 'the write is in flight');
    b = new WireClient(`${server.syncUrl}/joining`);
    await b.opened;
    // Presence comes at once; the state vector waits for the write.
    const { skipped } = await b.next((m) => m.type === MESSAGE_TYPE.awareness, "everyone's presence");
    assert.ok(![...skipped, ...b.pending].some((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step1), 'no state vector before the write');
    open();
    const { message } = await b.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step1, 'the state vector');
    const vector = Y.decodeStateVector((message as { payload: Uint8Array }).payload);
    assert.equal(vector.get(a.doc.clientID), Y.decodeStateVector(Y.encodeStateVector(a.doc)).get(a.doc.clientID), "it holds A's stored edit");
  } finally {
    open?.();
    b?.close();
    a.destroy();
    await server.close();
  }
});
