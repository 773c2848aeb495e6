/**
 * Durability: a room survives a graceful restart, a kill -9 in the middle of a burst loses
 * nothing any peer had seen, and compaction keeps the content while shortening the log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as Y from 'yjs';
import { Level } from 'level';
import { startChildServer } from '../helpers/child-server.ts';
import { startTestServer, makeTempDir } from '../helpers/server.ts';
import { burst, connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { syncStep1, syncUpdate, WireClient } from '../helpers/wire.ts';

function keys(doc: Y.Doc): string[] {
  return [...doc.getMap('shapes').keys()].sort();
}

/** The shape ids a fresh server on `dataDir` holds for `room`, as a client that joins it sees them. */
async function storedShapes(dataDir: string, room: string): Promise<string[]> {
  const server = await startTestServer({ dataDir });
  const check = connectClient(server.syncUrl, room);
  try {
    await check.synced;
    return keys(check.doc);
  } finally {
    check.destroy();
    await server.stop();
  }
}

/** Counts the stored log entries of a room straight from LevelDB. */
async function logEntries(dataDir: string, room: string): Promise<number> {
  const db = new Level<string, Uint8Array>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  let count = 0;
  for await (const _key of db.keys({ gte: `r!${room}!u!`, lt: `r!${room}!u!~` })) count++;
  await db.close();
  return count;
}

