/**
 * One throughput round against one target: a fresh server on a fresh store, then three phases,
 * each with its own rooms and client processes:
 *
 *   warm-up     a short closed loop, not measured, so both servers run JIT-compiled code;
 *   paced       every client at a fixed rate below either server's capacity: latency at equal
 *               offered load;
 *   saturation  the closed loop (see client-worker.ts): delivered updates per second, latency
 *               under full load, server CPU per update.
 *
 * Paced runs before saturation so that it never shares the server with the unloading of the
 * saturation phase's big rooms (Easel keeps an empty room for 5 s, the reference drops it at once).
 *
 * Server CPU is read from /proc around each measured phase only; peak RSS is the server's VmHWM
 * at the end, so it covers the whole life of the server, which is this one round. A target of
 * several processes is summed over them. Processes the server relies on but does not own (Redis)
 * are read separately as `backing`, so they count neither as server nor as other load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineCpuSeconds, memory, totalCpuSeconds } from './proc.ts';
import { percentiles } from './stats.ts';
import type { BenchTarget, RunningTarget } from './targets.ts';
import { connectClients, type WorkloadOptions } from './workload.ts';

export interface PhaseResult {
  wallMs: number;
  sent: number;
  delivered: number;
  expected: number;
  /** Deliveries (to each other client of the room) per second. */
  deliveredPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Server CPU seconds during the phase. */
  serverCpuSeconds: number;
  /** Server CPU ms per 1,000 client updates (each relayed to every client of its room). */
  serverCpuMsPerThousand: number;
  /** Deliveries per server CPU-second: what one core of this server relays, clients aside. */
  deliveredPerServerCpuSecond: number;
  /** Server CPU over wall time: 1.0 is one core busy all the time. */
  serverBusy: number;
  /** Client processes' CPU over wall time (one process tops out at 1.0). */
  clientBusy: number;
  /** CPU seconds of the backing processes (Redis) during the phase; 0 without any. */
  backingCpuSeconds: number;
  /** Backing processes' CPU ms per 1,000 client updates. */
  backingCpuMsPerThousand: number;
  /** Backing processes' CPU over wall time. */
  backingBusy: number;
  /** Cores' worth of CPU used by anything else on the machine meanwhile (noise). */
  otherBusy: number;
  problems: string[];
}

export interface RoundResult {
  target: string;
  saturation: PhaseResult;
  paced: PhaseResult;
  /** Summed over the target's processes. */
  serverPeakRss: number;
  /** The largest of the target's processes. */
  serverPeakRssMax: number;
}

/** Where a client connects: the target's own choice, or the whole room on one process. */
export type Placement = 'target' | 'room';

export interface RoundConfig {
  /** The saturation phase; warm-up and paced phases derive from it. */
  workload: Omit<WorkloadOptions, 'roomPrefix' | 'rate'>;
  warmupUpdates: number;
  /** Paced phase: updates per second per client, and updates per client. */
  pacedRate: number;
  pacedUpdates: number;
  round: number;
  /** Write a CPU profile of the server into this folder. */
  profileDir?: string;
  /** Passed to the target (REDIS_TARGETS need it). */
  redisUrl?: string;
  /** Processes the target relies on (Redis), read as `backing`. */
  backingPids?: readonly number[];
  /**
   * 'target' (default): client i connects where the target's syncUrl(i) says; 'room': every client
   * of room r connects to process r mod N (rooms with affinity to a process).
   */
  placement?: Placement;
  /** Added to the room names, so rounds of several targets on one shared store never meet. */
  label?: string;
}

async function runPhase(server: RunningTarget, options: WorkloadOptions, backingPids: readonly number[]): Promise<PhaseResult> {
  const fleet = await connectClients(server, options);
  try {
    const read = () => Promise.all([totalCpuSeconds(server.pids), totalCpuSeconds(fleet.pids), totalCpuSeconds(backingPids), machineCpuSeconds()]);
    const before = await read();
    const selfBefore = process.cpuUsage();
    const result = await fleet.run();
    const after = await read();
    const self = process.cpuUsage(selfBefore);
    const [serverCpu, clientCpu, backingCpu, machineCpu] = after.map((value, i) => value - before[i]!) as [number, number, number, number];
    const seconds = result.wallMs / 1000;
    const [p50, p95, p99] = percentiles(result.latencies, [50, 95, 99]) as [number, number, number];
    return {
      wallMs: result.wallMs,
      sent: result.sent,
      delivered: result.delivered,
      expected: result.expected,
      deliveredPerSecond: result.delivered / seconds,
      p50,
      p95,
      p99,
      serverCpuSeconds: serverCpu,
      serverCpuMsPerThousand: (serverCpu * 1000) / (result.sent / 1000),
      deliveredPerServerCpuSecond: result.delivered / serverCpu,
      serverBusy: serverCpu / seconds,
      clientBusy: clientCpu / seconds,
      backingCpuSeconds: backingCpu,
      backingCpuMsPerThousand: (backingCpu * 1000) / (result.sent / 1000),
      backingBusy: backingCpu / seconds,
      otherBusy: Math.max(0, machineCpu - serverCpu - clientCpu - backingCpu - (self.user + self.system) / 1e6) / seconds,
      problems: result.problems,
    };
  } finally {
    await fleet.close();
  }
}

/**
 * `server` with every client of a room on one process: workload.ts numbers the clients of room r
 * r·C … r·C + C − 1, so client i belongs to room ⌊i / C⌋.
 */
function byRoom(server: RunningTarget, clientsPerRoom: number): RunningTarget {
  return { ...server, syncUrl: (clientIndex) => server.urls[Math.floor(clientIndex / clientsPerRoom) % server.urls.length]! };
}

/** Runs one round against a fresh `target`. */
export async function runRound(target: BenchTarget, config: RoundConfig): Promise<RoundResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `easel-bench-${target.name}-`));
  const prefix = `bench${config.round}${config.label === undefined ? '' : `-${config.label}`}`;
  const backing = config.backingPids ?? [];
  try {
    const started = await target.start({
      dataDir,
      ...(config.profileDir === undefined ? {} : { profileDir: config.profileDir }),
      ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
    });
    try {
      const server = config.placement === 'room' ? byRoom(started, config.workload.clients) : started;
      await runPhase(server, { ...config.workload, updates: config.warmupUpdates, rate: 0, roomPrefix: `${prefix}-warm` }, backing);
      const paced = await runPhase(server, { ...config.workload, updates: config.pacedUpdates, rate: config.pacedRate, roomPrefix: `${prefix}-paced` }, backing);
      const saturation = await runPhase(server, { ...config.workload, rate: 0, roomPrefix: `${prefix}-sat` }, backing);
      const each = await Promise.all(server.pids.map((pid) => memory(pid)));
      return {
        target: target.name,
        saturation,
        paced,
        serverPeakRss: each.reduce((sum, m) => sum + m.peakRss, 0),
        serverPeakRssMax: Math.max(...each.map((m) => m.peakRss)),
      };
    } finally {
      await started.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
