/**
 * Protocol-level clients for the server-bound benchmark sections: forks client processes
 * (bench/wire-worker.ts), deals the clients to them, hands each the pre-encoded stroke updates
 * of its drawing clients, and merges what they measured. Chains are generated once per run and
 * cached here: any fresh room accepts a chain from its start.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeChildren } from './proc.ts';
import { createHistogram, mergeInto } from './histogram.ts';
import { encodeStrokeChain, monoNow, type StrokeChain } from './wire-messages.ts';

const WORKER = fileURLToPath(new URL('./wire-worker.ts', import.meta.url));

/** Yjs (and awareness) client id of the client with index i: CLIENT_ID_BASE + i. */
const CLIENT_ID_BASE = 1_000;

/** One client as a client process is told about it. */
export interface WireClientSpec {
  index: number;
  clientId: number;
  /** The server's base URL; the client connects to `<url>/<room>`. */
  url: string;
  room: string;
}

/** A chain as it crosses the IPC channel: one buffer, message i at offsets[i]…offsets[i + 1]. */
export interface PackedChain {
  bytes: Uint8Array;
  offsets: number[];
  timeOffsets: number[];
}

/** Closed loop: every client sends `updates`, at most `window` not yet delivered to all peers. */
export interface ClosedSchedule {
  kind: 'closed';
  updates: number;
  window: number;
  timeoutMs: number;
}

/** Paced: cursors and strokes at fixed rates, a warm-up, then the measured window. */
export interface PacedSchedule {
  kind: 'paced';
  cursorHz: number;
  strokeHz: number;
  warmupMs: number;
  durationMs: number;
  /** After the last send, how long to wait for the last deliveries. */
  graceMs: number;
}

export interface WireSetup {
  clients: WireClientSpec[];
  /** Stroke chains of this process's drawing clients, by client index. */
  chains: Record<number, PackedChain>;
  schedule: ClosedSchedule | PacedSchedule;
  /**
   * Send every awareness message received back to the server, as a stock y-websocket provider
   * does (its awareness 'update' handler broadcasts remote changes too).
   */
  echoAwareness: boolean;
}

/** What one client process measured. Times are on the monotonic clock (wire-messages.ts). */
export interface WireResult {
  startedAt: number;
  endedAt: number;
  updatesSent: number;
  /** Updates sent within the measured window (paced; all of them in a closed loop). */
  measuredUpdatesSent: number;
  /** Measured updates delivered to this process's clients. */
  updatesDelivered: number;
  updatesExpected: number;
  /** Cursor moves sent in the measured window. */
  cursorsSent: number;
  cursorsDelivered: number;
  /** Cursor moves not sent because the process was a whole period late. */
  cursorsSkipped: number;
  /** The latest a send went out after it was due, ms: a process that cannot keep up shows here. */
  maxSendLagMs: number;
  /** False if the grace period ended before every update had arrived and cursors had stopped coming. */
  drained: boolean;
  updateLatency: Uint32Array;
  cursorLatency: Uint32Array;
  problems: string[];
}

export type WireToWorker =
  | { type: 'setup'; setup: WireSetup }
  | { type: 'go'; startAt: number }
  | { type: 'expect'; bySender: Array<[number, number]>; total: number }
  | { type: 'close' };

export type WireFromWorker =
  | { type: 'ready' }
  | { type: 'sent'; bySender: Array<[number, number]>; cursorsSent: number }
  | { type: 'done'; result: WireResult }
  | { type: 'error'; message: string };

/** The merged measurements of every client process. */
export interface WireRunResult {
  /** From the common start to the last process finishing, ms. */
  wallMs: number;
  updatesSent: number;
  measuredUpdatesSent: number;
  updatesDelivered: number;
  updatesExpected: number;
  cursorsSent: number;
  cursorsDelivered: number;
  cursorsSkipped: number;
  maxSendLagMs: number;
  drained: boolean;
  updateLatency: Uint32Array;
  cursorLatency: Uint32Array;
  problems: string[];
}

export interface WireFleet {
  /** The client processes, for CPU readings. */
  readonly pids: readonly number[];
  /**
   * Runs the schedule once; resolves when every process has finished. `onStart` learns the
   * common start time (monotonic ms) before any process begins.
   */
  run(onStart?: (startAt: number) => void): Promise<WireRunResult>;
  close(): Promise<void>;
}

/** Stroke chains by client, generated on first use. */
export class ChainCache {
  private readonly chains = new Map<string, PackedChain>();
  /** Bytes and count of everything generated, for the report. */
  bytes = 0;
  count = 0;

  constructor(
    private readonly seed: number,
    /** Points per stroke (inclusive range); undefined: bench/strokes.ts's default. */
    private readonly points?: { min: number; max: number },
  ) {}

  /** Client `index`'s first `count` updates (a longer chain made earlier serves too). */
  get(index: number, count: number): PackedChain {
    const key = String(index);
    const held = this.chains.get(key);
    if (held && held.offsets.length - 1 >= count) return held;
    const chain = encodeStrokeChain({ sender: index, clientId: clientIdOf(index), count, seed: this.seed, ...(this.points && { points: this.points }) });
    const packed = pack(chain);
    this.chains.set(key, packed);
    this.bytes += chain.bytes - (held ? held.bytes.length : 0);
    this.count += count - (held ? held.offsets.length - 1 : 0);
    return packed;
  }

