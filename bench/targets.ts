/**
 * The servers a benchmark runs against. Each target starts as child processes on free loopback
 * ports and tells the clients where to connect; the benchmark reads the processes' CPU and memory
 * from /proc. A new target is one more entry in TARGETS (or REDIS_TARGETS): start its processes,
 * list their pids, and spread clients over them in `syncUrl`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { startChildServer } from '../tests/helpers/child-server.ts';

/** A started target. */
export interface RunningTarget {
  readonly name: string;
  /** Every server process, for CPU and memory readings. */
  readonly pids: readonly number[];
  /**
   * The base URL the `clientIndex`-th client hands to a WebsocketProvider (the provider appends
   * `/<room>`). A target with several processes spreads clients over them here.
   */
  syncUrl(clientIndex: number): string;
  /** Each process's base URL, in `pids` order (a benchmark may place clients itself). */
  readonly urls: readonly string[];
  /** Stops every process (gracefully if it can) and resolves once they exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The store's folder; reusing one reopens what an earlier start wrote. */
  dataDir: string;
  /** Write a V8 CPU profile of each server process into this folder when it exits. */
  profileDir?: string;
  /** The Redis a scale-out target keeps its rooms in (required by REDIS_TARGETS, unused by others). */
  redisUrl?: string;
}

export interface BenchTarget {
  readonly name: string;
  /** One line for the report. */
  readonly description: string;
  /**
   * True if the server answers a client's sync step 1 only once the room is loaded, so the time
   * to that answer is the server's cold-load time (the reference answers at once, from an empty doc).
   */
  readonly answersSyncAfterLoad: boolean;
  /** Not a server but a calibration of the relaying workloads: the cold and idle sections skip it. */
  readonly throughputOnly?: true;
  start(options: StartOptions): Promise<RunningTarget>;
}

/** How long a server has to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * Easel's limits that a benchmark trips on purpose (0 = unlimited): every client comes from
 * 127.0.0.1, so the per-address cap (256) and its rate of new connections (a burst of 256, then
 * 20/s) would refuse a classroom of 300 joining at once, and a saturating client sends more than
 * 200 messages a second. The checks still run; they only never refuse. The reference has no such
 * limits.
 */
export const EASEL_BENCH_ARGS = [
  '--rate-messages', '0', '--rate-bytes', '0', '--max-connections-per-ip', '0', '--connection-rate-per-ip', '0',
] as const;

const REFERENCE_SERVER = fileURLToPath(new URL('../node_modules/y-websocket-reference/bin/server.js', import.meta.url));

/** A port that was free a moment ago: listen on port 0, note the port, close. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (port === 0) throw new Error('could not find a free port');
  return port;
}

const CPU_PROFILER = fileURLToPath(new URL('./cpu-profiler.mjs', import.meta.url));

/**
 * Environment for a server process. When profiling, NODE_OPTIONS preloads bench/cpu-profiler.mjs
 * (node refuses --cpu-prof in NODE_OPTIONS, and the child helper takes no node flags).
 */
function serverEnv(options: StartOptions): NodeJS.ProcessEnv {
  if (options.profileDir === undefined) return {};
  const preload = `--import=${pathToFileURL(CPU_PROFILER).href}`;
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '), BENCH_CPU_PROFILE_DIR: options.profileDir };
}

/** SIGTERM, then SIGKILL if the process is still there after the grace period. */
async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, STOP_GRACE_MS);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}

/** Easel: server/main.ts as one child process. */
export const EASEL_TARGET: BenchTarget = {
  name: 'easel',
  description: `Easel, server/main.ts ${EASEL_BENCH_ARGS.join(' ')}`,
  answersSyncAfterLoad: true,
  async start(options) {
    const server = await startChildServer(options.dataDir, [...EASEL_BENCH_ARGS], serverEnv(options));
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('easel server has no pid');
    return {
      name: 'easel',
      pids: [pid],
      syncUrl: () => server.syncUrl,
      urls: [server.syncUrl],
      stop: () => stopProcess(server.child, server.exited),
    };
  },
};

