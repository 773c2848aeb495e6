import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { readAllShapes, writeShape, indexAbove } from '../../shared/doc.ts';
import { LOCAL_ORIGIN, OFFLINE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { createConnection } from '../../client/sync/connection.ts';
import { ackedKey, createPendingChanges } from '../../client/sync/offline-pending.ts';
import { createTabSync } from '../../client/sync/broadcast.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

function rect(id: string, doc: Y.Doc, x = 0): Shape {
  return { ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x, y: 0, width: 10, height: 10, rotation: 0, locked: false, index: indexAbove(readAllShapes(doc)) };
}

function draw(doc: Y.Doc, id: string): void {
  doc.transact(() => writeShape(doc, rect(id, doc)), LOCAL_ORIGIN);
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('unsynced changes', () => {
  test('changes relayed from someone else never read as unsynced here', { timeout: 20_000 }, async () => {
    const server = await startTestServer();
    const doc = new Y.Doc();
    const connection = createConnection({ doc, room: 'others', url: server.syncUrl, WebSocketPolyfill: NodeWebSocket });
    const pending = createPendingChanges({ doc, room: 'others', provider: connection.provider, storage: memoryStorage() });
    const seen: boolean[] = [];
    pending.onChange((value) => seen.push(value));
    const other = connectClient(server.syncUrl, 'others');
    try {
      await Promise.all([poll(() => connection.synced, 'first sync'), other.synced]);
      // One at a time, so all but the first arrive as incremental updates of that client.
      for (let i = 0; i < 5; i++) {
        draw(other.doc, `theirs${i}`);
        await waitFor(() => readAllShapes(doc).length === i + 1, { doc }, `their shape ${i} arrived`);
      }
      assert.equal(pending.unsynced, false);
      assert.deepEqual(seen, [], 'never flagged unsynced');
      draw(doc, 'mine');
      assert.equal(pending.unsynced, true, 'my own edit does count');
      await poll(() => !pending.unsynced, 'acknowledged once stored');
    } finally {
      other.destroy();
      pending.close();
      connection.close();
      doc.destroy();
      await server.close();
    }
  });

  test('local edits read unsynced until the server has stored them, also across a server outage and a reload', { timeout: 40_000 }, async () => {
    const first = await startTestServer();
    const storage = memoryStorage();
    const doc = new Y.Doc();
    const connection = createConnection({ doc, room: 'pending', url: first.syncUrl, WebSocketPolyfill: NodeWebSocket });
    const pending = createPendingChanges({ doc, room: 'pending', provider: connection.provider, storage });
    const seen: boolean[] = [];
    pending.onChange((value) => seen.push(value));
    let second: Awaited<ReturnType<typeof startTestServer>> | null = null;
    try {
      await poll(() => connection.synced, 'first sync');
      assert.equal(pending.unsynced, false, 'an empty board has nothing to send');

      draw(doc, 'online');
      assert.equal(pending.unsynced, true, 'unsynced right after the edit');
      await poll(() => !pending.unsynced, 'acknowledged once the server stored it');
      assert.deepEqual(seen, [true, false]);

      await first.stop();
      await poll(() => connection.status === 'offline', 'offline');
      draw(doc, 'offline');
      assert.equal(pending.unsynced, true);

      // A "reload" while still offline: a new doc with the same content and the same storage.
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc), OFFLINE_ORIGIN);
      const reloadedConnection = createConnection({ doc: reloaded, room: 'pending', url: first.syncUrl, WebSocketPolyfill: NodeWebSocket });
      const reloadedPending = createPendingChanges({ doc: reloaded, room: 'pending', provider: reloadedConnection.provider, storage });
      assert.equal(reloadedPending.unsynced, true, 'the offline edit still reads unsynced after a reload');
      reloadedPending.close();
      reloadedConnection.close();
      reloaded.destroy();
      assert.ok(storage.getItem(ackedKey('pending')));

      second = await startTestServer({ dataDir: first.dataDir, port: first.port });
      await poll(() => connection.synced && !pending.unsynced, 'synced again once the server is back', 20_000);
      const observer = connectClient(second.syncUrl, 'pending');
      try {
        await observer.synced;
        assert.deepEqual(readAllShapes(observer.doc).map((s) => s.id).sort(), ['offline', 'online']);
      } finally {
        observer.destroy();
      }
    } finally {
      pending.close();
      connection.close();
      doc.destroy();
      await second?.close();
      await first.close();
    }
  });

  test("others' changes from the server are not ours to send", { timeout: 20_000 }, async () => {
    const server = await startTestServer();
    const doc = new Y.Doc();
    const connection = createConnection({ doc, room: 'theirs', url: server.syncUrl, WebSocketPolyfill: NodeWebSocket });
    const pending = createPendingChanges({ doc, room: 'theirs', provider: connection.provider, storage: null });
    const other = connectClient(server.syncUrl, 'theirs');
    const seen: boolean[] = [];
    pending.onChange((value) => seen.push(value));
    try {
      await Promise.all([poll(() => connection.synced, 'sync'), other.synced]);
      draw(other.doc, 'remote');
      await waitFor(() => readAllShapes(doc).length === 1, { doc }, 'the remote shape arrives');
      assert.equal(pending.unsynced, false);
      assert.deepEqual(seen, []);
    } finally {
      other.destroy();
      pending.close();
      connection.close();
      doc.destroy();
      await server.close();
    }
  });
});

describe('tabs of one browser', () => {
  test('sync over a BroadcastChannel with no server, marked OFFLINE_ORIGIN and never echoed', async () => {
    const room = `tabs-${Date.now()}`;
    const a = new Y.Doc();
    const b = new Y.Doc();
    const tabA = createTabSync({ doc: a, room });
    const tabB = createTabSync({ doc: b, room });
    assert.ok(tabA && tabB);
    const originsAtB: unknown[] = [];
    b.on('update', (_u: Uint8Array, origin: unknown) => originsAtB.push(origin));
    let updatesAtA = 0;
    a.on('update', () => updatesAtA++);
    const watcher = new BroadcastChannel(`easel-board-${room}`);
    let messages = 0;
    watcher.onmessage = () => messages++;
    try {
      draw(a, 'from-a');
      await waitFor(() => readAllShapes(b).length === 1, { doc: b }, 'B gets what A drew');
      assert.deepEqual(originsAtB, [OFFLINE_ORIGIN]);
      draw(b, 'from-b');
      await waitFor(() => readAllShapes(a).length === 2, { doc: a }, 'A gets what B drew');
      assert.equal(updatesAtA, 2, 'A applied its own edit and B’s, nothing echoed back');
      await poll(() => messages >= 2, 'two updates on the channel');
      const countAfter = messages;

      // A tab opened later catches up by asking with its state vector.
      const c = new Y.Doc();
      const tabC = createTabSync({ doc: c, room });
      try {
        await waitFor(() => readAllShapes(c).length === 2, { doc: c }, 'a new tab catches up');
      } finally {
        tabC?.close();
      }
      assert.ok(messages > countAfter);
    } finally {
      watcher.close();
      tabA.close();
      tabB.close();
    }
  });
});
