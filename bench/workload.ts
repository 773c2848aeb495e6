/**
 * The throughput workload: R rooms × C clients × U updates, driven by forked client processes
 * (bench/client-worker.ts) so the clients' work is not done on the measuring process's event loop.
 * Rooms are dealt to the processes whole.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeChildren } from './proc.ts';
import type { RunningTarget } from './targets.ts';

const WORKER = fileURLToPath(new URL('./client-worker.ts', import.meta.url));

export interface WorkloadOptions {
  rooms: number;
  clients: number;
  /** Updates each client sends. */
  updates: number;
  /** Closed loop: updates a client may have in flight (not yet delivered to all its peers). */
  window: number;
  /** Paced instead: updates per second each client sends, whatever the server does (0: closed loop). */
  rate: number;
  /** Client processes. */
  workers: number;
  seed: number;
  /** Prefix of the room names, unique per round so no round reuses another's rooms. */
  roomPrefix: string;
  /** A round that has not delivered everything by then ends with what it has. */
  timeoutMs: number;
}

/** What a client process is told to do. */
export interface WorkerSetup {
  rooms: Array<{ name: string; clients: Array<{ index: number; url: string }> }>;
  updates: number;
  window: number;
  rate: number;
  seed: number;
  timeoutMs: number;
}

export interface WorkerResult {
  /** Wall-clock ms (performance.timeOrigin + now()). */
  startedAt: number;
  /** When the last expected delivery arrived (or the timeout). */
  endedAt: number;
  sent: number;
  delivered: number;
  expected: number;
  /** One fan-out latency per delivery, ms. */
  latencies: Float64Array;
  problems: string[];
}

export type ToWorker = { type: 'setup'; setup: WorkerSetup } | { type: 'go' } | { type: 'close' };
export type FromWorker = { type: 'ready' } | { type: 'done'; result: WorkerResult } | { type: 'error'; message: string };

export interface WorkloadResult {
  /** From the first client starting to the last delivery, ms. */
  wallMs: number;
  sent: number;
  delivered: number;
  expected: number;
  latencies: Float64Array;
  problems: string[];
}

/** Connected clients, ready to run the workload once. */
export interface ClientFleet {
  /** The client processes, for CPU readings. */
  readonly pids: readonly number[];
  /** Runs the workload; resolves when every process has finished (or timed out). */
  run(): Promise<WorkloadResult>;
  close(): Promise<void>;
}

function nextMessage(child: ChildProcess, type: FromWorker['type'], timeoutMs: number): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`client process did not report '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: FromWorker): void => {
      if (message.type === 'error') done(new Error(`client process failed: ${message.message}`));
      else if (message.type === type) done(null, message);
    };
    const onExit = (code: number | null): void => done(new Error(`client process exited (${code}) before '${type}'`));
    function done(error: Error | null, message?: FromWorker): void {
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

/** Forks the client processes, connects every client to `target` and waits until all are synced. */
export async function connectClients(target: RunningTarget, options: WorkloadOptions): Promise<ClientFleet> {
  const workers = Math.max(1, Math.min(options.workers, options.rooms));
  const setups: WorkerSetup[] = Array.from({ length: workers }, () => ({
    rooms: [],
    updates: options.updates,
    window: options.window,
    rate: options.rate,
    seed: options.seed,
    timeoutMs: options.timeoutMs,
  }));
  for (let r = 0; r < options.rooms; r++) {
    const clients = Array.from({ length: options.clients }, (_, c) => {
      const index = r * options.clients + c;
      return { index, url: target.syncUrl(index) };
    });
    setups[r % workers]!.rooms.push({ name: `${options.roomPrefix}-${r}`, clients });
  }
  const children = setups.map(() =>
    fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    await Promise.all(
      children.map((child, i) => {
        const ready = nextMessage(child, 'ready', 60_000);
        child.send({ type: 'setup', setup: setups[i]! } satisfies ToWorker);
        return ready;
      }),
    );
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
  return {
    pids: children.map((child) => child.pid!),
    async run() {
      const results = await Promise.all(
        children.map((child) => {
          const done = nextMessage(child, 'done', options.timeoutMs + 30_000);
          child.send({ type: 'go' } satisfies ToWorker);
          return done.then((message) => (message as Extract<FromWorker, { type: 'done' }>).result);
        }),
      );
      const latencies = new Float64Array(results.reduce((sum, r) => sum + r.latencies.length, 0));
      let offset = 0;
      for (const r of results) {
        latencies.set(r.latencies, offset);
        offset += r.latencies.length;
      }
      return {
        wallMs: Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt)),
        sent: results.reduce((sum, r) => sum + r.sent, 0),
        delivered: results.reduce((sum, r) => sum + r.delivered, 0),
        expected: results.reduce((sum, r) => sum + r.expected, 0),
        latencies,
        problems: results.flatMap((r) => r.problems),
      };
    },
    async close() {
      await closeChildren(children, { type: 'close' } satisfies ToWorker);
    },
  };
}
