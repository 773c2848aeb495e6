/**
 * Redis failing under a running Easel in scale-out mode, with a real redis-server (append-only
 * persistence) that the tests kill -9, freeze (SIGSTOP) and restart: nothing a client saw is
 * lost and clients reconnect by themselves; /healthz tells the truth within seconds, both ways;
 * SIGTERM ends the process in time even with Redis gone; and a start with Redis unreachable says
 * so in one line, or waits for it when asked to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { startRedis } from '../helpers/redis.ts';
import { makeTempDir, startTestServer } from '../helpers/server.ts';
import { spawnServer, startChildServer } from '../helpers/child-server.ts';
import { freePort } from '../helpers/ports.ts';
import { burst, connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';

/** One point per stroke. */
const onePoint = (i: number): number[] => [i, i, 0.5];

const shapeKeys = (client: TestClient): string[] => [...client.doc.getMap('shapes').keys()].sort();

async function healthStatus(httpUrl: string): Promise<number> {
  try {
    return (await fetch(`${httpUrl}/healthz`)).status;
  } catch {
    return -1;
  }
}

/** Resolves after `ms`: paces a workload (never used to wait for an outcome). */
const pace = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('kill -9 of Redis mid-burst: nothing the watcher saw is lost, clients reconnect by themselves, a fresh client gets everything', async () => {
  const redis = await startRedis();
  const server = await startTestServer({ redisUrl: redis.url });
  const writer = connectClient(server.syncUrl, 'burst');
  const watcher = connectClient(server.syncUrl, 'burst');
  let fresh: TestClient | null = null;
  let second: Awaited<ReturnType<typeof startTestServer>> | null = null;
  const total = 600;
  try {
    await Promise.all([writer.synced, watcher.synced]);
    const seen = new Set<string>();
    watcher.doc.getMap('shapes').observe((event) => {
      for (const key of event.keysChanged) seen.add(key);
    });
    let closes = 0;
    writer.provider.on('connection-close', () => (closes += 1));
    // About 200 updates a second; Redis dies a quarter of the way in and is back at half way.
    for (let i = 0; i < total; i++) {
      burst(writer, `s${i}-`, 1, onePoint);
      if (i === total / 4) await redis.kill();
      if (i === total / 2) await redis.restart();
      await pace(5);
    }
    // Nobody reconnects these clients but themselves.
    await waitFor(() => watcher.doc.getMap('shapes').size === total, { doc: watcher.doc }, 'the watcher gets every update', 30_000);
    assert.ok(closes >= 1, 'the outage closed the writer at least once (it reconnected by itself)');
    assert.ok(seen.size > 0);

    // A fresh client on a fresh process reads the room from Redis alone.
    second = await startTestServer({ redisUrl: redis.url });
    fresh = connectClient(second.syncUrl, 'burst');
    await fresh.synced;
    await waitFor(() => fresh!.doc.getMap('shapes').size === total, { doc: fresh.doc }, 'the fresh client gets everything');
    const stored = new Set(shapeKeys(fresh));
    for (const key of seen) assert.ok(stored.has(key), `${key}, seen by the watcher, is stored`);
    assert.deepEqual(shapeKeys(fresh), shapeKeys(writer));
  } finally {
    fresh?.destroy();
    writer.destroy();
    watcher.destroy();
    await second?.close();
    await server.close();
    await redis.close();
  }
});

test('SIGSTOP of Redis: /healthz turns 503 within seconds and 200 again within 5 s of SIGCONT; edits made meanwhile arrive', async () => {
  const redis = await startRedis();
  // The product's own probe interval and timeout.
  const server = await startTestServer({ redisUrl: redis.url });
  const writer = connectClient(server.syncUrl, 'freeze');
  const watcher = connectClient(server.syncUrl, 'freeze');
  try {
    await Promise.all([writer.synced, watcher.synced]);
    assert.equal(await healthStatus(server.httpUrl), 200);
    redis.freeze();
    await poll(async () => (await healthStatus(server.httpUrl)) === 503, 'health reports the frozen store', 5_000);
    const body = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as { reason?: string };
    assert.match(body.reason ?? '', /has not answered/);
    burst(writer, 'frozen-', 5, onePoint);
    redis.thaw();
    await poll(async () => (await healthStatus(server.httpUrl)) === 200, 'health recovers with the store', 5_000);
    await waitFor(() => watcher.doc.getMap('shapes').size === 5, { doc: watcher.doc }, 'edits made during the freeze arrive');
  } finally {
    writer.destroy();
    watcher.destroy();
    await server.close();
    await redis.close();
  }
});

