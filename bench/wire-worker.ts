/**
 * A client process of the server-bound benchmark (forked by bench/wire-workload.ts). Its clients
 * speak the y-websocket protocol over plain `ws` sockets and keep no Y.Doc, so each costs a
 * fraction of what a stock provider does and the server, not the clients, is what a run
 * measures:
 *
 *   - the handshake: sync step 1 with an empty state vector, and an empty step 2 in answer to the
 *     server's step 1; a client is ready once the server's step 2 has come;
 *   - sending: pre-encoded stroke updates (bench/wire-messages.ts), stamped as they go out, and
 *     cursor moves (awareness, own client id, increasing clock);
 *   - receiving: a sync update frame is scanned for markers (however many updates it holds) and
 *     an awareness frame's entries are walked; each delivered update and cursor state yields one
 *     latency, counted into a histogram. Optionally an awareness frame is sent back as it came,
 *     as stock providers do.
 *
 * Two schedules. Closed loop: every client sends its chain keeping at most `window` updates not
 * yet delivered to all its peers (the process holds whole rooms, so it sees every delivery).
 * Paced: from a common start time, every client moves its cursor `cursorHz` times a second and
 * the drawing clients send `strokeHz` updates a second, for a warm-up and then the measured
 * window; afterwards each client waits until it has every measured update (the parent tells it
 * how many were sent) or the grace period ends.
 */
import WebSocket from 'ws';
import { createHistogram, record } from './histogram.ts';
import {
  encodeCursorMessage,
  monoNow,
  scanCursors,
  scanMarkers,
  stamp,
  SYNC_STEP1_EMPTY,
  SYNC_STEP2_EMPTY,
} from './wire-messages.ts';
import type { WireFromWorker, WireResult, WireSetup, WireToWorker } from './wire-workload.ts';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../shared/protocol.ts';

interface Chain {
  messages: Buffer[];
  timeOffsets: number[];
}

interface Client {
  index: number;
  clientId: number;
  room: string;
  socket: WebSocket;
  synced: boolean;
  chain: Chain | null;
  /** Updates of the chain sent so far. */
  sent: number;
  /** Closed loop: peers still to receive each sent update; updates every peer has. */
  remaining: Uint16Array | null;
  deliveredToAll: number;
  peers: number;
  /** Paced: measured updates this client has received (from others). */
  receivedMeasured: number;
  /** Paced: measured updates it should receive (set once the senders have reported). */
  expected: number;
  cursorClock: number;
  nextCursorAt: number;
  nextStrokeAt: number;
  cursorX: number;
  cursorY: number;
}

/** Paced: how long no measured cursor state must have come before a drained run ends. */
const CURSOR_QUIET_MS = 300;

