/**
 * The `serverbound` section of `npm run bench`: saturation throughput with protocol-level clients
 * (bench/wire-worker.ts), which keep no Y.Doc and cost a fraction of a stock provider, so the
 * server under test is what limits delivered updates per second, not its clients. Easel, the
 * reference and the bare relay run in the same section on the same pre-encoded updates; the
 * client processes' CPU is printed beside every figure, so a reader sees who was busy.
 *
 * Each round and target: a fresh server, an unmeasured closed-loop warm-up in its own rooms, then
 * the measured closed loop: R rooms × C clients, each sending U stroke updates with at most W not
 * yet delivered to all its peers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { histogramPercentiles } from './histogram.ts';
import { busyBetween, cpuSnapshot } from './proc.ts';
import { MAX_OTHER_BUSY, runQuietest } from './retry-noisy.ts';
import { fmt, median, table, verdict } from './stats.ts';
import type { BenchTarget, RunningTarget } from './targets.ts';
import { ChainCache, clientIdOf, connectWireClients, type WireClientSpec } from './wire-workload.ts';

/** Issue 13's saturation targets: Easel against the bare relay and the reference, same run. */
const TARGET_RELAY_RATIO = 1.0;
const TARGET_REFERENCE_RATIO = 2.0;

export interface ServerboundOptions {
  targets: readonly BenchTarget[];
  rounds: number;
  rooms: number;
  clients: number;
  updates: number;
  window: number;
  warmup: number;
  workers: number;
  /** A run while other processes used over MAX_OTHER_BUSY cores is run again, this many times at most. */
  retries: number;
  seed: number;
  profileDir?: string;
}

interface SaturationResult {
  wallMs: number;
  delivered: number;
  expected: number;
  deliveredPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  serverBusy: number;
  clientBusy: number;
  /** The busiest client process (one process tops out at 1.0). */
  clientBusyMax: number;
  otherBusy: number;
  serverCpuMsPerThousand: number;
  deliveredPerServerCpuSecond: number;
  problems: string[];
}

/** `rooms` × `clients` clients of `server`, named after `prefix`. */
function roomClients(server: RunningTarget, prefix: string, rooms: number, clients: number): WireClientSpec[] {
  return Array.from({ length: rooms * clients }, (_, index) => ({
    index,
    clientId: clientIdOf(index),
    url: server.syncUrl(index),
    room: `${prefix}-${Math.floor(index / clients)}`,
  }));
}

async function closedLoop(server: RunningTarget, options: ServerboundOptions, chains: ChainCache, prefix: string, updates: number): Promise<SaturationResult> {
  const clients = roomClients(server, prefix, options.rooms, options.clients);
  const fleet = await connectWireClients({
    clients,
    chains: new Map(clients.map((client) => [client.index, chains.get(client.index, updates)])),
    schedule: { kind: 'closed', updates, window: options.window, timeoutMs: 120_000 },
    workers: options.workers,
  });
  try {
    // Per-process client CPU, to tell one saturated client process from several half-busy ones.
    const groups = [server.pids, ...fleet.pids.map((pid) => [pid])];
    const before = await cpuSnapshot(groups);
    const result = await fleet.run();
    const after = await cpuSnapshot(groups);
    const seconds = result.wallMs / 1000;
    const { groups: busy, other } = busyBetween(before, after, seconds);
    const [serverBusy = 0, ...clientBusy] = busy;
    const serverCpuSeconds = serverBusy * seconds;
    const [p50, p95, p99] = histogramPercentiles(result.updateLatency, [50, 95, 99], result.updatesExpected - result.updatesDelivered) as [number, number, number];
    return {
      wallMs: result.wallMs,
      delivered: result.updatesDelivered,
      expected: result.updatesExpected,
      deliveredPerSecond: result.updatesDelivered / seconds,
      p50,
      p95,
      p99,
      serverBusy,
      clientBusy: clientBusy.reduce((sum, value) => sum + value, 0),
      clientBusyMax: Math.max(...clientBusy),
      otherBusy: other,
      serverCpuMsPerThousand: (serverCpuSeconds * 1000) / (result.updatesSent / 1000),
      deliveredPerServerCpuSecond: result.updatesDelivered / serverCpuSeconds,
      problems: result.problems,
    };
  } finally {
    await fleet.close();
  }
}

