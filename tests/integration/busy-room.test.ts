/**
 * A busy room: many clients moving their cursors at once. Each peer gets at most one presence
 * frame per tick, holding everyone who moved, and everyone ends with everyone's last state; stock
 * providers in that room keep syncing; echoed (stale) presence goes nowhere and is not even
 * parsed; a slow peer is sent the present once it drains, not a backlog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { DEFAULT_SERVER_OPTIONS } from '../../server/server.ts';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import {
  awarenessEntries,
  awarenessMessage,
  decodeMessage,
  encodeAwareness,
  rawAwarenessMessage,
  syncStep1,
  syncUpdate,
  WireClient,
  type WireMessage,
} from '../helpers/wire.ts';

const TICK_MS = DEFAULT_SERVER_OPTIONS.presenceTickMs;
const isAwareness = (m: WireMessage): boolean => m.type === MESSAGE_TYPE.awareness;
const isStep2 = (m: WireMessage): boolean => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2;
const isUpdate = (m: WireMessage): boolean => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.update;

/** One shape edit of a fresh doc. */
function edit(key: string, value: number): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | null = null;
  doc.on('update', (u: Uint8Array) => (update = u));
  doc.transact(() => doc.getMap('shapes').set(key, value), LOCAL_ORIGIN);
  return update!;
}

/**
 * A protocol-level peer: sends its cursor as raw awareness messages, keeps what it receives in a
 * y-protocols Awareness as a provider does and, with `echo`, sends back every change it applies,
 * as the stock y-websocket provider does. Records when each presence frame arrived.
 */
class CursorPeer {
  readonly wire: WireClient;
  readonly seen = new awarenessProtocol.Awareness(new Y.Doc());
  readonly arrivals: number[] = [];
  clock = 0;

  constructor(
    url: string,
    readonly clientId: number,
    echo: boolean,
  ) {
    this.wire = new WireClient(url);
    this.seen.setLocalState(null);
    if (echo) {
      this.seen.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin !== this) return;
        this.wire.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.seen, added.concat(updated, removed))));
      });
    }
    this.wire.ws.on('message', (data: Buffer) => {
      const message = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!isAwareness(message)) return;
      this.arrivals.push(performance.now());
      awarenessProtocol.applyAwarenessUpdate(this.seen, message.payload!, this);
    });
  }

  async join(): Promise<void> {
    await this.wire.opened;
    this.wire.send(syncStep1(new Y.Doc()));
    await this.wire.next(isStep2, 'synced');
  }

  move(): void {
    this.clock += 1;
    this.wire.send(awarenessMessage(this.clientId, this.clock, { cursor: { x: this.clock, y: this.clientId }, n: this.clock }));
  }

  close(): void {
    this.seen.destroy();
    this.wire.close();
  }
}

/** The most frames of `arrivals` that fall within any `windowMs`. */
function mostInWindow(arrivals: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i]! - arrivals[j]! > windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

test('a busy room: each peer gets at most one presence frame per tick, and everyone ends with everyone\'s last state; stock providers keep syncing', async () => {
  const server = await startTestServer();
  const room = 'busy';
  const url = `${server.syncUrl}/${room}`;
  // Half of them echo, as stock providers do.
  const peers = Array.from({ length: 30 }, (_, i) => new CursorPeer(url, 10_000 + i, i % 2 === 0));
  const stockA = connectClient(server.syncUrl, room);
  const stockB = connectClient(server.syncUrl, room);
  try {
    await Promise.all(peers.map((peer) => peer.join()));
    await Promise.all([stockA.synced, stockB.synced]);
    stockA.provider.awareness.setLocalStateField('user', { name: 'A', color: '#112233' });

    // Every peer moves every 20 ms for 1.5 s: 1,500 presence messages a second into the room.
    // Relayed one by one, that would be 1,450 frames a second for each peer.
    const moveMs = 20;
    const started = performance.now();
    let round = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (const peer of peers) peer.move();
        round += 1;
        // Edits in the middle of it, both ways between stock providers and protocol-level peers.
        if (round === 10) stockA.doc.transact(() => stockA.doc.getMap('shapes').set('fromStock', 1), LOCAL_ORIGIN);
        if (round === 20) peers[3]!.wire.send(syncUpdate(edit('fromWire', 2)));
        if (performance.now() - started >= 1_500) {
          clearInterval(timer);
          resolve();
        }
      }, moveMs);
    });
    const ended = performance.now();

    // Ten ticks hold at most ten flushes; two more allow for a timer firing a millisecond early and
    // two frames read in one turn of the event loop.
    const windowMs = 10 * TICK_MS;
    for (const peer of peers) {
      const during = peer.arrivals.filter((t) => t >= started + windowMs && t <= ended);
      const most = mostInWindow(during, windowMs);
      assert.ok(most <= 12, `peer ${peer.clientId} got ${most} presence frames within ${windowMs} ms`);
      assert.ok(during.length >= 10, `peer ${peer.clientId} got presence all along (${during.length} frames)`);
    }

    for (const peer of peers) {
      await poll(
        () => peers.every((other) => other === peer || (other.clock > 0 && peer.seen.getStates().get(other.clientId)?.n === other.clock)),
        `peer ${peer.clientId} ends with everyone's last state`,
      );
      assert.equal(peer.seen.getStates().get(stockA.doc.clientID)?.user?.name, 'A', 'and with the stock provider\'s');
    }
    await waitFor(
      () => peers.every((peer) => stockB.provider.awareness.getStates().get(peer.clientId)?.n === peer.clock),
      { awareness: stockB.provider.awareness },
      'a stock provider ends with every peer\'s last state',
    );
    for (const stock of [stockA, stockB]) {
      await waitFor(
        () => stock.doc.getMap('shapes').get('fromStock') === 1 && stock.doc.getMap('shapes').get('fromWire') === 2,
        { doc: stock.doc },
        'stock providers have both edits',
      );
    }
    assert.equal(stockA.provider.wsconnected && stockB.provider.wsconnected, true, 'no stock provider was closed on the way');
    for (const peer of peers) assert.equal(peer.wire.ws.readyState, peer.wire.ws.OPEN, `peer ${peer.clientId} was not closed`);
  } finally {
    for (const peer of peers) peer.close();
    stockA.destroy();
    stockB.destroy();
    await server.close();
  }
});