function createWireWorker(setup: WireSetup, send: (message: WireFromWorker) => void): { go(startAt: number): void; expect(bySender: ReadonlyMap<number, number>, total: number): void; close(): void } {
  const updateLatency = createHistogram();
  const cursorLatency = createHistogram();
  const problems: string[] = [];
  const byIndex = new Map<number, Client>();
  const byRoom = new Map<string, Client[]>();
  const schedule = setup.schedule;
  let running = false;
  let finished = false;
  let startedAt = 0;
  let measureFrom = 0;
  let measureTo = Number.POSITIVE_INFINITY;
  let updatesSent = 0;
  let measuredUpdatesSent = 0;
  let updatesDelivered = 0;
  let updatesExpected = 0;
  let cursorsSent = 0;
  let cursorsDelivered = 0;
  let cursorsSkipped = 0;
  let maxSendLagMs = 0;
  /** When the last measured cursor state arrived. */
  let lastCursorAt = 0;
  /** When the frame being read arrived. */
  let receivedAt = 0;
  let drained = true;
  let pendingClients = 0;
  let loopTimer: NodeJS.Timeout | undefined;
  let quietTimer: NodeJS.Timeout | undefined;
  let expectedKnown = false;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const measuredSentBySender = new Map<number, number>();

  for (const spec of setup.clients) {
    const raw = setup.chains[spec.index];
    const chain: Chain | null = raw
      ? {
          // A copy this process owns, its messages views into it (stamped in place).
          messages: raw.offsets.slice(0, -1).map((start, i) => Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset + start, raw.offsets[i + 1]! - start)),
          timeOffsets: raw.timeOffsets,
        }
      : null;
    const socket = new WebSocket(`${spec.url}/${spec.room}`, { perMessageDeflate: false });
    const client: Client = {
      index: spec.index,
      clientId: spec.clientId,
      room: spec.room,
      socket,
      synced: false,
      chain,
      sent: 0,
      remaining: null,
      deliveredToAll: 0,
      peers: 0,
      receivedMeasured: 0,
      expected: 0,
      cursorClock: 0,
      nextCursorAt: 0,
      nextStrokeAt: 0,
      cursorX: (spec.index * 37) % 1400,
      cursorY: (spec.index * 53) % 900,
    };
    byIndex.set(spec.index, client);
    const members = byRoom.get(spec.room);
    if (members) members.push(client);
    else byRoom.set(spec.room, [client]);
    pendingClients += 1;
    const onMarker = (sender: number, seq: number, sentAt: number): void => receivedUpdate(client, sender, seq, sentAt);
    const onCursor = (clientId: number, _clock: number, sentAt: number): void => receivedCursor(client, clientId, sentAt);
    socket.on('open', () => socket.send(SYNC_STEP1_EMPTY));
    socket.on('message', (data: Buffer) => {
      // One reading of the clock per frame: a batched frame holds many entries.
      receivedAt = monoNow();
      const type = data[0];
      if (type === MESSAGE_TYPE.sync) {
        const subType = data[1];
        if (subType === SYNC_MESSAGE_TYPE.update) scanMarkers(data, onMarker);
        else if (subType === SYNC_MESSAGE_TYPE.step1) socket.send(SYNC_STEP2_EMPTY);
        else if (subType === SYNC_MESSAGE_TYPE.step2 && !client.synced) {
          client.synced = true;
          pendingClients -= 1;
          if (pendingClients === 0) send({ type: 'ready' });
        }
      } else if (type === MESSAGE_TYPE.awareness) {
        if (!scanCursors(data, onCursor) && problems.length < 20) problems.push(`client ${client.index}: an awareness frame did not decode`);
        else if (setup.echoAwareness && running) socket.send(data);
      }
    });
    socket.on('close', (code, reason) => {
      if (running && problems.length < 20) problems.push(`client ${client.index} (${client.room}): connection closed ${code} ${reason.toString()}`.trim());
    });
    socket.on('error', (error) => {
      if (problems.length < 20) problems.push(`client ${client.index}: ${error.message}`);
    });
  }
  for (const members of byRoom.values()) for (const client of members) client.peers = members.length - 1;

  function receivedUpdate(receiver: Client, sender: number, seq: number, sentAt: number): void {
    if (sender === receiver.index || !running) return;
    const at = receivedAt;
    if (schedule.kind === 'closed') {
      record(updateLatency, at - sentAt);
      updatesDelivered += 1;
      const from = byIndex.get(sender);
      const remaining = from?.remaining;
      if (remaining && seq < remaining.length && remaining[seq]! > 0) {
        remaining[seq]! -= 1;
        if (remaining[seq] === 0) {
          from!.deliveredToAll += 1;
          pump(from!);
        }
      }
      if (updatesDelivered >= updatesExpected) finish();
      return;
    }
    if (sentAt < measureFrom || sentAt >= measureTo) return;
    record(updateLatency, at - sentAt);
    updatesDelivered += 1;
    receiver.receivedMeasured += 1;
    if (receiver.receivedMeasured === receiver.expected) checkComplete();
  }

  function receivedCursor(receiver: Client, clientId: number, sentAt: number): void {
    if (clientId === receiver.clientId || !running || !(sentAt >= measureFrom && sentAt < measureTo)) return;
    lastCursorAt = receivedAt;
    record(cursorLatency, receivedAt - sentAt);
    cursorsDelivered += 1;
  }

  /** Sends the next update of `client`'s chain; false when the chain is used up. */
  function sendUpdate(client: Client, now: number): boolean {
    const chain = client.chain;
    if (!chain || client.sent >= chain.messages.length) return false;
    const seq = client.sent++;
    const sentAt = stamp(chain.messages[seq]!, chain.timeOffsets[seq]!, now);
    client.socket.send(chain.messages[seq]!);
    updatesSent += 1;
    if (sentAt >= measureFrom && sentAt < measureTo) {
      measuredUpdatesSent += 1;
      measuredSentBySender.set(client.index, (measuredSentBySender.get(client.index) ?? 0) + 1);
    }
    return true;
  }

  /** Closed loop: sends as many of `client`'s updates as its window allows. */
  function pump(client: Client): void {
    if (schedule.kind !== 'closed' || !running || client.remaining === null) return;
    while (client.sent < schedule.updates && client.sent - client.deliveredToAll < schedule.window) {
      client.remaining[client.sent] = client.peers;
      if (!sendUpdate(client, monoNow())) break;
    }
  }

  /** Paced: one pass over every client, sending what is due. */
  function tick(): void {
    if (!running || schedule.kind !== 'paced') return;
    const now = monoNow();
    if (now >= measureTo) {
      stopSending();
      return;
    }
    const cursorPeriod = 1000 / schedule.cursorHz;
    const strokePeriod = schedule.strokeHz > 0 ? 1000 / schedule.strokeHz : Number.POSITIVE_INFINITY;
    for (const client of byIndex.values()) {
      if (now >= client.nextCursorAt) {
        const lag = now - client.nextCursorAt;
        if (now >= measureFrom && lag > maxSendLagMs) maxSendLagMs = lag;
        client.cursorX += ((client.index * 7 + client.cursorClock * 13) % 21) - 10;
        client.cursorY += ((client.index * 11 + client.cursorClock * 5) % 17) - 8;
        client.cursorClock += 1;
        client.socket.send(encodeCursorMessage(client.clientId, client.cursorClock, now, client.cursorX, client.cursorY));
        cursorsSent += now >= measureFrom ? 1 : 0;
        client.nextCursorAt += cursorPeriod;
        // A cursor is lossy: a move that is late by a whole period is not sent twice.
        if (client.nextCursorAt <= now) {
          const missed = Math.floor((now - client.nextCursorAt) / cursorPeriod) + 1;
          if (now >= measureFrom) cursorsSkipped += missed;
          client.nextCursorAt += missed * cursorPeriod;
        }
      }
      // Updates are not: every one that is due goes, in order.
      while (client.chain && now >= client.nextStrokeAt) {
        const lag = now - client.nextStrokeAt;
        if (now >= measureFrom && lag > maxSendLagMs) maxSendLagMs = lag;
        if (!sendUpdate(client, now)) {
          if (problems.length < 20) problems.push(`client ${client.index}: its ${client.chain.messages.length} pre-encoded updates ran out`);
          client.chain = null;
          break;
        }
        client.nextStrokeAt += strokePeriod;
      }
    }
    loopTimer = setTimeout(tick, 1);
  }

  function stopSending(): void {
    if (schedule.kind !== 'paced') return;
    clearTimeout(loopTimer);
    lastCursorAt = monoNow();
    send({ type: 'sent', bySender: [...measuredSentBySender], cursorsSent });
    deadlineTimer = setTimeout(() => {
      drained = false;
      const short = [...byIndex.values()].filter((client) => client.receivedMeasured < client.expected).length;
      if (short > 0 && problems.length < 20) problems.push(`${short} client(s) still missed updates ${schedule.graceMs} ms after the last send`);
      finish();
    }, schedule.graceMs);
  }

  /**
   * Paced: done once every client has every measured update and no measured cursor has come for
   * CURSOR_QUIET_MS (cursors are lossy, so their count says nothing: the backlog of a server
   * that fell behind is waited for until it stops coming).
   */
  function checkComplete(): void {
    if (finished || expectedKnown === false) return;
    for (const client of byIndex.values()) if (client.receivedMeasured < client.expected) return;
    const quietFor = monoNow() - lastCursorAt;
    if (quietFor >= CURSOR_QUIET_MS) finish();
    else {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(checkComplete, CURSOR_QUIET_MS - quietFor + 1);
    }
  }

  function finish(): void {
    if (finished) return;
    finished = true;
    running = false;
    clearTimeout(loopTimer);
    clearTimeout(deadlineTimer);
    clearTimeout(quietTimer);
    const result: WireResult = {
      startedAt,
      endedAt: monoNow(),
      updatesSent,
      measuredUpdatesSent,
      updatesDelivered,
      updatesExpected,
      cursorsSent,
      cursorsDelivered,
      cursorsSkipped,
      maxSendLagMs,
      drained,
      updateLatency,
      cursorLatency,
      problems,
    };
    send({ type: 'done', result });
  }

  return {
    go(startAt) {
      running = true;
      startedAt = startAt;
      if (schedule.kind === 'closed') {
        // A closed loop starts as soon as it is told to (the common start matters to paced runs).
        startedAt = monoNow();
        measureFrom = Number.NEGATIVE_INFINITY;
        for (const client of byIndex.values()) {
          client.remaining = new Uint16Array(schedule.updates);
          updatesExpected += schedule.updates * client.peers;
        }
        deadlineTimer = setTimeout(() => {
          if (problems.length < 20) problems.push(`timed out after ${schedule.timeoutMs} ms with ${updatesDelivered} of ${updatesExpected} deliveries`);
          finish();
        }, schedule.timeoutMs);
        for (const client of byIndex.values()) pump(client);
        if (updatesExpected === 0) finish();
        return;
      }
      measureFrom = startAt + schedule.warmupMs;
      measureTo = measureFrom + schedule.durationMs;
      const cursorPeriod = 1000 / schedule.cursorHz;
      const strokePeriod = 1000 / (schedule.strokeHz || 1);
      // Spread the sends over each period (golden-ratio phases are even for any run of
      // indices, the drawing clients' included), so no tick sends everything at once.
      for (const client of byIndex.values()) {
        const phase = (client.index * 0.6180339887) % 1;
        client.nextCursorAt = startAt + phase * cursorPeriod;
        client.nextStrokeAt = client.chain ? startAt + phase * strokePeriod : Number.POSITIVE_INFINITY;
      }
      loopTimer = setTimeout(tick, Math.max(0, startAt - monoNow()));
    },
    expect(bySender, total) {
      for (const client of byIndex.values()) client.expected = total - (bySender.get(client.index) ?? 0);
      updatesExpected = [...byIndex.values()].reduce((sum, client) => sum + client.expected, 0);
      expectedKnown = true;
      checkComplete();
    },
    close() {
      running = false;
      clearTimeout(loopTimer);
      clearTimeout(deadlineTimer);
      clearTimeout(quietTimer);
      for (const client of byIndex.values()) client.socket.close();
    },
  };
}

const report = (message: WireFromWorker): void => {
  process.send!(message);
};
let worker: ReturnType<typeof createWireWorker> | null = null;
process.on('message', (message: WireToWorker) => {
  try {
    if (message.type === 'setup') worker = createWireWorker(message.setup, report);
    else if (message.type === 'go') worker?.go(message.startAt);
    else if (message.type === 'expect') worker?.expect(new Map(message.bySender), message.total);
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
