/**
 * Scale-out on Redis: several Easel servers sharing one real redis-server serve the same rooms.
 * Updates and presence cross processes, a late joiner anywhere gets everything, each update is
 * stored once, the log compacts, and a kill -9 of one process loses nothing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, makeTempDir, type TestServer } from '../helpers/server.ts';
import { startChildServer } from '../helpers/child-server.ts';
import * as Y from 'yjs';
import { burst, connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { syncUpdate, WireClient } from '../helpers/wire.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

let redis: TestRedis;

before(async () => {
  redis = await startRedis();
});

after(async () => {
  await redis.close();
});

/** One point per stroke. */
const onePoint = (i: number): number[] => [i, i, 0.5];

const sizeOf = (client: TestClient): number => client.doc.getMap('shapes').size;

async function cluster(n: number, extra: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer[]> {
  return Promise.all(Array.from({ length: n }, () => startTestServer({ redisUrl: redis.url, ...extra })));
}

test('updates and presence cross processes, both ways', async () => {
  const [p1, p2] = await cluster(2);
  const a = connectClient(p1!.syncUrl, 'cross');
  const b = connectClient(p2!.syncUrl, 'cross');
  try {
    await Promise.all([a.synced, b.synced]);
    burst(a, 'a', 50, onePoint);
    burst(b, 'b', 50, onePoint);
    await waitFor(() => sizeOf(a) === 100, { doc: a.doc }, 'A has both halves');
    await waitFor(() => sizeOf(b) === 100, { doc: b.doc }, 'B has both halves');
    assert.deepEqual(a.doc.getMap('shapes').toJSON(), b.doc.getMap('shapes').toJSON());

    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#e03131' });
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', { awareness: b.provider.awareness }, 'B sees Ada across processes');
    a.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), { awareness: b.provider.awareness }, 'Ada gone across processes');
  } finally {
    a.destroy();
    b.destroy();
    await Promise.all([p1!.close(), p2!.close()]);
  }
});

test('a late joiner on a third process gets everything, and each update is stored once', async () => {
  const servers = await cluster(3);
  const [p1, p2, p3] = servers as [TestServer, TestServer, TestServer];
  const a = connectClient(p1.syncUrl, 'late');
  const b = connectClient(p2.syncUrl, 'late');
  const inspector = new Redis(redis.url);
  try {
    await Promise.all([a.synced, b.synced]);
    burst(a, 'a', 200, onePoint);
    await waitFor(() => sizeOf(b) === 200, { doc: b.doc }, 'B got A\'s burst');
    const entries = await inspector.xlen('easel:{late}:log');
    // One entry per update at most (stored once, not once per process), plus the schema version
    // each process writes into a new board when it loads it.
    const all = await inspector.xrangeBuffer('easel:{late}:log', '-', '+');
    const meta = all.filter(([, fields]) => {
      const update = fields[fields.findIndex((name) => name.toString() === 'u') + 1]!;
      return !Y.decodeUpdate(update).structs.some((struct) => struct instanceof Y.Item && (struct.parent as unknown) === 'shapes');
    }).length;
    assert.ok(entries > 0 && entries - meta <= 200 && meta <= 2, `${entries} log entries (${meta} without shapes) for 200 updates on 2 processes`);
    const c = connectClient(p3.syncUrl, 'late');
    await c.synced;
    assert.equal(sizeOf(c), 200);
    c.destroy();
  } finally {
    inspector.disconnect();
    a.destroy();
    b.destroy();
    await Promise.all(servers.map((s) => s.close()));
  }
});

/** The id of the first and the last entry of a room's log stream, and the snapshot's id. */
async function logIds(inspector: Redis, room: string): Promise<{ first: string | null; last: string | null; snapshot: string | null }> {
  const [first] = await inspector.xrange(`easel:{${room}}:log`, '-', '+', 'COUNT', 1);
  const [last] = await inspector.xrevrange(`easel:{${room}}:log`, '+', '-', 'COUNT', 1);
  return { first: first?.[0] ?? null, last: last?.[0] ?? null, snapshot: await inspector.hget(`easel:{${room}}:snap`, 'id') };
}

/** Stream ids are "ms-seq"; compares them as numbers. */
function idAtOrAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && as >= bs);
}

/** Waits on Redis's clock (stream ids come from it) until the entry `id` is more than `ms` old. */
async function olderThan(inspector: Redis, id: string, ms: number, message: string): Promise<void> {
  const idMs = Number(id.split('-')[0]);
  await poll(async () => {
    const [seconds, micros] = await inspector.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) > idMs + ms;
  }, message);
}