/**
 * Starts a plain y-websocket server script on a free port (given in PORT) and waits until it
 * prints a line starting with `readyLine`.
 */
async function startScript(name: string, args: readonly string[], env: NodeJS.ProcessEnv, readyLine: string): Promise<RunningTarget> {
  const port = await freePort();
  const child = spawn(process.execPath, [...args], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const lines: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith(readyLine)) resolve();
    });
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return {
    name,
    pids: [child.pid],
    syncUrl: () => `ws://127.0.0.1:${port}`,
    urls: [`ws://127.0.0.1:${port}`],
    stop: () => stopProcess(child, exited),
  };
}

/** The reference: y-websocket@1.5.4's bin/server.js, persisting with y-leveldb (YPERSISTENCE). */
export const REFERENCE_TARGET: BenchTarget = {
  name: 'reference',
  description: 'y-websocket@1.5.4 bin/server.js with YPERSISTENCE (y-leveldb)',
  answersSyncAfterLoad: false,
  start: (options) => startScript('reference', [REFERENCE_SERVER], { ...serverEnv(options), YPERSISTENCE: options.dataDir }, 'running at'),
};

const BARE_RELAY = fileURLToPath(new URL('./bare-relay.ts', import.meta.url));

/** The ceiling: bench/bare-relay.ts, which forwards frames and does nothing else. */
export const CEILING_TARGET: BenchTarget = {
  name: 'ceiling',
  description: 'bench/bare-relay.ts: forwards frames, no Yjs, no storage (what these clients can take here)',
  answersSyncAfterLoad: false,
  throughputOnly: true,
  start: (options) => startScript('ceiling', ['--import', 'tsx', BARE_RELAY], serverEnv(options), 'listening'),
};

/**
 * Easel scaled out: `processes` copies of server/main.ts sharing `--redis <url>` (LevelDB unused).
 * Client i goes to process i mod N, as a round-robin load balancer without sticky sessions would
 * deal them, so the clients of one room are spread over the processes.
 */
export function easelRedisTarget(processes: number): BenchTarget {
  const name = `easel-redis-${processes}`;
  return {
    name,
    description: `Easel × ${processes} process${processes === 1 ? '' : 'es'}, server/main.ts --redis <url> ${EASEL_BENCH_ARGS.join(' ')}`,
    answersSyncAfterLoad: true,
    async start(options) {
      const { redisUrl } = options;
      if (redisUrl === undefined) throw new Error(`${name} needs a Redis: pass redisUrl in its start options`);
      const started = await Promise.allSettled(
        Array.from({ length: processes }, () => startChildServer(options.dataDir, ['--redis', redisUrl, ...EASEL_BENCH_ARGS], serverEnv(options))),
      );
      const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const stopAll = async (): Promise<void> => {
        await Promise.all(servers.map((server) => stopProcess(server.child, server.exited)));
      };
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) {
        await stopAll();
        throw failed.reason;
      }
      const pids = servers.map((server) => server.child.pid);
      if (pids.some((pid) => pid === undefined)) {
        await stopAll();
        throw new Error(`${name}: a server has no pid`);
      }
      const urls = servers.map((server) => server.syncUrl);
      return { name, pids: pids as number[], urls, syncUrl: (clientIndex) => urls[clientIndex % urls.length]!, stop: stopAll };
    },
  };
}

/** The scale-out targets of the redis section: one process, and two sharing the same Redis. */
export const REDIS_TARGETS: Readonly<Record<string, BenchTarget>> = {
  'easel-redis-1': easelRedisTarget(1),
  'easel-redis-2': easelRedisTarget(2),
};

/** Every target by name, in the order the report lists them. */
export const TARGETS: Readonly<Record<string, BenchTarget>> = {
  easel: EASEL_TARGET,
  reference: REFERENCE_TARGET,
  ceiling: CEILING_TARGET,
};