  /** Mean bytes of one update message. */
  get meanBytes(): number {
    return this.count === 0 ? Number.NaN : this.bytes / this.count;
  }
}

function pack(chain: StrokeChain): PackedChain {
  const offsets = [0];
  for (const message of chain.messages) offsets.push(offsets[offsets.length - 1]! + message.length);
  return { bytes: Buffer.concat(chain.messages), offsets, timeOffsets: chain.timeOffsets };
}

/** The Yjs and awareness client id of client `index`. */
export function clientIdOf(index: number): number {
  return CLIENT_ID_BASE + index;
}

function nextMessage<T extends WireFromWorker['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<WireFromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`client process did not report '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: WireFromWorker): void => {
      if (message.type === 'error') done(new Error(`client process failed: ${message.message}`));
      else if (message.type === type) done(null, message as Extract<WireFromWorker, { type: T }>);
    };
    const onExit = (code: number | null): void => done(new Error(`client process exited (${code}) before '${type}'`));
    function done(error: Error | null, message?: Extract<WireFromWorker, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export interface WireFleetOptions {
  /** Every client, dealt to the processes: whole rooms for a closed loop, one by one when paced. */
  clients: readonly WireClientSpec[];
  /** The drawing clients' chains, by index (the others send no updates). */
  chains: ReadonlyMap<number, PackedChain>;
  schedule: ClosedSchedule | PacedSchedule;
  workers: number;
  /** See WireSetup.echoAwareness (default false). */
  echoAwareness?: boolean;
}

/** How long connecting and syncing every client may take. */
const READY_TIMEOUT_MS = 60_000;

/** Forks the client processes, connects every client and waits until all are synced. */
export async function connectWireClients(options: WireFleetOptions): Promise<WireFleet> {
  const setups: WireSetup[] = Array.from({ length: Math.max(1, options.workers) }, () => ({
    clients: [],
    chains: {},
    schedule: options.schedule,
    echoAwareness: options.echoAwareness ?? false,
  }));
  if (options.schedule.kind === 'closed') {
    // The closed loop needs every delivery of a room in one process.
    const rooms = [...new Set(options.clients.map((client) => client.room))];
    for (const client of options.clients) setups[rooms.indexOf(client.room) % setups.length]!.clients.push(client);
  } else {
    options.clients.forEach((client, i) => setups[i % setups.length]!.clients.push(client));
  }
  const used = setups.filter((setup) => setup.clients.length > 0);
  for (const setup of used) {
    for (const client of setup.clients) {
      const chain = options.chains.get(client.index);
      if (chain) setup.chains[client.index] = chain;
    }
  }
  const children = used.map(() =>
    fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    await Promise.all(
      children.map((child, i) => {
        const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
        child.send({ type: 'setup', setup: used[i]! } satisfies WireToWorker);
        return ready;
      }),
    );
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
  const schedule = options.schedule;
  return {
    pids: children.map((child) => child.pid!),
    async run(onStart) {
      const timeout = schedule.kind === 'closed' ? schedule.timeoutMs + 30_000 : schedule.warmupMs + schedule.durationMs + schedule.graceMs + 30_000;
      const done = children.map((child) => nextMessage(child, 'done', timeout));
      const sent = schedule.kind === 'paced' ? children.map((child) => nextMessage(child, 'sent', timeout)) : [];
      // A common start a little ahead, so every process begins on the same beat.
      const startAt = monoNow() + 100;
      onStart?.(startAt);
      for (const child of children) child.send({ type: 'go', startAt } satisfies WireToWorker);
      if (schedule.kind === 'paced') {
        const reports = await Promise.all(sent);
        const bySender = reports.flatMap((report) => report.bySender);
        const total = bySender.reduce((sum, [, count]) => sum + count, 0);
        for (const child of children) child.send({ type: 'expect', bySender, total } satisfies WireToWorker);
      }
      const results = (await Promise.all(done)).map((message) => message.result);
      const updateLatency = createHistogram();
      const cursorLatency = createHistogram();
      for (const result of results) {
        mergeInto(updateLatency, result.updateLatency);
        mergeInto(cursorLatency, result.cursorLatency);
      }
      const sum = (pick: (result: WireResult) => number): number => results.reduce((total, result) => total + pick(result), 0);
      return {
        wallMs: Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt)),
        updatesSent: sum((r) => r.updatesSent),
        measuredUpdatesSent: sum((r) => r.measuredUpdatesSent),
        updatesDelivered: sum((r) => r.updatesDelivered),
        updatesExpected: sum((r) => r.updatesExpected),
        cursorsSent: sum((r) => r.cursorsSent),
        cursorsDelivered: sum((r) => r.cursorsDelivered),
        cursorsSkipped: sum((r) => r.cursorsSkipped),
        maxSendLagMs: Math.max(...results.map((r) => r.maxSendLagMs)),
        drained: results.every((r) => r.drained),
        updateLatency,
        cursorLatency,
        problems: results.flatMap((r) => r.problems),
      };
    },
    async close() {
      await closeChildren(children, { type: 'close' } satisfies WireToWorker);
    },
  };
}
