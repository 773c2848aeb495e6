import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { createConnection, syncUrl, type ConnectionStatus } from '../../client/sync/connection.ts';
import { newRoomName, resolveRoom, roomFromPath } from '../../client/sync/room.ts';
import { tokenFromHash } from '../../client/sync/access-token.ts';
import { isValidRoomName } from '../../shared/protocol.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

describe('room from the address', () => {
  test('reads /b/<room>, tolerates a trailing slash, refuses anything else', () => {
    assert.equal(roomFromPath('/b/team-42'), 'team-42');
    assert.equal(roomFromPath('/b/team-42/'), 'team-42');
    assert.equal(roomFromPath('/b/a.b_c'), 'a.b_c');
    assert.equal(roomFromPath('/b/'), null);
    assert.equal(roomFromPath('/'), null);
    assert.equal(roomFromPath('/b/x/y'), null);
    assert.equal(roomFromPath('/b/has%20space'), null);
    assert.equal(roomFromPath('/b/%E0%A4%A'), null, 'malformed escapes are not a room');
    assert.equal(roomFromPath(`/b/${'a'.repeat(129)}`), null);
  });

  test('without a room, a fresh one is made and written into the address bar', () => {
    const calls: unknown[][] = [];
    const room = resolveRoom({ pathname: '/', search: '?x=1', hash: '#h' }, { replaceState: (...args: unknown[]) => void calls.push(args) });
    assert.ok(isValidRoomName(room));
    assert.deepEqual(calls, [[null, '', `/b/${room}?x=1#h`]]);
    assert.equal(resolveRoom({ pathname: '/b/kept', search: '', hash: '' }, { replaceState: () => assert.fail('no rewrite needed') }), 'kept');
    assert.notEqual(newRoomName(), newRoomName());
  });

  test('a board link can carry an access token in its fragment', () => {
    assert.equal(tokenFromHash('#token=abc.def.ghi'), 'abc.def.ghi');
    assert.equal(tokenFromHash('#x=1&token=t'), 't');
    assert.equal(tokenFromHash(''), null);
    assert.equal(tokenFromHash('#token='), null);
  });

  test('the sync socket follows the page protocol', () => {
    assert.equal(syncUrl({ protocol: 'http:', host: 'localhost:1234' }, '/sync'), 'ws://localhost:1234/sync');
    assert.equal(syncUrl({ protocol: 'https:', host: 'easel.example' }, '/sync'), 'wss://easel.example/sync');
  });
});

describe('connection status', () => {
  test('connecting → connected; offline when the server goes away, without flickering back to connecting', { timeout: 30_000 }, async () => {
    const server = await startTestServer();
    const doc = new Y.Doc();
    const connection = createConnection({
      doc,
      room: 'status-test',
      url: server.syncUrl,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const seen: ConnectionStatus[] = [connection.status];
    connection.onStatus((status) => seen.push(status));
    try {
      assert.equal(connection.status, 'connecting');
      await poll(() => connection.status === 'connected' && connection.synced, 'connected and synced');
      await server.stop();
      await poll(() => connection.status === 'offline', 'offline after the server stopped');
      // Give the provider time for a few reconnect attempts (its backoff starts at 200 ms).
      const attemptsBefore = connection.provider.wsUnsuccessfulReconnects;
      await poll(() => connection.provider.wsUnsuccessfulReconnects >= attemptsBefore + 2, 'reconnect attempts', 15_000);
      assert.deepEqual(seen, ['connecting', 'connected', 'offline']);
    } finally {
      connection.close();
      doc.destroy();
      await server.close();
    }
  });

  test('a server that cannot be reached reads offline, and stays so while retrying', { timeout: 30_000 }, async () => {
    // A port that just stopped listening: connections are refused.
    const gone = await startTestServer();
    await gone.close();
    const doc = new Y.Doc();
    const connection = createConnection({ doc, room: 'nobody-home', url: gone.syncUrl, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
    const seen: ConnectionStatus[] = [connection.status];
    connection.onStatus((status) => seen.push(status));
    try {
      await poll(() => connection.provider.wsUnsuccessfulReconnects >= 3, 'several failed attempts', 15_000);
      assert.deepEqual(seen, ['connecting', 'offline']);
    } finally {
      connection.close();
      doc.destroy();
    }
  });

  test("a page sends the server its own presence only, never back what it hears of others", { timeout: 30_000 }, async () => {
    const server = await startTestServer();
    const doc = new Y.Doc();
    const connection = createConnection({ doc, room: 'echo', url: server.syncUrl, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
    const other = connectClient(server.syncUrl, 'echo');
    /** Awareness messages the server has received, from everyone. */
    const received = async (): Promise<number> => {
      const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
      return Number(/easel_messages_received_total\{type="awareness"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    try {
      await poll(() => connection.synced, 'the page synced');
      await other.synced;
      connection.provider.awareness.setLocalStateField('cursor', { x: 0, y: 0 });
      await waitFor(() => other.provider.awareness.getStates().get(doc.clientID)?.cursor !== undefined, { awareness: other.provider.awareness }, 'the other sees the page');
      await poll(async () => (await received()) >= 2, 'both states reached the server');
      const before = await received();
      for (let i = 1; i <= 20; i++) other.provider.awareness.setLocalStateField('cursor', { x: i, y: i });
      const awareness = connection.provider.awareness;
      await waitFor(() => (awareness.getStates().get(other.doc.clientID)?.cursor as { x?: number } | undefined)?.x === 20, { awareness }, 'the page sees every move');
      // The other client's 20 moves, and not one echo of them from the page.
      await poll(async () => (await received()) >= before + 20, 'the moves reached the server');
      connection.provider.awareness.setLocalStateField('cursor', { x: 99, y: 99 });
      await waitFor(() => (other.provider.awareness.getStates().get(doc.clientID)?.cursor as { x?: number } | undefined)?.x === 99, { awareness: other.provider.awareness }, 'the page still publishes its own moves');
      // The stock client echoes the page's state back once; the page echoed nothing.
      await poll(async () => (await received()) >= before + 22, 'its own move and the stock echo reached the server');
      assert.equal(await received(), before + 22);
    } finally {
      other.destroy();
      connection.close();
      doc.destroy();
      await server.close();
    }
  });
});