/** Ten rounds of ten strokes from `a`, each awaited at `watcher`, so the log grows every round. */
async function tenRounds(a: TestClient, watcher: TestClient, prefix: string): Promise<void> {
  const start = sizeOf(watcher);
  for (let round = 0; round < 10; round++) {
    burst(a, `${prefix}${round}-`, 10, onePoint);
    // At least, not exactly: a size that jumps past the mark (frames merged) still counts.
    await waitFor(() => sizeOf(watcher) >= start + (round + 1) * 10, { doc: watcher.doc }, `${prefix} round ${round} relayed`);
  }
}

/** A fresh process loads `room` with exactly `expected` as its shapes. */
async function assertNewProcessLoads(room: string, expected: Record<string, unknown>): Promise<void> {
  const [p2] = await cluster(1);
  const c = connectClient(p2!.syncUrl, room);
  try {
    await c.synced;
    assert.deepEqual(c.doc.getMap('shapes').toJSON(), expected);
  } finally {
    c.destroy();
    await p2!.close();
  }
}

test('the log is compacted into a snapshot that a new process loads; folded entries stay readable for the registration TTL', async () => {
  const [p1] = await cluster(1, { compactAfterUpdates: 5 });
  const inspector = new Redis(redis.url);
  const a = connectClient(p1!.syncUrl, 'snap');
  const watcher = connectClient(p1!.syncUrl, 'snap');
  try {
    await Promise.all([a.synced, watcher.synced]);
    await tenRounds(a, watcher, 'r');
    const expected = a.doc.getMap('shapes').toJSON();
    const { first, last } = await logIds(inspector, 'snap');
    assert.ok(first && last);
    // Compaction runs mid-burst only once the log is far over the threshold; the rest waits until
    // the room has been idle for a moment, so the snapshot is awaited, not assumed.
    await poll(async () => {
      const { snapshot } = await logIds(inspector, 'snap');
      return snapshot !== null && idAtOrAfter(snapshot, last);
    }, 'snapshot covers the whole log');
    // Another process that follows the room may not have read those entries yet: younger than
    // the registration TTL (30 s here), they are all still there.
    assert.equal((await logIds(inspector, 'snap')).first, first, 'entries the snapshot holds are kept for now');
    await assertNewProcessLoads('snap', expected);
  } finally {
    inspector.disconnect();
    a.destroy();
    watcher.destroy();
    await p1!.close();
  }
});

test('entries older than the registration TTL that a snapshot holds are trimmed by the next compaction', async () => {
  const ttlMs = 500;
  // A busy room merges what a write interval brings into one entry, so the bursts below make only
  // a few entries each: a low threshold keeps them compacting.
  const [p1] = await cluster(1, { compactAfterUpdates: 2, redisRegistrationTtlMs: ttlMs });
  const inspector = new Redis(redis.url);
  const a = connectClient(p1!.syncUrl, 'trim');
  const watcher = connectClient(p1!.syncUrl, 'trim');
  try {
    await Promise.all([a.synced, watcher.synced]);
    await tenRounds(a, watcher, 'old');
    const firstBurst = await logIds(inspector, 'trim');
    assert.ok(firstBurst.last);
    await olderThan(inspector, firstBurst.last, ttlMs, 'first burst older than the TTL');
    await tenRounds(a, watcher, 'new');
    const secondBurst = await logIds(inspector, 'trim');
    await poll(async () => {
      const { first, snapshot } = await logIds(inspector, 'trim');
      // The second burst may be trimmed too by then, if the idle compaction came after the TTL.
      return snapshot !== null && idAtOrAfter(snapshot, secondBurst.last!) && (first === null || !idAtOrAfter(firstBurst.last!, first));
    }, 'the first burst trimmed once a later snapshot holds it');
    assert.equal(sizeOf(a), 200);
    await assertNewProcessLoads('trim', a.doc.getMap('shapes').toJSON());
  } finally {
    inspector.disconnect();
    a.destroy();
    watcher.destroy();
    await p1!.close();
  }
});