test('a room survives a graceful restart (SIGTERM flushes, exits 0)', async () => {
  const dataDir = await makeTempDir();
  try {
    const first = await startChildServer(dataDir);
    const writer = connectClient(first.syncUrl, 'restart');
    const watcher = connectClient(first.syncUrl, 'restart');
    await Promise.all([writer.synced, watcher.synced]);
    burst(writer, 's', 300);
    await waitFor(() => watcher.doc.getMap('shapes').size === 300, { doc: watcher.doc }, 'watcher has the burst');
    writer.destroy();
    watcher.destroy();
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, 'graceful shutdown exits 0');

    const second = await startChildServer(dataDir);
    const reader = connectClient(second.syncUrl, 'restart');
    await reader.synced;
    assert.equal(reader.doc.getMap('shapes').size, 300);
    reader.destroy();
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a second server on the same data folder exits with a message that says another process holds it', async () => {
  const dataDir = await makeTempDir();
  try {
    const first = await startChildServer(dataDir);
    await assert.rejects(startChildServer(dataDir), (error: Error) => {
      assert.match(error.message, /server exited \(1\)/);
      assert.match(error.message, /another process holds it \(is another Easel server running with the same --data folder\?\)/);
      return true;
    });
    // The first one is unharmed: it still serves and stops cleanly.
    const client = connectClient(first.syncUrl, 'held');
    await client.synced;
    client.destroy();
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM closes sockets with 1001', async () => {
  const dataDir = await makeTempDir();
  try {
    const server = await startChildServer(dataDir);
    const client = connectClient(server.syncUrl, 'goodbye');
    await client.synced;
    const closed = new Promise<number>((resolve) => client.provider.ws!.addEventListener('close', (event) => resolve(event.code)));
    client.provider.shouldConnect = false;
    server.child.kill('SIGTERM');
    assert.equal(await closed, 1001);
    assert.equal(await server.exited, 0);
    client.destroy();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('kill -9 in the middle of a 2,000-update burst loses nothing a peer had received', async () => {
  const dataDir = await makeTempDir();
  try {
    const first = await startChildServer(dataDir);
    const writer = connectClient(first.syncUrl, 'crash');
    const watcher = connectClient(first.syncUrl, 'crash');
    await Promise.all([writer.synced, watcher.synced]);
    // Kill as soon as the watcher has seen a good part of the burst, while the rest is in flight.
    const killed = waitFor(() => watcher.doc.getMap('shapes').size >= 400, { doc: watcher.doc }, 'watcher saw 400 updates').then(() => {
      first.child.kill('SIGKILL');
    });
    // Everything the watcher receives before its socket drops counts as seen.
    const watcherDropped = new Promise<void>((resolve) =>
      watcher.provider.on('status', ({ status }: { status: string }) => status === 'disconnected' && resolve()),
    );
    burst(writer, 'k', 2000);
    await killed;
    // Neither peer may reconnect: the writer would re-send its updates and mask a loss.
    writer.provider.shouldConnect = false;
    watcher.provider.shouldConnect = false;
    await watcherDropped;
    const seen = keys(watcher.doc);
    writer.destroy();
    watcher.destroy();
    assert.equal(await first.exited, 'SIGKILL');
    assert.ok(seen.length >= 400);
    assert.ok(seen.length < 2000, 'the kill came after the burst ended: the test proves nothing');

    const second = await startChildServer(dataDir);
    const reader = connectClient(second.syncUrl, 'crash');
    await reader.synced;
    const stored = new Set(keys(reader.doc));
    const missing = seen.filter((key) => !stored.has(key));
    assert.deepEqual(missing, [], `${missing.length} of ${seen.length} relayed updates were lost`);
    reader.destroy();
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('compaction while live keeps the content identical and the log short', async () => {
  const server = await startTestServer({ compactAfterUpdates: 10 });
  try {
    const writer = connectClient(server.syncUrl, 'compact');
    const reader = connectClient(server.syncUrl, 'compact');
    await Promise.all([writer.synced, reader.synced]);
    // 50 rounds, each stored before the next: 50 log entries without compaction.
    for (let round = 0; round < 50; round++) {
      burst(writer, `c${round}-`, 10);
      await waitFor(() => reader.doc.getMap('shapes').size === (round + 1) * 10, { doc: reader.doc }, `round ${round} stored`);
    }
    writer.doc.transact(() => {
      for (let i = 0; i < 10; i += 3) writer.doc.getMap('shapes').delete(`c0-${i}`);
    }, LOCAL_ORIGIN);
    await waitFor(() => reader.doc.getMap('shapes').size === keys(writer.doc).length, { doc: reader.doc }, 'reader caught up');
    const room = [...server.server.registry.rooms()].find((r) => r.name === 'compact')!;
    await room.flush();
    // Compacted while the room was live, not only when it unloads: once mid-burst (the log grew
    // past four times the threshold) and once after the burst, when the room went idle. Both run
    // in the background while writes go on, so they are awaited here.
    let compactions = 0;
    await poll(async () => {
      const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
      compactions = Number(/^easel_compactions_total (\d+)/m.exec(metrics)?.[1] ?? 0);
      return compactions >= 2;
    }, 'two live compactions');
    const expected = writer.doc.getMap('shapes').toJSON();
    writer.destroy();
    reader.destroy();
    await server.stop();

    const entries = await logEntries(server.dataDir, 'compact');
    assert.ok(entries < 10, `log has ${entries} entries after compaction`);
    const reopened = await startTestServer({ dataDir: server.dataDir });
    const check = connectClient(reopened.syncUrl, 'compact');
    await check.synced;
    assert.deepEqual(check.doc.getMap('shapes').toJSON(), expected);
    check.destroy();
    await reopened.stop();
  } finally {
    await rm(server.dataDir, { recursive: true, force: true });
  }
});

test('a long log left by a crash is compacted when the room loads', async () => {
  const dataDir = await makeTempDir();
  try {
    // A crash (kill -9) leaves the log as it was: no compaction on the way out.
    const first = await startChildServer(dataDir);
    const writer = connectClient(first.syncUrl, 'cold');
    const watcher = connectClient(first.syncUrl, 'cold');
    await Promise.all([writer.synced, watcher.synced]);
    // One round at a time, each stored and relayed before the next, so each is its own log entry.
    for (let round = 0; round < 60; round++) {
      burst(writer, `w${round}-`, 5);
      await waitFor(() => watcher.doc.getMap('shapes').size === (round + 1) * 5, { doc: watcher.doc }, `round ${round} written`);
    }
    const expected = writer.doc.getMap('shapes').toJSON();
    writer.provider.shouldConnect = false;
    watcher.provider.shouldConnect = false;
    first.child.kill('SIGKILL');
    await first.exited;
    writer.destroy();
    watcher.destroy();
    assert.ok((await logEntries(dataDir, 'cold')) >= 60, 'the log was compacted before the crash');

    const second = await startTestServer({ dataDir, compactAfterUpdates: 50 });
    const reader = connectClient(second.syncUrl, 'cold');
    await reader.synced;
    assert.deepEqual(reader.doc.getMap('shapes').toJSON(), expected);
    await poll(async () => /^easel_compactions_total [1-9]/m.test(await (await fetch(`${second.httpUrl}/metrics`)).text()), 'compacted after load');
    reader.destroy();
    await second.stop();
    assert.equal(await logEntries(dataDir, 'cold'), 1);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a room is stored as one snapshot once it unloads', async () => {
  const server = await startTestServer({ unloadDelayMs: 20, compactAfterUpdates: 1000 });
  try {
    const writer = connectClient(server.syncUrl, 'rest');
    const watcher = connectClient(server.syncUrl, 'rest');
    await Promise.all([writer.synced, watcher.synced]);
    for (let round = 0; round < 5; round++) {
      burst(writer, `r${round}-`, 3);
      await waitFor(() => watcher.doc.getMap('shapes').size === (round + 1) * 3, { doc: watcher.doc }, `round ${round} written`);
    }
    writer.destroy();
    watcher.destroy();
    await poll(() => server.server.registry.size === 0, 'room unloaded');
    await server.stop();
    assert.equal(await logEntries(server.dataDir, 'rest'), 1);
  } finally {
    await rm(server.dataDir, { recursive: true, force: true });
  }
});

test('a room at rest (one snapshot) answers new and returning clients, then takes edits', async () => {
  const dataDir = await makeTempDir();
  try {
    const first = await startTestServer({ dataDir });
    const writer = connectClient(first.syncUrl, 'rest2');
    await writer.synced;
    burst(writer, 'a', 50);
    const watcher = connectClient(first.syncUrl, 'rest2');
    await waitFor(() => watcher.doc.getMap('shapes').size === 50, { doc: watcher.doc }, 'stored');
    watcher.destroy();
    // The writer goes offline with its doc and keeps editing there.
    writer.provider.disconnect();
    burst(writer, 'offline', 5);
    await first.stop();
    assert.equal(await logEntries(dataDir, 'rest2'), 1, 'the room rests as one snapshot');

    const second = await startTestServer({ dataDir });
    // Both join at once: a fresh client (empty state vector) and the returning writer.
    const fresh = connectClient(second.syncUrl, 'rest2');
    writer.provider.destroy();
    const returning = connectClient(second.syncUrl, 'rest2', { doc: writer.doc });
    await waitFor(() => fresh.doc.getMap('shapes').size === 55, { doc: fresh.doc }, 'fresh client has the board and the offline edits');
    burst(fresh, 'after', 3);
    await waitFor(() => writer.doc.getMap('shapes').size === 58, { doc: writer.doc }, 'edits after the load are relayed');
    returning.destroy();
    fresh.destroy();
    await second.stop();

    assert.equal((await storedShapes(dataDir, 'rest2')).length, 58);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an edit sent with the first request to a room at rest is applied and stored, even on an immediate shutdown', async () => {
  const dataDir = await makeTempDir();
  try {
    const first = await startTestServer({ dataDir });
    const writer = connectClient(first.syncUrl, 'rest3');
    await writer.synced;
    burst(writer, 'a', 50);
    await first.server.registry.flushAll();
    const watcher = connectClient(first.syncUrl, 'rest3');
    await waitFor(() => watcher.doc.getMap('shapes').size === 50, { doc: watcher.doc }, 'stored');
    watcher.destroy();
    writer.destroy();
    await first.stop();

    // A client that already has the board's content sends its request and an edit at once: the
    // edit arrives while the room answers from its snapshot, before the doc is built.
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(writer.doc));
    const edits: Uint8Array[] = [];
    local.on('update', (update: Uint8Array) => edits.push(update));
    local.transact(() => local.getMap('shapes').set('late', new Y.Map()), LOCAL_ORIGIN);
    const second = await startTestServer({ dataDir });
    const raw = new WireClient(`${second.syncUrl}/rest3`);
    await raw.opened;
    raw.send(syncStep1(new Y.Doc()));
    raw.send(syncUpdate(edits[0]!));
    await raw.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2, 'the stored snapshot');
    // Shut down at once: the waiting edit must still be applied and written.
    raw.close();
    await second.stop();

    const stored = await storedShapes(dataDir, 'rest3');
    assert.equal(stored.length, 51);
    assert.ok(stored.includes('late'));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an empty room is unloaded after the delay and reloads with its content', async () => {
  const server = await startTestServer({ unloadDelayMs: 50 });
  try {
    const writer = connectClient(server.syncUrl, 'unload');
    await writer.synced;
    burst(writer, 'u', 10);
    const watcher = connectClient(server.syncUrl, 'unload');
    await waitFor(() => watcher.doc.getMap('shapes').size === 10, { doc: watcher.doc }, 'written');
    writer.destroy();
    watcher.destroy();
    await poll(() => server.server.registry.size === 0, 'room was not unloaded');
    const reader = connectClient(server.syncUrl, 'unload');
    await reader.synced;
    assert.equal(reader.doc.getMap('shapes').size, 10);
    reader.destroy();
  } finally {
    await server.close();
  }
});
