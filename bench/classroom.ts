/**
 * The `classroom` section of `npm run bench`: one room of N protocol-level clients (bench/wire-
 * worker.ts) where every cursor moves 30 times a second and a quarter of the people draw 20
 * strokes a second, for each N of a sweep and each server. It prints update and cursor latency
 * (p50, p99), what was delivered, the server's and the clients' CPU at each size, and the largest
 * size at which both p99 stay within 100 ms.
 *
 * Every size gets a fresh server and a fresh room. A run sends for a warm-up and then a measured
 * window; only what was sent in the window is measured, and each client then waits until it has
 * every update of the window (or the grace period ends, which counts as not keeping up). Cursor
 * states are lossy: a server may send only the latest state of each client per tick, so "cursor
 * states delivered" may be below one per move and peer while its latency stays low.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { histogramPercentiles } from './histogram.ts';
import { busyBetween, cpuSnapshot, type CpuSnapshot } from './proc.ts';
import { MAX_OTHER_BUSY, runQuietest } from './retry-noisy.ts';
import { fmt, table, verdict } from './stats.ts';
import { EASEL_BENCH_ARGS, type BenchTarget } from './targets.ts';
import { monoNow } from './wire-messages.ts';
import { ChainCache, clientIdOf, connectWireClients, type WireClientSpec } from './wire-workload.ts';

/** Issue 13: a room of this many stays within LATENCY_LIMIT_MS p99 for cursors and updates. */
const TARGET_ROOM_SIZE = 200;
const LATENCY_LIMIT_MS = 100;
/**
 * Points per drawing update: 50 ms of a pen at 60–120 pointer events a second. Each update is a
 * new ink shape of that many points (a stroke segment), about 500 bytes.
 */
const SEGMENT_POINTS = { min: 3, max: 6 };

export interface ClassroomOptions {
  targets: readonly BenchTarget[];
  sizes: readonly number[];
  durationMs: number;
  warmupMs: number;
  cursorHz: number;
  strokeHz: number;
  /** Percent of the clients that draw. */
  drawingPercent: number;
  workers: number;
  /** Clients send every awareness message they receive back, as stock y-websocket providers do. */
  echoAwareness: boolean;
  graceMs: number;
  /** Larger sizes are skipped for a server once a p99 passed this (it has fallen behind); 0 runs every size. */
  skipAboveMs: number;
  /** A size run while other processes used over MAX_OTHER_BUSY cores is run again, this many times at most. */
  retries: number;
  seed: number;
  profileDir?: string;
}

export interface ClassroomRow {
  target: string;
  size: number;
  drawers: number;
  updateP50: number;
  updateP99: number;
  cursorP50: number;
  cursorP99: number;
  updatesPerSecond: number;
  cursorsPerSecond: number;
  /** Cursor states delivered per move sent and peer (1.0: every move reached everyone). */
  cursorShare: number;
  missingUpdates: number;
  /** Cursor moves the clients did not send on time, as a share of those due. */
  cursorsSkippedShare: number;
  maxSendLagMs: number;
  serverBusy: number;
  clientBusy: number;
  clientBusyMax: number;
  otherBusy: number;
  keptUp: boolean;
  problems: string[];
}

function drawersOf(size: number, options: ClassroomOptions): number {
  return options.strokeHz > 0 ? Math.round((size * options.drawingPercent) / 100) : 0;
}