test('SIGTERM while Redis is down: the process exits within --shutdown-timeout-ms, non-zero; a restarted one serves everything once Redis is back', async () => {
  const redis = await startRedis();
  const dataDir = await makeTempDir();
  const timeoutMs = 3_000;
  const first = await startChildServer(dataDir, ['--redis', redis.url, '--shutdown-timeout-ms', String(timeoutMs)]);
  const writer = connectClient(first.syncUrl, 'down');
  const watcher = connectClient(first.syncUrl, 'down');
  let fresh: TestClient | null = null;
  let second: Awaited<ReturnType<typeof startChildServer>> | null = null;
  try {
    await Promise.all([writer.synced, watcher.synced]);
    burst(writer, 'stored-', 20, onePoint);
    // Relayed means stored in Redis.
    await waitFor(() => watcher.doc.getMap('shapes').size === 20, { doc: watcher.doc }, 'the watcher has the stored strokes');
    await redis.kill();
    burst(writer, 'unstored-', 5, onePoint);

    const signalled = performance.now();
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const took = performance.now() - signalled;
    assert.ok(took < timeoutMs + 1_500, `exited ${Math.round(took)} ms after SIGTERM (limit ${timeoutMs} ms)`);
    assert.equal(code, 1, `exit code says something was left undone:\n${first.lines.slice(-15).join('\n')}`);

    await redis.restart();
    second = await startChildServer(dataDir, ['--redis', redis.url]);
    // The writer's provider still holds the strokes Redis never got; pointed at the new process,
    // it sends them by itself.
    writer.provider.serverUrl = second.syncUrl;
    writer.provider.connect();
    fresh = connectClient(second.syncUrl, 'down');
    await fresh.synced;
    await waitFor(() => fresh!.doc.getMap('shapes').size === 25, { doc: fresh.doc }, 'the restarted process serves everything', 15_000);
    assert.deepEqual(shapeKeys(fresh), shapeKeys(writer));
  } finally {
    fresh?.destroy();
    writer.destroy();
    watcher.destroy();
    if (second) {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    first.child.kill('SIGKILL');
    await redis.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('starting with Redis unreachable: one line naming the address and the cause, exit 1; with --wait-for-store it starts once Redis is up', async () => {
  const dataDir = await makeTempDir();
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  try {
    const refused = spawnServer(['--data', dataDir, '--redis', url]);
    assert.equal(await refused.exited, 1);
    const said = refused.stderr.filter((line) => line.trim() !== '');
    assert.equal(said.length, 1, `one line, not a stack trace:\n${said.join('\n')}`);
    assert.match(said[0]!, new RegExp(`^easel: cannot connect to redis at redis://127\\.0\\.0\\.1:${port}: connection refused .*\\[ECONNREFUSED\\]$`));

    const waiting = spawnServer(['--data', dataDir, '--redis', url, '--wait-for-store']);
    try {
      await poll(() => waiting.stderr.some((line) => /retrying in \d+ s/.test(line)), 'it says it is waiting for the store');
      const redis = await startRedis({ port });
      try {
        const listening = await waiting.listening;
        const client = connectClient(`ws://127.0.0.1:${listening}/sync`, 'waited');
        try {
          await client.synced;
        } finally {
          client.destroy();
        }
        waiting.child.kill('SIGTERM');
        assert.equal(await waiting.exited, 0);
      } finally {
        await redis.close();
      }
    } finally {
      waiting.child.kill('SIGKILL');
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