test('a process cut off from Redis for longer than the registration TTL gets the entries trimmed meanwhile once it is back', async () => {
  const ttlMs = 600;
  // P2 reaches Redis through a proxy that the test pauses: a partition, as the process sees it.
  const proxy = await startTcpProxy(Number(new URL(redis.url).port));
  const [p1] = await cluster(1, { compactAfterUpdates: 5, redisRegistrationTtlMs: ttlMs });
  const [p2] = await cluster(1, { redisUrl: `redis://127.0.0.1:${proxy.port}`, compactAfterUpdates: 5, redisRegistrationTtlMs: ttlMs });
  const inspector = new Redis(redis.url);
  const a = connectClient(p1!.syncUrl, 'partition');
  const watcher = connectClient(p1!.syncUrl, 'partition');
  const b = connectClient(p2!.syncUrl, 'partition');
  try {
    await Promise.all([a.synced, watcher.synced, b.synced]);
    burst(a, 'before-', 10, onePoint);
    await waitFor(() => sizeOf(b) === 10, { doc: b.doc }, 'B follows A across processes');
    // The rounds below count from what the watcher holds: it must have these too, or a round
    // could be counted as relayed when only this burst arrived.
    await waitFor(() => sizeOf(watcher) === 10, { doc: watcher.doc }, 'the watcher has the first burst');

    proxy.pause();
    await tenRounds(a, watcher, 'cut');
    const cut = await logIds(inspector, 'partition');
    await olderThan(inspector, cut.last!, ttlMs, 'the cut-off burst older than the TTL');
    await tenRounds(a, watcher, 'later');
    await poll(async () => {
      const { first } = await logIds(inspector, 'partition');
      return first === null || !idAtOrAfter(cut.last!, first);
    }, 'what P2 missed is trimmed from the log');
    assert.equal(sizeOf(b), 10, 'nothing reached B while its process was cut off');

    proxy.resume();
    // Its follower goes on after the last id it read, past the trimmed entries: only the
    // trimmed mark tells it that it must read the snapshot again.
    await waitFor(() => sizeOf(b) === 210, { doc: b.doc }, 'B gets everything, trimmed entries included');
    assert.deepEqual(b.doc.getMap('shapes').toJSON(), a.doc.getMap('shapes').toJSON());
    burst(b, 'back-', 5, onePoint);
    await waitFor(() => sizeOf(a) === 215, { doc: a.doc }, 'and B\'s edits reach A again');
  } finally {
    inspector.disconnect();
    a.destroy();
    watcher.destroy();
    b.destroy();
    await Promise.all([p1!.close(), p2!.close()]);
    await proxy.close();
  }
});

test('a process reads a room\'s log back only while another process has the room loaded', async () => {
  // Registrations outlive the test, so no heartbeat can stand in for the join notice.
  const [p1, p2] = await cluster(2, { unloadDelayMs: 50, redisRegistrationTtlMs: 10 * 60_000 });
  const inspector = new Redis(redis.url);
  const monitor = await inspector.monitor();
  // Every XREAD either process issues, as the stream keys it names.
  const reads: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'xread') reads.push(args.filter((arg) => arg.startsWith('easel:')));
  });
  const readsLog = (from: number) => reads.slice(from).some((keys) => keys.includes('easel:{affine}:log'));
  const a = connectClient(p1!.syncUrl, 'affine');
  // Relayed to the watcher means stored in Redis.
  const watcher = connectClient(p1!.syncUrl, 'affine');
  const stored = (n: number) => waitFor(() => sizeOf(watcher) === n, { doc: watcher.doc }, `${n} shapes stored`);
  const others: TestClient[] = [];
  try {
    await Promise.all([a.synced, watcher.synced]);
    // Alone: P1 wrote every entry, so it follows only the room's presence stream.
    burst(a, 'solo', 30, onePoint);
    await stored(30);
    assert.ok(reads.length > 0, 'the follower reads');
    assert.equal(readsLog(0), false, 'a room on one process only is not read back');

    // A second process loads the room: P1 follows its log and gets B's edits.
    const b = connectClient(p2!.syncUrl, 'affine');
    others.push(b);
    await b.synced;
    assert.equal(sizeOf(b), 30);
    burst(b, 'shared', 20, onePoint);
    await waitFor(() => sizeOf(a) === 50, { doc: a.doc }, 'A gets what B wrote on the other process');
    assert.ok(readsLog(0), 'P1 reads the log while the room is on both');

    // B leaves and P2 unloads the room: after P1's next write alone, it stops reading again.
    b.destroy();
    await poll(() => p2!.server.registry.size === 0, 'P2 unloaded the room');
    // Unloading ends with P2 taking its registration back (the hash keeps the epoch and P1's).
    await poll(async () => (await inspector.hlen('easel:{affine}:procs')) === 2, 'P2 unregistered');
    burst(a, 'alone-again', 5, onePoint);
    await stored(55);
    await poll(() => {
      const mark = reads.length;
      return mark > 0 && !reads[mark - 1]!.includes('easel:{affine}:log');
    }, 'P1 stops reading the log');
    const quiet = reads.length;
    burst(a, 'solo-writes', 10, onePoint);
    await stored(65);
    await poll(() => reads.length > quiet, 'the follower reads again after the writes');
    assert.equal(readsLog(quiet), false, 'solo again: no log reads');

    // And back: a client on P2 again gets everything and its edits reach A.
    const c = connectClient(p2!.syncUrl, 'affine');
    others.push(c);
    await c.synced;
    assert.equal(sizeOf(c), 65);
    burst(c, 'back', 5, onePoint);
    await waitFor(() => sizeOf(a) === 70, { doc: a.doc }, 'A gets the edits of the returning process');
    c.destroy();
  } finally {
    monitor.disconnect();
    inspector.disconnect();
    a.destroy();
    watcher.destroy();
    for (const client of others) client.destroy();
    await Promise.all([p1!.close(), p2!.close()]);
  }
});

