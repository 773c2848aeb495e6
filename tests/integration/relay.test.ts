/**
 * How the server relays client edits: to every other client and not back to the sender, as the
 * bytes the sender sent when they are a live edit, and without what the doc already holds when
 * they come in a sync step 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { startTestServer } from '../helpers/server.ts';
import { encodeSync, syncStep1, syncUpdate, WireClient, type WireMessage } from '../helpers/wire.ts';

const isUpdate = (m: WireMessage) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.update;
const isStep2 = (m: WireMessage) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2;

/** Edits of one doc, one update per transaction. */
function edits(count: number, prefix: string): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.transact(() => doc.getMap('shapes').set(`${prefix}${i}`, i), LOCAL_ORIGIN);
  return { doc, updates };
}

async function joined(url: string): Promise<WireClient> {
  const client = new WireClient(url);
  await client.opened;
  client.send(syncStep1(new Y.Doc()));
  await client.next(isStep2, 'synced');
  return client;
}

test('an edit reaches the other clients as sent, and is not sent back to its sender', async () => {
  const server = await startTestServer();
  const url = `${server.syncUrl}/relay-echo`;
  const [a, b, c] = await Promise.all([joined(url), joined(url), joined(url)]);
  try {
    const { updates } = edits(3, 'a');
    for (const update of updates) a.send(syncUpdate(update));
    // The server answers a step 1 only once everything received before it is written, and it
    // relays a write before answering: an echo would come before this answer.
    a.send(syncStep1(new Y.Doc()));
    const { message: answer, skipped } = await a.next(isStep2, 'the answer to A\'s probe');
    const answered = new Y.Doc();
    Y.applyUpdate(answered, answer.payload!);
    assert.deepEqual(answered.getMap('shapes').toJSON(), { a0: 0, a1: 1, a2: 2 }, 'the probe was answered after the edits sent before it');
    assert.deepEqual(skipped.filter(isUpdate), [], 'A got none of its own edits back');
    for (const watcher of [b, c]) {
      const seen = new Y.Doc();
      for (let i = 0; i < updates.length; i++) {
        const { message } = await watcher.next(isUpdate, `edit ${i}`);
        assert.deepEqual(message.payload, updates[i], 'relayed byte for byte as A sent it');
        Y.applyUpdate(seen, message.payload!);
      }
      assert.deepEqual(seen.getMap('shapes').toJSON(), { a0: 0, a1: 1, a2: 2 });
    }

    // B's edit goes to A and C, not to B.
    const fromB = edits(1, 'b').updates[0]!;
    b.send(syncUpdate(fromB));
    for (const watcher of [a, c]) assert.deepEqual((await watcher.next(isUpdate, 'B\'s edit')).message.payload, fromB);
    b.send(syncStep1(new Y.Doc()));
    assert.deepEqual((await b.next(isStep2, 'the answer to B\'s probe')).skipped.filter(isUpdate), []);
  } finally {
    for (const client of [a, b, c]) client.close();
    await server.close();
  }
});

test('a sync step 2 is relayed without what the room already holds', async () => {
  const server = await startTestServer();
  const url = `${server.syncUrl}/relay-step2`;
  const [a, b] = await Promise.all([joined(url), joined(url)]);
  try {
    const { doc, updates } = edits(50, 's');
    for (const update of updates) a.send(syncUpdate(update));
    a.send(syncStep1(new Y.Doc()));
    await a.next(isStep2, 'A\'s edits written');
    for (let i = 0; i < updates.length; i++) await b.next(isUpdate, `edit ${i}`);

    // A comes back after an offline edit: its step 2 holds the whole doc, one entry of it new.
    doc.transact(() => doc.getMap('shapes').set('offline', true), LOCAL_ORIGIN);
    const whole = Y.encodeStateAsUpdate(doc);
    a.send(encodeSync(SYNC_MESSAGE_TYPE.step2, whole));
    const { message } = await b.next(isUpdate, 'the offline edit');
    assert.ok(message.payload!.byteLength < whole.byteLength / 4, `${message.payload!.byteLength} bytes relayed of a ${whole.byteLength}-byte step 2`);
    const probe = new Y.Doc();
    for (const update of updates) Y.applyUpdate(probe, update);
    Y.applyUpdate(probe, message.payload!);
    assert.equal(probe.getMap('shapes').get('offline'), true, 'the relayed part holds the offline edit');

    // A step 2 with nothing new is neither stored nor relayed.
    a.send(encodeSync(SYNC_MESSAGE_TYPE.step2, whole));
    a.send(syncStep1(new Y.Doc()));
    await a.next(isStep2, 'A\'s step 2 handled');
    b.send(syncStep1(new Y.Doc()));
    assert.deepEqual((await b.next(isStep2, 'B\'s probe answered')).skipped.filter(isUpdate), []);
  } finally {
    a.close();
    b.close();
    await server.close();
  }
});