async function runTarget(target: BenchTarget, options: ServerboundOptions, chains: ChainCache, round: number): Promise<SaturationResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `easel-serverbound-${target.name}-`));
  try {
    const server = await target.start({ dataDir, ...(options.profileDir === undefined ? {} : { profileDir: options.profileDir }) });
    try {
      if (options.warmup > 0) await closedLoop(server, options, chains, `wire${round}-warm`, options.warmup);
      return await closedLoop(server, options, chains, `wire${round}-sat`, options.updates);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function line(name: string, round: number, r: SaturationResult): string {
  const incomplete = r.delivered < r.expected ? ` INCOMPLETE ${r.delivered}/${r.expected}` : '';
  return (
    `  round ${round} ${name.padEnd(9)} ${fmt(r.deliveredPerSecond).padStart(7)} deliveries/s in ${fmt(r.wallMs / 1000, 1)} s · ` +
    `p50/p95/p99 ${fmt(r.p50, 1)}/${fmt(r.p95, 1)}/${fmt(r.p99, 1)} ms · server busy ${fmt(r.serverBusy, 2)} · ` +
    `clients busy ${fmt(r.clientBusy, 2)} (busiest process ${fmt(r.clientBusyMax, 2)}) · other load ${fmt(r.otherBusy, 2)} cores${incomplete}`
  );
}

/** Runs the section and prints it. */
export async function serverboundSection(options: ServerboundOptions, print: (text?: string) => void): Promise<void> {
  const { rooms, clients, updates, window, workers } = options;
  const chains = new ChainCache(options.seed);
  const generated = performance.now();
  for (let index = 0; index < rooms * clients; index++) chains.get(index, Math.max(updates, options.warmup));
  print(`## Server-bound saturation: ${rooms} rooms × ${clients} protocol-level clients × ${updates} updates, ${options.rounds} rounds (medians)`);
  print(`Clients without a Y.Doc (bench/wire-worker.ts): the same pre-encoded stroke updates for every server (one new ink shape`);
  print(`of 16–64 points each, ${fmt(chains.meanBytes)} bytes on average; generated from real Y.Docs in ${fmt((performance.now() - generated) / 1000, 1)} s), receivers read`);
  print(`only the markers. Closed loop, ≤ ${window} updates in flight per client, after a ${options.warmup}-update warm-up in other rooms;`);
  print(`${workers} client process(es), rooms dealt whole; a fresh server per round. "busy" is CPU seconds per second (1.0 = a core).`);
  if (options.retries > 0) print(`A run while other processes used over ${fmt(MAX_OTHER_BUSY, 1)} cores is run again (up to ${options.retries} times; the quietest run is kept).`);
  print('');
  const results = new Map<string, SaturationResult[]>(options.targets.map((target) => [target.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? options.targets : [...options.targets].reverse();
    for (const target of order) {
      const result = await runQuietest(() => runTarget(target, options, chains, round), {
        retries: options.retries,
        onRetry: (other) => print(`  round ${round} ${target.name.padEnd(9)} again: other processes used ${fmt(other, 2)} cores`),
      });
      results.get(target.name)!.push(result);
      print(line(target.name, round, result));
      for (const problem of result.problems.slice(0, 5)) print(`    problem: ${problem}`);
    }
  }
  print('');
  const names = options.targets.map((target) => target.name);
  const med = (name: string, pick: (r: SaturationResult) => number): number => median(results.get(name)!.map(pick));
  const has = (name: string): boolean => results.has(name);
  const ratioColumns = [...(has('easel') && has('ceiling') ? ['easel/relay'] : []), ...(has('easel') && has('reference') ? ['easel/ref'] : [])];
  const rows: string[][] = [['', ...names.map((name) => (name === 'ceiling' ? 'relay' : name)), ...ratioColumns, 'target']];
  const row = (label: string, pick: (r: SaturationResult) => number, digits: number, withRatio = true, target = ''): void => {
    const ratios = ratioColumns.map((column) => {
      if (!withRatio) return '';
      const other = column === 'easel/relay' ? 'ceiling' : 'reference';
      return `${fmt(med('easel', pick) / med(other, pick), 2)}×`;
    });
    rows.push([label, ...names.map((name) => fmt(med(name, pick), digits)), ...ratios, target]);
  };
  const delivered = (r: SaturationResult): number => r.deliveredPerSecond;
  const verdicts: string[] = [];
  if (has('easel') && has('ceiling')) {
    const value = med('easel', delivered) / med('ceiling', delivered);
    verdicts.push(`≥ ${fmt(TARGET_RELAY_RATIO, 1)}× relay (${fmt(value, 2)}×): ${verdict(value >= TARGET_RELAY_RATIO)}`);
  }
  if (has('easel') && has('reference')) {
    const value = med('easel', delivered) / med('reference', delivered);
    verdicts.push(`≥ ${fmt(TARGET_REFERENCE_RATIO, 1)}× reference (${fmt(value, 2)}×): ${verdict(value >= TARGET_REFERENCE_RATIO)}`);
  }
  row('delivered updates/s', delivered, 0, true, verdicts.join('; '));
  row('  latency p50 ms', (r) => r.p50, 1);
  row('  latency p95 ms', (r) => r.p95, 1);
  row('  latency p99 ms', (r) => r.p99, 1);
  row('  server busy (cores)', (r) => r.serverBusy, 2, false);
  row('  clients busy (cores, all processes)', (r) => r.clientBusy, 2, false);
  row('  busiest client process (cores)', (r) => r.clientBusyMax, 2, false);
  row('  server share of server + clients CPU %', (r) => (100 * r.serverBusy) / (r.serverBusy + r.clientBusy), 0, false);
  row('  other load on the machine (cores)', (r) => r.otherBusy, 2, false);
  row('  server CPU ms / 1k updates', (r) => r.serverCpuMsPerThousand, 0);
  row('  deliveries per server CPU-second', (r) => r.deliveredPerServerCpuSecond, 0);
  print(table(rows));
  print('');
  const all = [...results.values()].flat();
  const clientBound = all.some((r) => r.clientBusyMax > 0.85);
  const other = Math.max(...all.map((r) => r.otherBusy));
  print('Delivered updates/s counts each update once per other client of its room, from the first send to the last delivery.');
  print(
    clientBound
      ? 'WARNING: a client process was busy more than 0.85 of a core in some runs: those figures may be bound by the clients; add --wire-workers.'
      : 'No client process came near a full core. The clients still share the machine\'s cores with the server: where the server\'s share of',
  );
  if (!clientBound) {
    print('their CPU is well under half (the relay), the machine, not that server, set the pace, and the figure understates the server.');
  }
  if (other > 0.25) print(`WARNING: other processes used up to ${fmt(other, 2)} cores during some runs; those figures are noisy.`);
  print('');
}