async function runSize(target: BenchTarget, size: number, options: ClassroomOptions, chains: ChainCache, strokesPerDrawer: number): Promise<ClassroomRow> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `easel-classroom-${target.name}-`));
  try {
    const server = await target.start({ dataDir, ...(options.profileDir === undefined ? {} : { profileDir: options.profileDir }) });
    try {
      const drawers = drawersOf(size, options);
      const room = `class-${size}`;
      const clients: WireClientSpec[] = Array.from({ length: size }, (_, index) => ({ index, clientId: clientIdOf(index), url: server.syncUrl(index), room }));
      // The first quarter draw; clients are dealt round-robin, so every process has its share.
      const fleet = await connectWireClients({
        clients,
        chains: new Map(Array.from({ length: drawers }, (_, index) => [index, chains.get(index, strokesPerDrawer)])),
        schedule: {
          kind: 'paced',
          cursorHz: options.cursorHz,
          strokeHz: options.strokeHz,
          warmupMs: options.warmupMs,
          durationMs: options.durationMs,
          graceMs: options.graceMs,
        },
        workers: options.workers,
        echoAwareness: options.echoAwareness,
      });
      try {
        const groups = [server.pids, ...fleet.pids.map((pid) => [pid])];
        let windowStart: Promise<CpuSnapshot> | undefined;
        let windowEnd: Promise<CpuSnapshot> | undefined;
        const timers: NodeJS.Timeout[] = [];
        const result = await fleet.run((startAt) => {
          // CPU over the measured window exactly: read at its start and at its end.
          const from = startAt + options.warmupMs;
          timers.push(setTimeout(() => (windowStart = cpuSnapshot(groups)), from - monoNow()));
          timers.push(setTimeout(() => (windowEnd = cpuSnapshot(groups)), from + options.durationMs - monoNow()));
        });
        for (const timer of timers) clearTimeout(timer);
        const seconds = options.durationMs / 1000;
        const cpu = windowStart && windowEnd ? busyBetween(await windowStart, await windowEnd, seconds) : { groups: [Number.NaN], other: Number.NaN };
        const [serverBusy = Number.NaN, ...clientBusy] = cpu.groups;
        const missing = Math.max(0, result.updatesExpected - result.updatesDelivered);
        const [updateP50, updateP99] = histogramPercentiles(result.updateLatency, [50, 99], missing) as [number, number];
        const [cursorP50, cursorP99] = histogramPercentiles(result.cursorLatency, [50, 99]) as [number, number];
        const cursorsDue = result.cursorsSent + result.cursorsSkipped;
        return {
          target: target.name,
          size,
          drawers,
          updateP50,
          updateP99,
          cursorP50,
          cursorP99,
          updatesPerSecond: result.updatesDelivered / seconds,
          cursorsPerSecond: result.cursorsDelivered / seconds,
          cursorShare: result.cursorsSent > 0 ? result.cursorsDelivered / (result.cursorsSent * (size - 1)) : Number.NaN,
          missingUpdates: missing,
          cursorsSkippedShare: cursorsDue > 0 ? result.cursorsSkipped / cursorsDue : 0,
          maxSendLagMs: result.maxSendLagMs,
          serverBusy,
          clientBusy: clientBusy.reduce((sum, value) => sum + value, 0),
          clientBusyMax: clientBusy.length > 0 ? Math.max(...clientBusy) : Number.NaN,
          otherBusy: cpu.other,
          keptUp: result.drained && missing === 0,
          problems: result.problems,
        };
      } finally {
        await fleet.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A p99 for the table: '> grace' when updates never came. */
function latency(ms: number, graceMs: number): string {
  return Number.isFinite(ms) ? fmt(ms, 1) : `> ${fmt(graceMs)}`;
}

function within(row: ClassroomRow): boolean {
  return row.keptUp && row.updateP99 <= LATENCY_LIMIT_MS && row.cursorP99 <= LATENCY_LIMIT_MS;
}

/** The name a target goes by in this section's tables. */
function label(name: string): string {
  return name === 'ceiling' ? 'relay' : name;
}

/** Runs the sweep and prints it; returns its rows. */
export async function classroomSection(options: ClassroomOptions, print: (text?: string) => void): Promise<ClassroomRow[]> {
  const largest = Math.max(...options.sizes);
  const strokesPerDrawer = Math.ceil(((options.warmupMs + options.durationMs) / 1000) * options.strokeHz) + 10;
  const chains = new ChainCache(options.seed, SEGMENT_POINTS);
  const generated = performance.now();
  for (let index = 0; index < drawersOf(largest, options); index++) chains.get(index, strokesPerDrawer);
  print(`## Classroom: one room of ${options.sizes.join(', ')} protocol-level clients, ${fmt(options.durationMs / 1000, 0)} s measured each`);
  print(`Every client moves its cursor ${options.cursorHz} times a second (awareness: a ~220-byte state of the shape Easel's client publishes, with`);
  print(`its send time); ${options.drawingPercent} % of them also draw ${options.strokeHz} updates a second (each a new ink shape of ${SEGMENT_POINTS.min}–${SEGMENT_POINTS.max} points, ${fmt(chains.meanBytes)} bytes`);
  print(`on average, pre-encoded from real Y.Docs in ${fmt((performance.now() - generated) / 1000, 1)} s). A fresh server and room per size; ${fmt(options.warmupMs / 1000, 1)} s of warm-up, then the measured`);
  print(`window; afterwards up to ${fmt(options.graceMs / 1000, 1)} s for the last deliveries. ${options.workers} client process(es), clients dealt round-robin.`);
  print(
    options.echoAwareness
      ? 'Clients send every awareness message they receive back to the server, as stock y-websocket providers (and so Easel\'s client) do.'
      : 'Clients do not echo awareness messages back (stock y-websocket providers, and so Easel\'s client, do: --classroom-echo).',
  );
  print(`Every client connects from 127.0.0.1: Easel runs with ${EASEL_BENCH_ARGS.join(' ')} (0 = unlimited), so neither`);
  print(`the per-address connection limits nor the message rate limit refuses the class.`);
  if (options.retries > 0) print(`A size run while other processes used over ${fmt(MAX_OTHER_BUSY, 1)} cores is run again (up to ${options.retries} times; the quietest run is kept).`);
  if (options.skipAboveMs > 0) print(`A server whose p99 passes ${fmt(options.skipAboveMs)} ms at one size is not run at larger ones (--classroom-all runs them).`);
  print('');
  const rows: ClassroomRow[] = [];
  const fellBehind = new Map<string, number>();
  for (const size of options.sizes) {
    for (const target of options.targets) {
      if (fellBehind.has(target.name)) continue;
      const row = await runQuietest(() => runSize(target, size, options, chains, strokesPerDrawer), {
        retries: options.retries,
        onRetry: (other) => print(`  ${String(size).padStart(4)} ${label(target.name).padEnd(9)} again: other processes used ${fmt(other, 2)} cores`),
      });
      rows.push(row);
      print(
        `  ${String(size).padStart(4)} ${label(target.name).padEnd(9)} updates p50/p99 ${latency(row.updateP50, options.graceMs)}/${latency(row.updateP99, options.graceMs)} ms · ` +
          `cursors p50/p99 ${fmt(row.cursorP50, 1)}/${fmt(row.cursorP99, 1)} ms · server busy ${fmt(row.serverBusy, 2)} · clients busy ${fmt(row.clientBusy, 2)} ` +
          `(busiest ${fmt(row.clientBusyMax, 2)}, send lag ≤ ${fmt(row.maxSendLagMs, 0)} ms) · other ${fmt(row.otherBusy, 2)}${row.keptUp ? '' : ' · FELL BEHIND'}`,
      );
      for (const problem of row.problems.slice(0, 3)) print(`    problem: ${problem}`);
      const worst = Math.max(row.updateP99, row.cursorP99);
      if (options.skipAboveMs > 0 && (!row.keptUp || !(worst <= options.skipAboveMs))) fellBehind.set(target.name, size);
    }
  }
  print('');
  const header = ['size', 'server', 'update p50', 'update p99', 'cursor p50', 'cursor p99', 'updates/s', 'cursor states/s', 'per move·peer', 'server CPU', 'clients CPU', 'busiest client', 'machine', 'kept up', `≤ ${LATENCY_LIMIT_MS} ms`];
  const lines: string[][] = [header];
  for (const row of rows) {
    lines.push([
      String(row.size),
      label(row.target),
      latency(row.updateP50, options.graceMs),
      latency(row.updateP99, options.graceMs),
      fmt(row.cursorP50, 1),
      fmt(row.cursorP99, 1),
      fmt(row.updatesPerSecond),
      fmt(row.cursorsPerSecond),
      fmt(row.cursorShare, 2),
      `${fmt(row.serverBusy * 100)} %`,
      `${fmt(row.clientBusy * 100)} %`,
      `${fmt(row.clientBusyMax * 100)} %`,
      `${fmt((row.serverBusy + row.clientBusy + row.otherBusy) * 100)} %`,
      row.keptUp ? 'yes' : `no${row.missingUpdates > 0 ? ` (${fmt(row.missingUpdates)} missing)` : ''}`,
      within(row) ? 'yes' : 'no',
    ]);
  }
  print(table(lines));
  print('Latencies in ms, send to receipt on one monotonic clock; updates/s and cursor states/s are deliveries (one per receiving');
  print('peer) in the measured window. CPU is per cent of one core over the window (200 % = both cores of this machine);');
  print('"busiest client" is the busiest client process: near 100 % it, not the server, was the limit; "machine" adds server,');
  print('clients and other processes: near 200 % the server shared a full machine with its clients, so a server needing more');
  print('than what was left fell behind for want of cores that a deployment (clients elsewhere) would give it.');
  for (const [name, size] of fellBehind) print(`${label(name)} fell behind at ${size} (p99 over ${fmt(options.skipAboveMs)} ms or updates missing); larger sizes were not run.`);
  print('');
  for (const target of options.targets) {
    const passed = rows.filter((row) => row.target === target.name && within(row)).map((row) => row.size);
    const best = passed.length > 0 ? Math.max(...passed) : null;
    const note = target.name === 'easel' && options.sizes.includes(TARGET_ROOM_SIZE)
      ? ` (target: ${TARGET_ROOM_SIZE}: ${verdict(passed.includes(TARGET_ROOM_SIZE))})`
      : '';
    print(`Largest room with update and cursor p99 ≤ ${LATENCY_LIMIT_MS} ms, ${label(target.name)}: ${best === null ? 'none of the sizes run' : best}${note}`);
  }
  const clientBound = rows.filter((row) => row.clientBusyMax > 0.85 || row.cursorsSkippedShare > 0.01);
  if (clientBound.length > 0) {
    const which = clientBound.map((row) => `${row.size} ${label(row.target)} (busiest ${fmt(row.clientBusyMax * 100)} %, ${fmt(row.cursorsSkippedShare * 100, 1)} % of moves late)`);
    print(`WARNING: a client process was near a full core or sent over 1 % of its cursor moves a period late in: ${which.join(', ')};`);
    print('those rows may be bound by the clients (or by the machine they share with the server); try --classroom-workers.');
  }
  const other = Math.max(...rows.map((row) => row.otherBusy));
  if (other > 0.25) print(`WARNING: other processes used up to ${fmt(other, 2)} cores during some runs; those figures are noisy.`);
  print('');
  return rows;
}
