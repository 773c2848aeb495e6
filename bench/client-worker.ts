/**
 * A client process of the throughput workload (forked by bench/workload.ts). It holds whole rooms,
 * every client of a room, so "delivered to every other client" and the latency of each delivery
 * are seen on one clock in one place. Each client is a stock y-websocket WebsocketProvider over
 * `ws`.
 *
 * Flow control is a closed loop: a client keeps at most `window` of its updates not yet delivered
 * to all its peers, and sends the next one as soon as the oldest has reached everyone. So the
 * servers are driven as fast as they relay, with bounded queues, and latency means time through
 * the server rather than time waiting in a backlog of the benchmark's own making.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { BENCH_MAP, now, senderOf, StrokeWriter } from './strokes.ts';
import type { FromWorker, ToWorker, WorkerResult, WorkerSetup } from './workload.ts';

interface Client {
  index: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  writer: StrokeWriter;
  /** Updates received from each peer (by the peer's index). */
  received: Map<number, number>;
}

interface RoomState {
  clients: Client[];
  byIndex: Map<number, Client>;
}

function send(message: FromWorker): void {
  process.send!(message);
}

let rooms: RoomState[] = [];
let setup: WorkerSetup | null = null;
let running = false;
let startedAt = 0;
let delivered = 0;
let expected = 0;
let latencies = new Float64Array(0);
const problems: string[] = [];
let finishTimer: NodeJS.Timeout | undefined;

function connect(config: WorkerSetup): void {
  setup = config;
  rooms = config.rooms.map((room) => {
    const state: RoomState = { clients: [], byIndex: new Map() };
    for (const { index, url } of room.clients) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(url, room.name, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      const client: Client = { index, doc, provider, writer: new StrokeWriter(doc, index, config.seed), received: new Map() };
      provider.on('connection-close', (event: CloseEvent | null) => {
        if (running) problems.push(`client ${index} (${room.name}): connection closed ${event?.code ?? ''} ${event?.reason ?? ''}`.trim());
      });
      doc.getMap<number>(BENCH_MAP).observe((event) => onBenchChange(state, client, event));
      state.clients.push(client);
      state.byIndex.set(index, client);
    }
    return state;
  });
  expected = rooms.reduce((sum, room) => sum + room.clients.length * (room.clients.length - 1), 0) * config.updates;
  latencies = new Float64Array(expected);
  const synced = rooms.flatMap((room) =>
    room.clients.map(
      ({ provider }) =>
        new Promise<void>((resolve) => {
          if (provider.synced) resolve();
          else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
        }),
    ),
  );
  void Promise.all(synced).then(() => send({ type: 'ready' }));
}

function onBenchChange(room: RoomState, receiver: Client, event: Y.YMapEvent<number>): void {
  if (!running) return;
  const at = now();
  const map = event.target;
  for (const key of event.keysChanged) {
    const sender = senderOf(key);
    if (sender === receiver.index) continue;
    const sentAt = map.get(key);
    if (typeof sentAt !== 'number') continue;
    if (delivered < latencies.length) latencies[delivered] = at - sentAt;
    delivered += 1;
    receiver.received.set(sender, (receiver.received.get(sender) ?? 0) + 1);
    const from = room.byIndex.get(sender);
    if (from) pump(room, from);
  }
  if (delivered >= expected) finish();
}

/** Updates of `client` that every peer has received. */
function deliveredToAll(room: RoomState, client: Client): number {
  let min = Infinity;
  for (const peer of room.clients) if (peer !== client) min = Math.min(min, peer.received.get(client.index) ?? 0);
  return min === Infinity ? client.writer.written : min;
}

/** Sends as many of `client`'s updates as its window allows. */
function pump(room: RoomState, client: Client): void {
  const { updates, window } = setup!;
  while (running && client.writer.written < updates && client.writer.written - deliveredToAll(room, client) < window) {
    client.writer.write();
  }
}

function go(): void {
  running = true;
  startedAt = now();
  finishTimer = setTimeout(() => {
    problems.push(`timed out after ${setup!.timeoutMs} ms with ${delivered} of ${expected} deliveries`);
    finish();
  }, setup!.timeoutMs);
  for (const room of rooms) for (const client of room.clients) pump(room, client);
  if (expected === 0) finish();
}

function finish(): void {
  if (!running) return;
  running = false;
  clearTimeout(finishTimer);
  const result: WorkerResult = {
    startedAt,
    endedAt: now(),
    sent: rooms.reduce((sum, room) => sum + room.clients.reduce((s, c) => s + c.writer.written, 0), 0),
    delivered,
    expected,
    latencies: latencies.subarray(0, Math.min(delivered, latencies.length)),
    problems,
  };
  send({ type: 'done', result });
}

function close(): void {
  for (const room of rooms) {
    for (const { provider, doc } of room.clients) {
      provider.destroy();
      doc.destroy();
    }
  }
  rooms = [];
  // Let the close frames go out before leaving.
  setTimeout(() => process.exit(0), 100);
}

process.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'setup') connect(message.setup);
    else if (message.type === 'go') go();
    else if (message.type === 'close') close();
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
