/**
 * A client process of the throughput workload (forked by bench/workload.ts). It holds whole rooms,
 * every client of a room, so "delivered to every other client" and the latency of each delivery
 * are seen on one clock in one place. Each client is a stock y-websocket WebsocketProvider over
 * `ws`.
 *
 * Two ways to send. Closed loop (rate 0): a client keeps at most `window` of its updates not yet
 * delivered to all its peers, and sends the next one as soon as the oldest has reached everyone,
 * so the servers are driven as fast as they relay, with bounded queues. Paced: each client sends
 * `rate` updates a second on its own clock, whatever the server does, so two servers are compared
 * at the same offered load.
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

/** The rooms of one client process and the run over them; `send` reports to the parent. */
function createClientWorker(config: WorkerSetup, send: (message: FromWorker) => void): { go(): void; close(): void } {
  let running = false;
  let startedAt = 0;
  let delivered = 0;
  const problems: string[] = [];
  let finishTimer: NodeJS.Timeout | undefined;
  /** Each paced client's next send. */
  const timers = new Map<Client, NodeJS.Timeout>();

  const rooms: RoomState[] = config.rooms.map((room) => {
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
  const expected = rooms.reduce((sum, room) => sum + room.clients.length * (room.clients.length - 1), 0) * config.updates;
  const latencies = new Float64Array(expected);

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

  /** Closed loop: sends as many of `client`'s updates as its window allows. */
  function pump(room: RoomState, client: Client): void {
    if (config.rate > 0) return;
    while (running && client.writer.written < config.updates && client.writer.written - deliveredToAll(room, client) < config.window) {
      client.writer.write();
    }
  }

  /** Paced: `client` sends update k at start + offset + k / rate, catching up if a timer ran late. */
  function pace(client: Client, offsetMs: number): void {
    const interval = 1000 / config.rate;
    const tick = (): void => {
      if (!running) return;
      const due = Math.min(config.updates, Math.floor((now() - startedAt - offsetMs) / interval) + 1);
      while (client.writer.written < due) client.writer.write();
      if (client.writer.written < config.updates) timers.set(client, setTimeout(tick, startedAt + offsetMs + client.writer.written * interval - now()));
    };
    timers.set(client, setTimeout(tick, offsetMs));
  }

  function finish(): void {
    if (!running) return;
    running = false;
    clearTimeout(finishTimer);
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
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

  return {
    go() {
      running = true;
      startedAt = now();
      finishTimer = setTimeout(() => {
        problems.push(`timed out after ${config.timeoutMs} ms with ${delivered} of ${expected} deliveries`);
        finish();
      }, config.timeoutMs);
      // Paced clients start spread over one interval, not all at once.
      const count = rooms.reduce((sum, room) => sum + room.clients.length, 0);
      let n = 0;
      for (const room of rooms) {
        for (const client of room.clients) {
          if (config.rate > 0) pace(client, (n++ / count) * (1000 / config.rate));
          else pump(room, client);
        }
      }
      if (expected === 0) finish();
    },
    close() {
      running = false;
      clearTimeout(finishTimer);
      for (const timer of timers.values()) clearTimeout(timer);
      for (const room of rooms) {
        for (const { provider, doc } of room.clients) {
          provider.destroy();
          doc.destroy();
        }
      }
    },
  };
}

// Each provider adds a process 'exit' listener; a process holding dozens of them is expected.
process.setMaxListeners(0);

const report = (message: FromWorker): void => {
  process.send!(message);
};
let worker: ReturnType<typeof createClientWorker> | null = null;
process.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'setup') worker = createClientWorker(message.setup, report);
    else if (message.type === 'go') worker?.go();
    else if (message.type === 'close') {
      worker?.close();
      // Let the close frames go out before leaving.
      setTimeout(() => process.exit(0), 100);
    }
  } catch (error) {
    report({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
