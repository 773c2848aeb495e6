/**
 * No leak: 200 connect/disconnect cycles over 20 rooms bring rooms, connections and per-address
 * counts back to zero, and the heap after a full GC back near where it started. (The longer soak
 * with figures is bench/leak.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { heapUsed, soak, waitForEmpty } from '../helpers/soak.ts';

/** Generous: a real leak of these cycles (docs, sockets, connections) grows far past it. */
const HEAP_GROWTH_LIMIT = 24 * 1024 * 1024;

test('200 connect/disconnect cycles over 20 rooms leave nothing behind', async () => {
  const server = await startTestServer({ unloadDelayMs: 20 });
  try {
    // Warm up first, so lazily created module state and JIT code are in the baseline.
    await soak({ syncUrl: server.syncUrl, cycles: 40, rooms: 20, concurrency: 8 });
    await waitForEmpty(server.server);
    const before = heapUsed();
    await soak({ syncUrl: server.syncUrl, cycles: 200, rooms: 20, concurrency: 8 });
    await waitForEmpty(server.server);
    const after = heapUsed();
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    assert.match(metrics, /^easel_connections 0$/m);
    assert.match(metrics, /^easel_rooms_loaded 0$/m);
    assert.ok(after - before < HEAP_GROWTH_LIMIT, `heap grew by ${((after - before) / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    await server.close();
  }
});
