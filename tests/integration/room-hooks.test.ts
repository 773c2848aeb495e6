/**
 * The hooks version history and the API use (server/room/room.ts): a committed-batch observer
 * that says who made each stored batch, a last-leave observer, and Room.edit, a server change
 * that goes through the commit pipeline like a client's edit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { API_ORIGIN, LOCAL_ORIGIN } from '../../shared/origins.ts';
import type { Connection } from '../../server/connection.ts';
import type { CommittedBatch, Room } from '../../server/room/room.ts';
import { StorageError } from '../../server/errors.ts';
import { wrapRoomLog, wrapStore } from '../../server/store/store.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import { createControlledStore, type ControlledStore } from '../helpers/gated-store.ts';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let controlled: ControlledStore;
/** Every update the store has acknowledged, in order. */
const stored = new Set<Uint8Array>();
const committed: Array<{ room: string; batch: CommittedBatch; allStored: boolean; connections: Set<Connection> }> = [];
const emptied: string[] = [];
/** Appends the server has started, whether or not the store has answered yet. */
let appendsStarted = 0;

before(async () => {
  const dataDir = await makeTempDir();
  controlled = await createControlledStore(dataDir);
  const recording = wrapStore(controlled, async (room) => {
    const log = await controlled.openRoom(room);
    return wrapRoomLog(log, {
      async append(updates, stateVector) {
        appendsStarted += 1;
        await log.append(updates, stateVector);
        for (const update of updates) stored.add(update);
      },
      compact: (build) => log.compact(build),
    });
  });
  server = await startTestServer({
    dataDir,
    store: recording,
    onCommitted(room, batch) {
      committed.push({ room: room.name, batch, allStored: batch.updates.every((update) => stored.has(update)), connections: new Set(room.connections) });
    },
    onRoomEmpty(room) {
      emptied.push(room.name);
    },
  });
});

after(async () => {
  await server.close();
});

function loadedRoom(name: string): Room {
  const room = [...server.server.registry.rooms()].find((r) => r.name === name);
  assert.ok(room, `room ${name} is loaded`);
  return room;
}

test('the committed observer gets each stored batch with who made it, and the last leave is told', async () => {
  const client = connectClient(server.syncUrl, 'hooks');
  await client.synced;
  // A new room's schema version is the server's own edit.
  await poll(() => committed.some((c) => c.room === 'hooks' && c.batch.editors.has(null)), 'the server edit is committed');
  client.doc.transact(() => client.doc.getMap('m').set('a', 1), LOCAL_ORIGIN);
  await poll(() => committed.some((c) => c.room === 'hooks' && !c.batch.editors.has(null)), 'the client edit is committed');
  const byClient = committed.find((c) => c.room === 'hooks' && !c.batch.editors.has(null))!;
  assert.equal(byClient.allStored, true, 'told only once the store holds the batch');
  assert.equal(byClient.batch.editors.size, 1);
  const [editor] = byClient.batch.editors;
  assert.ok(editor && byClient.connections.has(editor), 'the editor is the connection that sent it');
  const doc = new Y.Doc();
  for (const update of byClient.batch.updates) Y.applyUpdate(doc, update);
  assert.equal(doc.getMap('m').get('a'), 1, 'the batch holds the edit');

  assert.ok(!emptied.includes('hooks'));
  client.destroy();
  await poll(() => emptied.includes('hooks'), 'the last leave is told');
});

test('edits of several clients that wait behind a write go in one batch: one update, every sender an editor', async () => {
  const a = connectClient(server.syncUrl, 'round');
  const b = connectClient(server.syncUrl, 'round');
  let open = (): void => undefined;
  try {
    await Promise.all([a.synced, b.synced]);
    const room = loadedRoom('round');
    controlled.appendGate = new Promise((resolve) => (open = resolve));
    const started = appendsStarted;
    a.doc.transact(() => a.doc.getMap('m').set('first', 1), LOCAL_ORIGIN);
    await poll(() => appendsStarted > started, 'the first edit is being written');
    const before = committed.length;
    a.doc.transact(() => a.doc.getMap('m').set('a', 1), LOCAL_ORIGIN);
    b.doc.transact(() => b.doc.getMap('m').set('b', 1), LOCAL_ORIGIN);
    await poll(() => room.unstoredCount === 3, 'both edits wait behind the write');
    const senders = new Set(room.connections);
    controlled.appendGate = null;
    open();
    await poll(() => committed.slice(before).some((c) => c.room === 'round' && c.batch.editors.size === 2), 'the round after the write is committed');
    const batches = committed.slice(before).filter((c) => c.room === 'round');
    const round = batches.find((c) => c.batch.editors.size === 2)!;
    assert.equal(round.batch.updates.length, 1, 'one update for the round');
    assert.ok([...round.batch.editors].every((editor) => editor !== null && senders.has(editor)), 'both senders are its editors');
    assert.equal(Y.decodeUpdate(round.batch.updates[0]!).structs.length, 2, 'it holds the two edits and nothing written before');
    const doc = new Y.Doc();
    for (const { batch } of batches) for (const update of batch.updates) Y.applyUpdate(doc, update);
    assert.deepEqual(doc.getMap('m').toJSON(), { first: 1, a: 1, b: 1 });
    // B's sync step 2 on connecting may have come in the first edit's round: it brought nothing.
    assert.deepEqual(batches.filter((c) => c !== round).map((c) => c.batch.editors.size), [1], 'the first edit alone, its sender its only editor');
    await waitFor(() => b.doc.getMap('m').get('a') === 1 && a.doc.getMap('m').get('b') === 1, { doc: a.doc }, 'each gets the other’s edit');
  } finally {
    controlled.appendGate = null;
    open();
    a.destroy();
    b.destroy();
  }
});

test('Room.edit is stored, then relayed to every client, and resolves once stored', async () => {
  const watcher = connectClient(server.syncUrl, 'edit');
  await watcher.synced;
  try {
    const room = loadedRoom('edit');
    const before = committed.length;
    let open!: () => void;
    controlled.appendGate = new Promise((resolve) => (open = resolve));
    let resolved = false;
    const editing = room.edit(API_ORIGIN, (doc) => {
      doc.getMap('m').set('restored', true);
      return 'done';
    });
    void editing.then(() => (resolved = true));
    await poll(() => room.unstoredCount > 0, 'the edit waits for the store');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(resolved, false, 'not resolved before it is stored');
    assert.equal(committed.length, before, 'not committed before it is stored');
    controlled.appendGate = null;
    open();
    assert.equal(await editing, 'done');
    const batch = committed.slice(before).find((c) => c.room === 'edit');
    assert.ok(batch && batch.allStored && batch.batch.editors.has(null) && batch.batch.editors.size === 1, 'a server edit, stored when told');
    await waitFor(() => watcher.doc.getMap('m').get('restored') === true, { doc: watcher.doc }, 'the client gets the edit');
  } finally {
    controlled.appendGate = null;
    watcher.destroy();
  }
});

test('Room.edit rejects with a StorageError when the store fails', async () => {
  const watcher = connectClient(server.syncUrl, 'edit-fails');
  await watcher.synced;
  try {
    const room = loadedRoom('edit-fails');
    controlled.failWrites = true;
    await assert.rejects(
      room.edit(API_ORIGIN, (doc) => doc.getMap('m').set('lost', true)),
      (error: unknown) => error instanceof StorageError,
    );
  } finally {
    controlled.failWrites = false;
    watcher.destroy();
  }
});
