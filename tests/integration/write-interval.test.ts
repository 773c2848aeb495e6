/**
 * --write-interval-ms: a busy room writes and relays at most once per interval, merging what came
 * in meanwhile into one message; the first write after a quiet spell is not held back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { parseConfig } from '../../server/config.ts';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { rm } from 'node:fs/promises';
import { makeTempDir, startTestServer } from '../helpers/server.ts';
import { syncStep1, syncUpdate, WireClient, type WireMessage } from '../helpers/wire.ts';

const isUpdate = (m: WireMessage) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.update;

test('the flag and its variable set the interval', () => {
  assert.equal(parseConfig(['--write-interval-ms', '25'], {}).options.writeIntervalMs, 25);
  assert.equal(parseConfig([], { WRITE_INTERVAL_MS: '7' }).options.writeIntervalMs, 7);
  assert.throws(() => parseConfig(['--write-interval-ms', '-1'], {}), /write-interval-ms/);
});

test('within the interval, edits are merged into one relayed message; the first goes at once', async () => {
  // A board made by an earlier run of the server: this one loads it and has written nothing to
  // it, so the first edit comes after a quiet spell (a new board's first write, its schema
  // version, would start an interval right before it).
  const dataDir = await makeTempDir();
  const earlier = await startTestServer({ dataDir });
  const maker = new WireClient(`${earlier.syncUrl}/interval`);
  await maker.opened;
  maker.send(syncStep1(new Y.Doc()));
  await maker.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2, 'the board made');
  maker.close();
  await earlier.stop();
  // Long enough that the three quick edits below surely fall within it, even on a loaded machine.
  const server = await startTestServer({ dataDir, writeIntervalMs: 1_500 });
  const source = new Y.Doc();
  const edits: Uint8Array[] = [];
  source.on('update', (update: Uint8Array) => edits.push(update));
  for (let i = 0; i < 4; i++) source.transact(() => source.getMap('shapes').set(`s${i}`, i), LOCAL_ORIGIN);
  const writer = new WireClient(`${server.syncUrl}/interval`);
  const watcher = new WireClient(`${server.syncUrl}/interval`);
  try {
    await Promise.all([writer.opened, watcher.opened]);
    for (const client of [writer, watcher]) client.send(syncStep1(new Y.Doc()));
    await watcher.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2, 'watcher synced');

    const started = performance.now();
    writer.send(syncUpdate(edits[0]!));
    const first = await watcher.next(isUpdate, 'the first edit');
    assert.ok(performance.now() - started < 1_500, 'the first write after a quiet spell is not held back for an interval');

    // Three more, each in its own message and its own turn of the server's event loop.
    for (const edit of edits.slice(1)) {
      writer.send(syncUpdate(edit));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const merged = await watcher.next(isUpdate, 'the merged edits');
    const seen = new Y.Doc();
    Y.applyUpdate(seen, first.message.payload!);
    assert.deepEqual(seen.getMap('shapes').toJSON(), { s0: 0 });
    Y.applyUpdate(seen, merged.message.payload!);
    assert.deepEqual(seen.getMap('shapes').toJSON(), { s0: 0, s1: 1, s2: 2, s3: 3 }, 'one message held all three');
  } finally {
    writer.close();
    watcher.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
