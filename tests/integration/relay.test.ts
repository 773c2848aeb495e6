/**
 * How the server relays client edits: a write that holds one edit goes to every other client and
 * not back to its sender, as the bytes the sender sent; a write that holds several is merged into
 * one frame, sent to everyone but a sender whose edits they all are; a sync step 2 is relayed
 * without what the doc already holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as Y from 'yjs';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { openLevelStore } from '../../server/store/level-store.ts';
import { wrapRoomLog, wrapStore, type Store } from '../../server/store/store.ts';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { poll } from '../helpers/client.ts';
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

/**
 * The server answers a step 1 only once everything received before it is written, and it relays
 * a write before answering: the update frames `client` got before the answer are all there is.
 */
async function framesUntilStored(client: WireClient, what: string): Promise<WireMessage[]> {
  client.send(syncStep1(new Y.Doc()));
  return (await client.next(isStep2, what)).skipped.filter(isUpdate);
}

/** A LevelDB store whose writes can be held, to put chosen edits into one write. */
async function holdableStore(): Promise<{ store: Store; dir: string; hold(): void; release(): void; readonly waiting: number }> {
  const dir = await makeTempDir();
  const inner = await openLevelStore(dir);
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  let waiting = 0;
  const store = wrapStore(inner, async (room) => {
    const log = await inner.openRoom(room);
    return wrapRoomLog(log, {
      async append(updates, stateVector) {
        if (gate) {
          waiting += 1;
          await gate.promise;
          waiting -= 1;
        }
        await log.append(updates, stateVector);
      },
      compact: (build) => log.compact(build),
    });
  });
  return {
    store,
    dir,
    hold() {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
    },
    release() {
      gate?.open();
      gate = null;
    },
    get waiting() {
      return waiting;
    },
  };
}

/** The room's updates received and not yet written: waiting, being applied or being written. */
function unstored(server: TestServer, room: string): number {
  return [...server.server.registry.rooms()].find((r) => r.name === room)?.unstoredCount ?? 0;
}

test('a lone edit reaches the other clients as sent, and is not sent back to its sender', async () => {
  const server = await startTestServer();
  const url = `${server.syncUrl}/relay-echo`;
  const [a, b, c] = await Promise.all([joined(url), joined(url), joined(url)]);
  try {
    const { updates } = edits(3, 'a');
    // One at a time, each written before the next is sent: each write holds one edit.
    for (const update of updates) {
      a.send(syncUpdate(update));
      assert.deepEqual(await framesUntilStored(a, 'A\'s edit stored'), [], 'A got none of its own edits back');
    }
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
    // Edits that share a write come merged: B has them all once its frames hold 50 entries.
    const atB = new Y.Doc();
    while (atB.getMap('shapes').size < updates.length) Y.applyUpdate(atB, (await b.next(isUpdate, 'A\'s edits')).message.payload!);

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

/** Applies `updates` to a fresh doc and returns its shapes. */
function shapesOf(updates: readonly Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap('shapes').toJSON();
}

test('edits from several senders that share a write reach each peer as one merged frame, senders included', async () => {
  const store = await holdableStore();
  const server = await startTestServer({ store: store.store });
  const room = 'relay-merged';
  const url = `${server.syncUrl}/${room}`;
  const [primer, a, b, c, watcher] = await Promise.all([joined(url), joined(url), joined(url), joined(url), joined(url)]);
  try {
    // The primer's edit is being written (and held there) while A, B and C send theirs: those
    // three make the next write.
    store.hold();
    const primed = edits(1, 'p').updates[0]!;
    primer.send(syncUpdate(primed));
    await poll(() => store.waiting === 1, 'the primer\'s edit is being written');
    const own = new Map([a, b, c].map((client, i) => [client, edits(1, 'abc'[i]!).updates[0]!]));
    for (const [client, update] of own) client.send(syncUpdate(update));
    await poll(() => unstored(server, room) === 4, 'the three edits wait for the next write');
    store.release();
    const all = { p0: 0, a0: 0, b0: 0, c0: 0 };

    const atWatcher = await framesUntilStored(watcher, 'the watcher\'s probe answered');
    assert.equal(atWatcher.length, 2, 'one frame per write: the primer\'s edit, then the three merged');
    assert.deepEqual(atWatcher[0]!.payload, primed, 'a write of one edit is relayed as sent');
    assert.deepEqual(shapesOf(atWatcher.map((m) => m.payload!)), all);
    for (const [sender, update] of own) {
      const frames = await framesUntilStored(sender, 'a sender\'s probe answered');
      assert.equal(frames.length, 2, 'a sender gets the merged frame too, its own edit in it');
      assert.deepEqual(shapesOf([update, ...frames.map((m) => m.payload!)]), all);
    }
    const atPrimer = await framesUntilStored(primer, 'the primer\'s probe answered');
    assert.equal(atPrimer.length, 1, 'the primer gets the three in one frame, and not its own edit');
    assert.deepEqual(shapesOf([primed, atPrimer[0]!.payload!]), all);
  } finally {
    store.release();
    for (const client of [primer, a, b, c, watcher]) client.close();
    await server.close();
    await rm(store.dir, { recursive: true, force: true });
  }
});

test('edits of one sender that share a write reach the others as one frame, and not that sender', async () => {
  const store = await holdableStore();
  const server = await startTestServer({ store: store.store });
  const room = 'relay-merged-one';
  const url = `${server.syncUrl}/${room}`;
  const [primer, a, watcher] = await Promise.all([joined(url), joined(url), joined(url)]);
  try {
    store.hold();
    const primed = edits(1, 'p').updates[0]!;
    primer.send(syncUpdate(primed));
    await poll(() => store.waiting === 1, 'the primer\'s edit is being written');
    const { updates } = edits(3, 'a');
    for (const update of updates) a.send(syncUpdate(update));
    await poll(() => unstored(server, room) === 4, 'A\'s three edits wait for the next write');
    store.release();

    const atWatcher = await framesUntilStored(watcher, 'the watcher\'s probe answered');
    assert.equal(atWatcher.length, 2, 'the primer\'s edit, then A\'s three in one frame');
    assert.deepEqual(shapesOf(atWatcher.map((m) => m.payload!)), { p0: 0, a0: 0, a1: 1, a2: 2 });
    const atA = await framesUntilStored(a, 'A\'s probe answered');
    assert.deepEqual(atA.map((m) => m.payload), [primed], 'A gets the primer\'s edit and none of its own back');
  } finally {
    store.release();
    for (const client of [primer, a, watcher]) client.close();
    await server.close();
    await rm(store.dir, { recursive: true, force: true });
  }
});
