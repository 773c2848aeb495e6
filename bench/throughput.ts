/**
 * One throughput round against one target: a fresh server on a fresh store, the workload's clients
 * connected and synced, then the measured run. Server CPU is read from /proc around the run only
 * (not startup or connecting); peak RSS is the process's VmHWM at the end, so it covers the whole
 * life of the server, which is this one round.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { totalCpuSeconds, totalMemory } from './proc.ts';
import { percentiles } from './stats.ts';
import type { BenchTarget } from './targets.ts';
import { connectClients, type WorkloadOptions } from './workload.ts';

export interface RoundResult {
  target: string;
  wallMs: number;
  sent: number;
  delivered: number;
  expected: number;
  /** Deliveries (to each peer) per second. */
  deliveredPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Server CPU seconds during the run. */
  serverCpuSeconds: number;
  /** Server CPU ms per 1,000 client updates (each relayed to every client of its room). */
  serverCpuMsPerThousand: number;
  /** Server CPU over wall time: 1.0 is one core busy all the time. */
  serverBusy: number;
  /** Client processes' CPU over wall time. */
  clientBusy: number;
  serverPeakRss: number;
  problems: string[];
}

/** Runs the workload once against a fresh `target`. */
export async function runRound(target: BenchTarget, options: WorkloadOptions, profileDir?: string): Promise<RoundResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `easel-bench-${target.name}-`));
  const server = await target.start(profileDir === undefined ? { dataDir } : { dataDir, profileDir });
  try {
    const fleet = await connectClients(server, options);
    try {
      const serverBefore = await totalCpuSeconds(server.pids);
      const clientBefore = await totalCpuSeconds(fleet.pids);
      const result = await fleet.run();
      const serverCpu = (await totalCpuSeconds(server.pids)) - serverBefore;
      const clientCpu = (await totalCpuSeconds(fleet.pids)) - clientBefore;
      const memory = await totalMemory(server.pids);
      const [p50, p95, p99] = percentiles(result.latencies, [50, 95, 99]) as [number, number, number];
      return {
        target: target.name,
        wallMs: result.wallMs,
        sent: result.sent,
        delivered: result.delivered,
        expected: result.expected,
        deliveredPerSecond: result.delivered / (result.wallMs / 1000),
        p50,
        p95,
        p99,
        serverCpuSeconds: serverCpu,
        serverCpuMsPerThousand: (serverCpu * 1000) / (result.sent / 1000),
        serverBusy: serverCpu / (result.wallMs / 1000),
        clientBusy: clientCpu / (result.wallMs / 1000),
        serverPeakRss: memory.peakRss,
        problems: result.problems,
      };
    } finally {
      await fleet.close();
    }
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