/** Joins a protocol-level client to `room`. */
async function joined(server: TestServer, room: string): Promise<WireClient> {
  const client = new WireClient(`${server.syncUrl}/${room}`);
  await client.opened;
  client.send(syncStep1(new Y.Doc()));
  await client.next(isStep2, 'synced');
  return client;
}

/** The entries of the next presence frame `client` gets. */
async function nextPresence(client: WireClient, what: string): Promise<Array<{ clientId: number; clock: number; state: unknown }>> {
  const { message } = await client.next(isAwareness, what);
  return awarenessEntries(message.payload!).map(({ clientId, clock, json }) => ({ clientId, clock, state: JSON.parse(json) }));
}

test('echoed and stale presence is not sent on, and not even parsed; a removal at the same clock is', async () => {
  const server = await startTestServer();
  const [a, b, c] = await Promise.all([joined(server, 'stale'), joined(server, 'stale'), joined(server, 'stale')]);
  try {
    a.send(awarenessMessage(7, 5, { x: 1 }));
    assert.deepEqual(await nextPresence(c, 'A\'s state'), [{ clientId: 7, clock: 5, state: { x: 1 } }]);
    await b.next(isAwareness, 'A\'s state at B');

    // B sends it back as a stock provider would, then older and same-clock entries, one of them
    // not even JSON (a server that parsed stale entries would close B with 4003), then a marker
    // on the same socket. C's next frame must hold the marker alone.
    b.send(awarenessMessage(7, 5, { x: 1 }));
    b.send(rawAwarenessMessage([{ clientId: 7, clock: 4, json: 'not json {' }]));
    b.send(rawAwarenessMessage([{ clientId: 7, clock: 5, json: '{"x":2}' }]));
    b.send(awarenessMessage(8, 1, { marker: true }));
    assert.deepEqual(await nextPresence(c, 'the marker'), [{ clientId: 8, clock: 1, state: { marker: true } }]);

    // A null at the clock held is a removal, and goes out; its echo and the old state do not.
    a.send(rawAwarenessMessage([{ clientId: 7, clock: 5, json: 'null' }]));
    assert.deepEqual(await nextPresence(c, 'the removal'), [{ clientId: 7, clock: 5, state: null }]);
    b.send(rawAwarenessMessage([{ clientId: 7, clock: 5, json: 'null' }]));
    b.send(awarenessMessage(7, 5, { x: 1 }));
    b.send(awarenessMessage(8, 2, { marker: true }));
    assert.deepEqual(await nextPresence(c, 'the second marker'), [{ clientId: 8, clock: 2, state: { marker: true } }]);
    assert.equal(b.ws.readyState, b.ws.OPEN, 'B was not closed for what it sent back');

    // A newcomer is told of the marker only: 7 stays gone.
    const d = await joined(server, 'stale');
    d.send(new Uint8Array([MESSAGE_TYPE.queryAwareness]));
    assert.deepEqual((await nextPresence(d, 'the room\'s presence')).map(({ clientId }) => clientId), [8]);
    d.close();
  } finally {
    for (const client of [a, b, c]) client.close();
    await server.close();
  }
});

test('a slow peer gets no presence while its socket is backed up, then the latest state in one message', async () => {
  const server = await startTestServer();
  const room = 'slow';
  const [writer, mover, watcher, slow] = await Promise.all([joined(server, room), joined(server, room), joined(server, room), joined(server, room)]);
  try {
    // The slow peer stops reading; a 6 MiB edit backs its socket up past the 1 MiB mark (the
    // OS buffers a few MiB of it at most).
    slow.ws.pause();
    const big = new Y.Doc();
    big.getText('big').insert(0, 'x'.repeat(6 * 1024 * 1024));
    writer.send(syncUpdate(Y.encodeStateAsUpdate(big)));
    const connections = (): Iterable<{ bufferedAmount: number }> => [...server.server.registry.rooms()].find((r) => r.name === room)?.connections ?? [];
    await poll(() => [...connections()].some((conn) => conn.bufferedAmount > DEFAULT_SERVER_OPTIONS.presenceSlowPeerBytes), 'the slow peer\'s socket is backed up');

    // Twenty moves over several ticks; the watcher sees them go by.
    for (let clock = 1; clock <= 20; clock++) {
      mover.send(awarenessMessage(9, clock, { n: clock }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (;;) {
      const entries = await nextPresence(watcher, 'the mover');
      if (entries.some(({ clientId, clock }) => clientId === 9 && clock === 20)) break;
    }

    slow.ws.resume();
    await slow.next(isUpdate, 'the big edit');
    const seen: number[] = [];
    while (!seen.includes(20)) {
      for (const { clientId, clock } of await nextPresence(slow, 'the mover, once drained')) if (clientId === 9) seen.push(clock);
    }
    assert.deepEqual(seen, [20], 'the latest state only, not the moves in between');
  } finally {
    for (const client of [writer, mover, watcher, slow]) client.close();
    await server.close();
  }
});
