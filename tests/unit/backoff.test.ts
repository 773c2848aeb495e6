import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { createBackoff, DEFAULT_BACKOFF } from '../../client/sync/backoff.ts';
import { createConnection } from '../../client/sync/connection.ts';
import { createAuth } from '../../server/auth.ts';
import { poll, seededRandom } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

describe('reconnect backoff', () => {
  test('grows exponentially up to the cap, with every delay between half and all of its step', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, random: seededRandom(7) });
    const delays = Array.from({ length: 8 }, () => backoff.next());
    const ceilings = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
    delays.forEach((delay, i) => {
      assert.ok(delay >= ceilings[i]! / 2 && delay <= ceilings[i]!, `attempt ${i}: ${delay} within [${ceilings[i]! / 2}, ${ceilings[i]}]`);
    });
    assert.equal(backoff.attempts, 8);
    backoff.reset();
    assert.equal(backoff.attempts, 0);
    assert.ok(backoff.next() <= 100, 'after a reset it starts from the base again');
  });

  test('the same seed gives the same delays; different seeds spread clients apart', () => {
    const run = (seed: number): number[] => {
      const backoff = createBackoff({ ...DEFAULT_BACKOFF, random: seededRandom(seed) });
      return Array.from({ length: 6 }, () => backoff.next());
    };
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(run(42), run(43));
    const firstDelays = new Set(Array.from({ length: 20 }, (_x, seed) => run(seed)[3]));
    assert.ok(firstDelays.size > 10, `20 clients do not retry in lockstep (${firstDelays.size} distinct delays)`);
  });

  test('the extremes of the random source stay in range and never reach zero', () => {
    const low = createBackoff({ baseMs: 200, maxMs: 800, random: () => 0 });
    const high = createBackoff({ baseMs: 200, maxMs: 800, random: () => 0.999999 });
    assert.deepEqual([low.next(), low.next(), low.next(), low.next()], [100, 200, 400, 400]);
    assert.deepEqual([high.next(), high.next(), high.next(), high.next()], [200, 400, 800, 800]);
    const many = createBackoff({ baseMs: 250, maxMs: 8_000, random: () => 0.5 });
    for (let i = 0; i < 100; i++) assert.ok(Number.isFinite(many.next()));
  });
});

describe('reconnecting a connection', () => {
  test('comes back by itself after the server restarts on the same port', { timeout: 30_000 }, async () => {
    const first = await startTestServer();
    const doc = new Y.Doc();
    const connection = createConnection({ doc, room: 'reconnect', url: first.syncUrl, WebSocketPolyfill: NodeWebSocket });
    try {
      await poll(() => connection.synced, 'first sync');
      await first.stop();
      await poll(() => connection.status === 'offline', 'offline once the server is gone');
      const second = await startTestServer({ dataDir: first.dataDir, port: first.port });
      try {
        await poll(() => connection.status === 'connected' && connection.synced, 'reconnected and synced', 15_000);
        assert.equal(connection.refusal, null);
      } finally {
        await second.close();
      }
    } finally {
      connection.close();
      doc.destroy();
      await first.close();
    }
  });

  test('a refusal (close code 4400–4499) is final: the reason is kept and no retry follows', { timeout: 30_000 }, async () => {
    const secret = 'unit-secret-that-is-long-enough-for-hs256';
    const server = await startTestServer({ authSecret: secret });
    const doc = new Y.Doc();
    const errors: unknown[][] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    const connection = createConnection({ doc, room: 'refused', url: server.syncUrl, WebSocketPolyfill: NodeWebSocket });
    let attempts = 0;
    connection.provider.on('status', ({ status }: { status: string }) => status === 'connecting' && attempts++);
    try {
      const refused = new Promise((resolve) => connection.onRefused(resolve));
      await refused;
      assert.equal(connection.refusal?.name, 'unauthorized');
      assert.equal(connection.refusal?.code, 4401);
      assert.equal(connection.status, 'offline');
      const before = attempts;
      // Longer than several backoff steps: a looping client would have tried again by now.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(attempts, before, 'no reconnect attempt after the refusal');
      assert.equal(connection.provider.ws, null);

      // A valid token on a fresh connection still works: the refusal was about this one.
      const token = await createAuth(secret).sign({ room: 'refused', role: 'edit', expiresAt: Math.floor(Date.now() / 1000) + 600 });
      const goodDoc = new Y.Doc();
      const good = createConnection({ doc: goodDoc, room: 'refused', url: server.syncUrl, token, WebSocketPolyfill: NodeWebSocket });
      try {
        await poll(() => good.synced, 'a connection with a token syncs');
        assert.equal(good.refusal, null);
      } finally {
        good.close();
        // The doc owns the provider's awareness and its timer.
        goodDoc.destroy();
      }
    } finally {
      console.error = originalError;
      connection.close();
      doc.destroy();
      await server.close();
    }
  });
});