test('a client update waiting on what another process stored is itself stored once that arrives', async () => {
  const [p1, p2, p3] = await cluster(3);
  // One writer's two updates: the second edits the shape the first creates.
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (update: Uint8Array) => updates.push(update));
  const shape = new Y.Map<unknown>();
  source.getMap('shapes').set('s1', shape);
  shape.set('note', 'second update');
  const [created, edited] = updates as [Uint8Array, Uint8Array];
  const onP1 = new WireClient(`${p1!.syncUrl}/pending`);
  const onP2 = new WireClient(`${p2!.syncUrl}/pending`);
  try {
    await Promise.all([onP1.opened, onP2.opened]);
    // P1 gets the edit first: it cannot integrate it yet and holds it as pending.
    onP1.send(syncUpdate(edited));
    const roomOnP1 = () => [...p1!.server.registry.rooms()].find((room) => room.name === 'pending');
    await poll(() => roomOnP1()?.doc.store.pendingStructs != null, 'P1 holds the edit as pending');
    // The creation reaches P1 only through Redis, from P2; applying it completes P1's pending edit.
    onP2.send(syncUpdate(created));
    await poll(() => roomOnP1()?.doc.store.pendingStructs === null, 'P1 integrated the edit');
    await p1!.server.registry.flushAll();
    const fresh = connectClient(p3!.syncUrl, 'pending');
    await fresh.synced;
    const stored = fresh.doc.getMap('shapes').toJSON();
    fresh.destroy();
    assert.deepEqual(stored, { s1: { note: 'second update' } });
  } finally {
    onP1.close();
    onP2.close();
    await Promise.all([p1!.close(), p2!.close(), p3!.close()]);
  }
});

test('kill -9 of one process: its clients move to another and everyone converges', async () => {
  const dataDirs = [await makeTempDir(), await makeTempDir()];
  const [p1, p2] = await Promise.all(dataDirs.map((dir) => startChildServer(dir, ['--redis', redis.url])));
  const a = connectClient(p1!.syncUrl, 'failover');
  const b = connectClient(p2!.syncUrl, 'failover');
  try {
    await Promise.all([a.synced, b.synced]);
    const killed = waitFor(() => sizeOf(b) >= 300, { doc: b.doc }, 'B saw part of the burst').then(() => p1!.child.kill('SIGKILL'));
    burst(a, 'k', 1500, onePoint);
    await killed;
    assert.equal(await p1!.exited, 'SIGKILL');
    // A's "load balancer" sends it to the surviving process; its doc still holds every edit.
    a.provider.destroy();
    const moved = connectClient(p2!.syncUrl, 'failover', { doc: a.doc });
    await moved.synced;
    await waitFor(() => sizeOf(b) === 1500, { doc: b.doc }, 'B converged with all of A\'s burst');
    const fresh = connectClient(p2!.syncUrl, 'failover');
    await fresh.synced;
    assert.equal(sizeOf(fresh), 1500);
    assert.deepEqual(fresh.doc.getMap('shapes').toJSON(), b.doc.getMap('shapes').toJSON());
    fresh.destroy();
    moved.destroy();
  } finally {
    b.destroy();
    p2!.child.kill('SIGTERM');
    await p2!.exited;
    await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});
