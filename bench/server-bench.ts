/**
 * `npm run bench`: Easel's server against the reference y-websocket server (1.5.4, y-leveldb),
 * both as child processes on this machine, driven by stock y-websocket providers in forked client
 * processes. Prints figures next to the targets of issues 6 and 13; it is a benchmark, not a test.
 *
 *   throughput  R rooms × C clients × U stroke updates, a few rounds, medians: delivered updates
 *               per second, fan-out latency, server CPU per 1,000 updates, server peak RSS
 *   serverbound the same saturation with protocol-level clients that keep no Y.Doc (pre-encoded
 *               updates, receivers read only markers: bench/wire-worker.ts), so the server is the
 *               bottleneck, not the clients: Easel against the reference and the bare relay, with
 *               the client processes' CPU beside every figure (bench/serverbound.ts)
 *   classroom   one room of 25…300 such clients, every cursor at 30 Hz and a quarter drawing at
 *               20 Hz: update and cursor p99, server and client CPU per size, and the largest
 *               room within 100 ms p99 for each server (bench/classroom.ts)
 *   cold        rooms of 10,000 stored updates: connect → synced after a restart, and Easel's
 *               Room.load on an uncompacted log
 *   idle        server RSS with 1,000 idle connections over 100 rooms
 *   redis       Easel on one Redis: one process against two, clients spread over both processes
 *               (a load balancer) and rooms kept on one process (affinity); capacity figures
 *
 * Options: --help. A server CPU profile: --cpu-prof <dir>, then tsx bench/profile-summary.ts.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startRedis } from '../tests/helpers/redis.ts';
import { COLD_ROOMS, measureEndToEndLoad, measureRoomLoad, type EndToEndLoad } from './cold-load.ts';
import { measureIdleConnections, type IdleResult } from './idle.ts';
import { memory } from './proc.ts';
import { fmt, mb, median, ratio, table, verdict } from './stats.ts';
import { REDIS_TARGETS, TARGETS, type BenchTarget } from './targets.ts';
import { runRound, type PhaseResult, type Placement, type RoundResult } from './throughput.ts';
import { serverboundSection } from './serverbound.ts';
import { classroomSection } from './classroom.ts';

/** Issue 13's classroom sweep. */
const CLASSROOM_SIZES = [25, 50, 100, 150, 200, 300] as const;
/**
 * A server whose classroom p99 passed this at one size has fallen behind for good (its queues
 * grow with every second): larger sizes would only take time and memory.
 */
const CLASSROOM_SKIP_ABOVE_MS = 1_000;

const SECTIONS = ['throughput', 'serverbound', 'classroom', 'cold', 'idle', 'redis'] as const;
const USAGE = `Usage: npm run bench -- [options]

  --only <names>          comma-separated targets (${Object.keys(TARGETS).join(', ')}); default all
                          (the redis section always runs ${Object.keys(REDIS_TARGETS).join(' and ')}); ceiling
                          is the bare relay, which only throughput, serverbound and classroom run
  --sections <names>      comma-separated: ${SECTIONS.join(', ')} (default all)
  --rounds <n>            throughput rounds, medians reported (default 3)
  --rooms <n>             rooms (default 8)
  --clients <n>           clients per room (default 4)
  --updates <n>           updates per client in the saturation phase (default 400)
  --window <n>            saturation: updates in flight per client (default 8)
  --workers <n>           client processes (default 1)
  --warmup <n>            updates per client in the unmeasured warm-up (default 50)
  --paced-rate <n>        paced phase: updates per second per client (default 10)
  --paced-updates <n>     paced phase: updates per client (default 50)
  --cold-updates <n>      stored updates of the cold-load room (default 10000)
  --cold-reps <n>         restarts (and Room.load copies) measured (default 2)
  --idle-connections <n>  idle connections (default 1000)
  --idle-rooms <n>        rooms they spread over (default 100)
  --redis-rounds <n>      redis section: rounds, medians reported (default 3)
  --redis-rooms <n>       redis section: rooms (default 32)
  --redis-clients <n>     redis section: clients per room (default 4)
  --redis-updates <n>     redis section: updates per client in the saturation phase (default 120)
  --redis-workers <n>     redis section: client processes (default 1)
  --wire-updates <n>      serverbound: updates per client (default 1000; its clients are cheap, so
                          a run lasts seconds even against the relay)
  --wire-workers <n>      serverbound: client processes (default 2); it shares --rounds, --window and
                          --warmup with the throughput section
  --wire-shapes <list>    serverbound: room shapes run one after the other, rooms x clients each
                          (default 8x4,2x16: small rooms, as the throughput section's, and busy ones)
  --classroom-sizes <list>
                          classroom: room sizes (default ${CLASSROOM_SIZES.join(',')})
  --classroom-seconds <n> classroom: measured seconds per size (default 10)
  --classroom-warmup-seconds <n>
                          classroom: unmeasured seconds before them (default 1)
  --classroom-grace-seconds <n>
                          classroom: how long to wait after the last send for late updates (default 5)
  --classroom-workers <n> classroom: client processes (default 2)
  --classroom-all         classroom: every size, even for a server that fell behind at a smaller one
  --classroom-echo        classroom: clients send each awareness message they get back, as stock
                          y-websocket providers (Easel's client among them) do
  --cursor-hz <n>         classroom: cursor moves per second per client (default 30)
  --stroke-hz <n>         classroom: updates per second per drawing client (default 20)
  --drawing-percent <n>   classroom: per cent of the clients that draw (default 25)
  --noisy-retries <n>     serverbound, classroom: run again (at most n times) a run during which other
                          processes used over 0.3 cores, and keep the quietest (default 2)
  --seed <n>              stroke PRNG seed (default 1)
  --cpu-prof <dir>        write a CPU profile of every throughput, serverbound, classroom and redis
                          server into <dir>
`;

/** Issue 6's targets. */
const TARGET_THROUGHPUT_RATIO = 1.5;
/**
 * serverbound's room shapes: small rooms, where each update goes to 3 peers and a relay that
 * forwards frames does almost nothing per delivery, and busy rooms, where a tick brings each peer
 * many updates and merging them is what a relay lacks.
 */
const DEFAULT_WIRE_SHAPES = '8x4,2x16';
const TARGET_COLD_LOAD_MS = 50;
const TARGET_IDLE_RSS_BYTES = 300e6;
/** Two processes on one Redis deliver at least as much as one, on this machine. */
const TARGET_SCALE_OUT_RATIO = 1.0;

/**
 * The redis section's short warm-up and paced phases (updates per client; the paced rate per
 * client): its many clients make the throughput section's defaults too long for ~1 minute.
 */
const REDIS_WARMUP_UPDATES = 10;
const REDIS_PACED_RATE = 4;
const REDIS_PACED_UPDATES = 8;

type Section = (typeof SECTIONS)[number];

function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function count(values: Record<string, string | boolean | undefined>, name: string, fallback: number, min = 1): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`--${name} must be a whole number ≥ ${min}, got "${String(raw)}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function list<T extends string>(raw: string | undefined, allowed: readonly T[], what: string): T[] {
  if (raw === undefined) return [...allowed];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) {
      process.stderr.write(`unknown ${what} "${name}" (one of ${allowed.join(', ')})\n`);
      process.exit(2);
    }
  }
  return names as T[];
}

function percent(value: number): number {
  if (value > 100) {
    process.stderr.write(`--drawing-percent must be at most 100, got ${value}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

/** The serverbound room shapes: comma-separated rooms x clients, at least 2 clients a room. */
function shapes(raw: string | undefined): Array<{ rooms: number; clients: number }> {
  const text = raw ?? DEFAULT_WIRE_SHAPES;
  const parsed = text.split(',').map((shape) => /^\s*(\d+)x(\d+)\s*$/.exec(shape));
  if (parsed.length === 0 || parsed.some((match) => match === null || Number(match[1]) < 1 || Number(match[2]) < 2)) {
    process.stderr.write(`--wire-shapes must be comma-separated rooms x clients (such as 8x4,2x16), got "${text}"\n\n${USAGE}`);
    process.exit(2);
  }
  return parsed.map((match) => ({ rooms: Number(match![1]), clients: Number(match![2]) }));
}

/** The classroom sizes: comma-separated whole numbers ≥ 2. */
function sizes(raw: string | undefined): number[] {
  if (raw === undefined) return [...CLASSROOM_SIZES];
  const values = raw.split(',').map((value) => Number(value.trim()));
  if (values.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value < 2)) {
    process.stderr.write(`--classroom-sizes must be comma-separated whole numbers ≥ 2, got "${raw}"\n\n${USAGE}`);
    process.exit(2);
  }
  return values;
}

function parse() {
  const stringOptions = [
    'only', 'sections', 'rounds', 'rooms', 'clients', 'updates', 'window', 'workers', 'warmup', 'paced-rate',
    'paced-updates', 'cold-updates', 'cold-reps', 'idle-connections', 'idle-rooms', 'seed', 'cpu-prof',
    'redis-rounds', 'redis-rooms', 'redis-clients', 'redis-updates', 'redis-workers', 'wire-workers', 'wire-updates',
    'wire-shapes', 'classroom-sizes', 'classroom-seconds', 'classroom-warmup-seconds', 'classroom-grace-seconds', 'classroom-workers',
    'cursor-hz', 'stroke-hz', 'drawing-percent', 'noisy-retries',
  ] as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        ...Object.fromEntries(stringOptions.map((name) => [name, { type: 'string' as const }])),
        'classroom-all': { type: 'boolean' },
        'classroom-echo': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  return {
    targets: list(values.only as string | undefined, Object.keys(TARGETS), 'target').map((name) => TARGETS[name]!),
    sections: list(values.sections as string | undefined, SECTIONS, 'section'),
    rounds: count(values, 'rounds', 3),
    rooms: count(values, 'rooms', 8),
    clients: count(values, 'clients', 4, 2),
    updates: count(values, 'updates', 400),
    window: count(values, 'window', 8),
    workers: count(values, 'workers', 1),
    warmup: count(values, 'warmup', 50),
    pacedRate: count(values, 'paced-rate', 10),
    pacedUpdates: count(values, 'paced-updates', 50),
    coldUpdates: count(values, 'cold-updates', 10_000),
    coldReps: count(values, 'cold-reps', 2),
    idleConnections: count(values, 'idle-connections', 1_000),
    idleRooms: count(values, 'idle-rooms', 100),
    redisRounds: count(values, 'redis-rounds', 3),
    redisRooms: count(values, 'redis-rooms', 32),
    redisClients: count(values, 'redis-clients', 4, 2),
    // Long enough that each fresh process spends the phase at steady state: at 40 the 2-process
    // variants measured mostly their second process's JIT warm-up (+30% server CPU per update).
    redisUpdates: count(values, 'redis-updates', 120),
    redisWorkers: count(values, 'redis-workers', 1),
    wireWorkers: count(values, 'wire-workers', 2),
    wireShapes: shapes(values['wire-shapes'] as string | undefined),
    wireUpdates: count(values, 'wire-updates', 1_000),
    classroomSizes: sizes(values['classroom-sizes'] as string | undefined),
    classroomSeconds: count(values, 'classroom-seconds', 10),
    classroomWarmupSeconds: count(values, 'classroom-warmup-seconds', 1, 0),
    classroomGraceSeconds: count(values, 'classroom-grace-seconds', 5),
    classroomWorkers: count(values, 'classroom-workers', 2),
    classroomAll: values['classroom-all'] === true,
    classroomEcho: values['classroom-echo'] === true,
    cursorHz: count(values, 'cursor-hz', 30),
    strokeHz: count(values, 'stroke-hz', 20, 0),
    drawingPercent: percent(count(values, 'drawing-percent', 25, 0)),
    noisyRetries: count(values, 'noisy-retries', 2, 0),
    seed: count(values, 'seed', 1, 0),
    cpuProf: values['cpu-prof'] as string | undefined,
  };
}

type Options = ReturnType<typeof parse>;

/** The median of one figure over rounds. */
function med(rounds: readonly RoundResult[], pick: (round: RoundResult) => number): number {
  return median(rounds.map(pick));
}

function phaseLine(name: string, round: number, phase: PhaseResult, label: string, width = 9): string {
  const incomplete = phase.delivered < phase.expected ? ` INCOMPLETE ${phase.delivered}/${phase.expected}` : '';
  const backing = phase.backingCpuSeconds > 0 ? ` · redis ${fmt(phase.backingCpuMsPerThousand)} ms CPU/1k, busy ${fmt(phase.backingBusy, 2)}` : '';
  return (
    `  round ${round} ${name.padEnd(width)} ${label.padEnd(10)} ${fmt(phase.deliveredPerSecond).padStart(7)} deliveries/s in ${fmt(phase.wallMs / 1000, 1)} s · ` +
    `p50/p95/p99 ${fmt(phase.p50, 1)}/${fmt(phase.p95, 1)}/${fmt(phase.p99, 1)} ms · server ${fmt(phase.serverCpuMsPerThousand)} ms CPU/1k, ` +
    `busy ${fmt(phase.serverBusy, 2)}${backing} · clients busy ${fmt(phase.clientBusy, 2)} · other load ${fmt(phase.otherBusy, 2)} cores${incomplete}`
  );
}

async function throughputSection(options: Options): Promise<void> {
  const { rooms, clients, updates, window, workers } = options;
  print(`## Throughput: ${rooms} rooms × ${clients} clients × ${updates} updates, ${options.rounds} rounds (medians)`);
  print(`Each update: one new ink shape (48–192 numbers in its points array) in one transaction, through a stock`);
  print(`WebsocketProvider. Saturation: closed loop, ≤ ${window} updates in flight per client. Paced: ${options.pacedRate} updates/s`);
  print(`per client (${fmt(rooms * clients * (clients - 1) * options.pacedRate)} deliveries/s offered). ${workers} client process(es); a fresh server per round.`);
  print('');
  const results = new Map<string, RoundResult[]>(options.targets.map((target) => [target.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate the order, so neither server always runs first (or on a warmer machine).
    const order = round % 2 === 1 ? options.targets : [...options.targets].reverse();
    for (const target of order) {
      const result = await runRound(target, {
        workload: { rooms, clients, updates, window, workers, seed: options.seed, timeoutMs: 120_000 },
        warmupUpdates: options.warmup,
        pacedRate: options.pacedRate,
        pacedUpdates: options.pacedUpdates,
        round,
        ...(options.cpuProf === undefined ? {} : { profileDir: options.cpuProf }),
      });
      results.get(target.name)!.push(result);
      print(phaseLine(target.name, round, result.paced, 'paced'));
      print(phaseLine(target.name, round, result.saturation, 'saturation'));
      for (const problem of [...result.saturation.problems, ...result.paced.problems].slice(0, 5)) print(`    problem: ${problem}`);
    }
  }
  print('');
  const names = options.targets.map((target) => target.name);
  const easel = results.get('easel');
  const reference = results.get('reference');
  const both = easel !== undefined && reference !== undefined;
  const rows: string[][] = [['', ...names, ...(both ? ['easel/ref'] : []), 'target']];
  const row = (label: string, pick: (round: RoundResult) => number, digits: number, target = '', withRatio = true): void => {
    const cells = names.map((name) => fmt(med(results.get(name)!, pick), digits));
    const r = both ? [withRatio ? ratio(med(easel, pick), med(reference, pick)) : ''] : [];
    rows.push([label, ...cells, ...r, target]);
  };
  const sat = (pick: (phase: PhaseResult) => number) => (round: RoundResult) => pick(round.saturation);
  const paced = (pick: (phase: PhaseResult) => number) => (round: RoundResult) => pick(round.paced);
  const throughputRatio = both ? med(easel, sat((p) => p.deliveredPerSecond)) / med(reference, sat((p) => p.deliveredPerSecond)) : Number.NaN;
  const capacityRatio = both
    ? med(easel, sat((p) => p.deliveredPerServerCpuSecond)) / med(reference, sat((p) => p.deliveredPerServerCpuSecond))
    : Number.NaN;
  const p99Ok = both && med(easel, sat((p) => p.p99)) <= med(reference, sat((p) => p.p99));
  const pacedP99Ok = both && med(easel, paced((p) => p.p99)) <= med(reference, paced((p) => p.p99));
  const mark = (ok: boolean, text: string): string => (both ? `${text}: ${verdict(ok)}` : text);
  row('saturation: delivered updates/s', sat((p) => p.deliveredPerSecond), 0, mark(throughputRatio >= TARGET_THROUGHPUT_RATIO, `≥ ${TARGET_THROUGHPUT_RATIO}× reference (${fmt(throughputRatio, 3)}×)`));
  row('  fan-out latency p50 ms', sat((p) => p.p50), 1);
  row('  fan-out latency p95 ms', sat((p) => p.p95), 1);
  row('  fan-out latency p99 ms', sat((p) => p.p99), 1, mark(p99Ok, '≤ reference'));
  row('  server CPU ms / 1k updates', sat((p) => p.serverCpuMsPerThousand), 0);
  row('  deliveries per server CPU-second', sat((p) => p.deliveredPerServerCpuSecond), 0, mark(capacityRatio >= TARGET_THROUGHPUT_RATIO, `≥ ${TARGET_THROUGHPUT_RATIO}× reference (${fmt(capacityRatio, 3)}×)`));
  row('  server busy (cores)', sat((p) => p.serverBusy), 2, '', false);
  row('  clients busy (cores)', sat((p) => p.clientBusy), 2, '', false);
  row('  other load on the machine (cores)', sat((p) => p.otherBusy), 2, '', false);
  row('paced: fan-out latency p50 ms', paced((p) => p.p50), 1);
  row('  fan-out latency p95 ms', paced((p) => p.p95), 1);
  row('  fan-out latency p99 ms', paced((p) => p.p99), 1, mark(pacedP99Ok, '≤ reference'));
  row('  server CPU ms / 1k updates', paced((p) => p.serverCpuMsPerThousand), 0);
  row('server peak RSS MB (VmHWM, whole round)', (round) => round.serverPeakRss / 1e6, 1);
  print(table(rows));
  const other = Math.max(...[...results.values()].flat().flatMap((round) => [round.saturation.otherBusy, round.paced.otherBusy]));
  if (other > 0.25) print(`\nWARNING: other processes used up to ${fmt(other, 2)} cores during some phases; those figures are noisy.`);
  print('');
  print('Delivered updates/s counts each update once per other client of its room. On this 2-core machine the clients');
  print('(stock providers, each applying every update to its own Y.Doc) need about as much CPU per update as a server,');
  print('so delivered/s is bounded by the whole machine; "deliveries per server CPU-second" is the server\'s own');
  print('capacity per core (delivered / server CPU time), the figure that does not depend on the clients.');
  const ceiling = results.get('ceiling');
  if (ceiling !== undefined && reference !== undefined) {
    const most = med(ceiling, sat((p) => p.deliveredPerSecond));
    const ref = med(reference, sat((p) => p.deliveredPerSecond));
    print('');
    print(`Ceiling: the bare relay (no Yjs, no storage) delivered ${fmt(most)} updates/s, ${fmt(most / ref, 2)}× the reference: no server`);
    print(`that relays each update as it comes can deliver more with these clients on this machine, so the ${TARGET_THROUGHPUT_RATIO}× target`);
    print(`(${fmt(TARGET_THROUGHPUT_RATIO * ref)}/s) is ${most >= TARGET_THROUGHPUT_RATIO * ref ? 'within' : 'beyond'} reach here for such a server.`);
    if (easel !== undefined) print(`Easel delivered ${fmt((100 * med(easel, sat((p) => p.deliveredPerSecond))) / most)} % of the ceiling.`);
  }
  print('');
}

/** The targets that are servers (the ceiling only calibrates the throughput section). */
function servers(options: Options): BenchTarget[] {
  return options.targets.filter((target) => !target.throughputOnly);
}

async function coldSection(options: Options): Promise<void> {
  const n = fmt(options.coldUpdates);
  print(`## Cold load: rooms of ${n} stored updates (${options.coldReps} runs each, medians)`);
  for (const room of COLD_ROOMS) print(`${room.name.padEnd(13)} ${room.description}`);
  const loads: EndToEndLoad[] = [];
  for (const target of servers(options)) loads.push(await measureEndToEndLoad(target, { updates: options.coldUpdates, reps: options.coldReps, seed: options.seed }));
  const roomLoads = options.targets.some((target) => target.name === 'easel') ? await measureRoomLoad({ updates: options.coldUpdates, reps: options.coldReps, seed: options.seed }) : [];
  const under = (ms: number): string => `< ${TARGET_COLD_LOAD_MS} ms: ${verdict(ms < TARGET_COLD_LOAD_MS)}`;
  const runs = (values: readonly number[]): string => values.map((ms) => fmt(ms, 0)).join(', ');
  const rows: string[][] = [['', 'median ms', 'runs ms', 'doc MB', 'target']];
  for (const load of loads) {
    for (const { room, fullMs, syncedMs, answerMs, docBytes } of load.rooms) {
      const full = median(fullMs);
      rows.push([`${load.target} ${room.name}: restart, connect → all updates in the client doc`, fmt(full, 1), runs(fullMs), mb(docBytes), load.target === 'easel' ? under(full) : '']);
      rows.push([`${load.target} ${room.name}:   connect → provider 'sync' event`, fmt(median(syncedMs), 1), runs(syncedMs), '', '']);
      if (answerMs.length > 0) {
        const answer = median(answerMs);
        rows.push([`${load.target} ${room.name}:   raw socket: connect → sync answer received`, fmt(answer, 1), runs(answerMs), '', load.target === 'easel' ? under(answer) : '']);
      }
    }
  }
  for (const load of roomLoads) {
    const total = median(load.totalMs);
    rows.push([`easel ${load.room.name}: Room.load of ${fmt(load.entries)} uncompacted entries (server only)`, fmt(total, 1), runs(load.totalMs), '', under(total)]);
    rows.push([`easel ${load.room.name}:   of which reading the log from LevelDB`, fmt(median(load.readMs), 1), runs(load.readMs), '', '']);
  }
  print(table(rows));
  print('A small room is loaded after each restart first, so these are cold rooms on a warm process. The end-to-end time');
  print('includes the client decoding the whole document. The reference answers sync before it has loaded the room (its');
  print('store load is not awaited), so its "sync" comes early and empty; its full time is what a user waits for.');
  print('');
}

/** What a user can plan a deployment from; each section fills in what it measured. */
interface Capacity {
  /** Idle connections one GB of Easel's memory holds (idle section, Easel on LevelDB). */
  connectionsPerGb?: number;
  /** Delivered updates/s per busy server core, per redis variant (redis section). */
  updatesPerCore?: Array<{ label: string; value: number }>;
  /** Delivered updates/s per busy Redis core, per redis variant. */
  updatesPerRedisCore?: Array<{ label: string; value: number }>;
}

/** Connections per GB of the memory they added to the server (RSS settled − RSS before). */
function connectionsPerGb(result: IdleResult): number {
  const added = result.rss - result.baselineRss;
  return added > 0 ? result.connections / (added / 1e9) : Number.NaN;
}

async function idleSection(options: Options): Promise<Capacity> {
  print(`## Idle connections: ${fmt(options.idleConnections)} raw y-websocket handshakes over ${options.idleRooms} rooms`);
  const results: IdleResult[] = [];
  for (const target of servers(options)) results.push(await measureIdleConnections(target, { connections: options.idleConnections, rooms: options.idleRooms }));
  const rows: string[][] = [['', 'RSS before MB', 'RSS settled MB', 'peak RSS MB', 'KB / connection', 'connections / GB', 'target']];
  for (const result of results) {
    const target = result.target === 'easel' ? `< ${mb(TARGET_IDLE_RSS_BYTES)} MB: ${verdict(result.peakRss < TARGET_IDLE_RSS_BYTES)}` : '';
    const perConnection = (result.rss - result.baselineRss) / result.connections / 1e3;
    rows.push([result.target, mb(result.baselineRss), mb(result.rss), mb(result.peakRss), fmt(perConnection, 1), fmt(connectionsPerGb(result)), target]);
  }
  print(table(rows));
  print(`Connections / GB = connections ÷ (RSS settled − RSS before) in GB (10^9 bytes): idle sockets with their presence,`);
  print(`${options.idleRooms} small rooms loaded; boards with content add their documents on top.`);
  print('');
  const easel = results.find((result) => result.target === 'easel');
  return easel === undefined ? {} : { connectionsPerGb: connectionsPerGb(easel) };
}

/** One configuration of the redis section. */
interface RedisVariant {
  readonly label: string;
  readonly target: BenchTarget;
  readonly placement: Placement;
  /** Part of the room names, so no run meets another's rooms in the shared Redis. */
  readonly key: string;
}

const REDIS_VARIANTS: readonly RedisVariant[] = [
  { label: '1 process', target: REDIS_TARGETS['easel-redis-1']!, placement: 'target', key: 'r1' },
  { label: '2 processes, spread', target: REDIS_TARGETS['easel-redis-2']!, placement: 'target', key: 'r2s' },
  { label: '2 processes, affinity', target: REDIS_TARGETS['easel-redis-2']!, placement: 'room', key: 'r2a' },
];

/** The redis-server's pid, from INFO (the test helper does not hand it out). */
async function redisPid(admin: Redis): Promise<number> {
  const info = await admin.info('server');
  const match = /^process_id:(\d+)/m.exec(info);
  if (!match) throw new Error('redis INFO has no process_id');
  return Number(match[1]);
}

async function redisSection(options: Options): Promise<Capacity> {
  const { redisRooms: rooms, redisClients: clients, redisUpdates: updates, redisWorkers: workers, window } = options;
  print(`## Redis scale-out: ${rooms} rooms × ${clients} clients × ${updates} updates, ${options.redisRounds} rounds (medians)`);
  print(`One redis-server (appendonly yes, everysec) for the whole section, flushed before each run; Easel with --redis, fresh`);
  print(`processes per run. Variants: 1 process; 2 processes with client i on process i mod 2 (a round-robin load balancer:`);
  print(`every room has clients on both); 2 processes with every client of room r on process r mod 2 (room affinity).`);
  print(`Same phases as the throughput section: warm-up ${REDIS_WARMUP_UPDATES} updates per client, paced ${REDIS_PACED_RATE} updates/s per client`);
  print(`(${fmt(rooms * clients * (clients - 1) * REDIS_PACED_RATE)} deliveries/s offered) × ${REDIS_PACED_UPDATES}, saturation closed loop ≤ ${window} in flight. ${workers} client process(es).`);
  print('');
  const redis = await startRedis();
  const admin = new Redis(redis.url, { protocol: 2 });
  const results = new Map<RedisVariant, RoundResult[]>(REDIS_VARIANTS.map((variant) => [variant, []]));
  let redisPeakRss = Number.NaN;
  try {
    const pid = await redisPid(admin);
    const width = Math.max(...REDIS_VARIANTS.map((variant) => variant.label.length));
    for (let round = 1; round <= options.redisRounds; round++) {
      // Rotate the order, so each variant runs first (on the least warm Redis) in some round.
      const shift = (round - 1) % REDIS_VARIANTS.length;
      const order = [...REDIS_VARIANTS.slice(shift), ...REDIS_VARIANTS.slice(0, shift)];
      for (const variant of order) {
        await admin.flushall();
        const result = await runRound(variant.target, {
          workload: { rooms, clients, updates, window, workers, seed: options.seed, timeoutMs: 120_000 },
          warmupUpdates: REDIS_WARMUP_UPDATES,
          pacedRate: REDIS_PACED_RATE,
          pacedUpdates: REDIS_PACED_UPDATES,
          round,
          redisUrl: redis.url,
          backingPids: [pid],
          placement: variant.placement,
          label: variant.key,
          ...(options.cpuProf === undefined ? {} : { profileDir: options.cpuProf }),
        });
        results.get(variant)!.push(result);
        print(phaseLine(variant.label, round, result.paced, 'paced', width));
        print(phaseLine(variant.label, round, result.saturation, 'saturation', width));
        for (const problem of [...result.saturation.problems, ...result.paced.problems].slice(0, 5)) print(`    problem: ${problem}`);
      }
    }
    redisPeakRss = (await memory(pid)).peakRss;
  } finally {
    await admin.quit().catch(() => admin.disconnect());
    await redis.close();
  }
  print('');
  const single = results.get(REDIS_VARIANTS[0]!)!;
  const rows: string[][] = [['', ...REDIS_VARIANTS.map((variant) => variant.label), 'target']];
  const row = (label: string, pick: (round: RoundResult) => number, digits: number, target = ''): void => {
    rows.push([label, ...REDIS_VARIANTS.map((variant) => fmt(med(results.get(variant)!, pick), digits)), target]);
  };
  const sat = (pick: (phase: PhaseResult) => number) => (round: RoundResult) => pick(round.saturation);
  const paced = (pick: (phase: PhaseResult) => number) => (round: RoundResult) => pick(round.paced);
  const delivered = sat((p) => p.deliveredPerSecond);
  const scale = REDIS_VARIANTS.map((variant) => med(results.get(variant)!, delivered) / med(single, delivered));
  const verdicts = REDIS_VARIANTS.slice(1).map((variant, i) => `${variant.label.replace('2 processes, ', '')} ${verdict(scale[i + 1]! >= TARGET_SCALE_OUT_RATIO)}`);
  row('saturation: delivered updates/s', delivered, 0);
  rows.push(['  ÷ 1 process', ...scale.map((value, i) => (i === 0 ? '' : `${fmt(value, 2)}×`)), `≥ ${fmt(TARGET_SCALE_OUT_RATIO, 1)}×: ${verdicts.join(', ')}`]);
  row('  fan-out latency p50 ms', sat((p) => p.p50), 1);
  row('  fan-out latency p95 ms', sat((p) => p.p95), 1);
  row('  fan-out latency p99 ms', sat((p) => p.p99), 1);
  row('  server CPU ms / 1k updates (all processes)', sat((p) => p.serverCpuMsPerThousand), 0);
  row('  Redis CPU ms / 1k updates', sat((p) => p.backingCpuMsPerThousand), 0);
  row('  delivered updates/s per server core', sat((p) => p.deliveredPerServerCpuSecond), 0);
  row('  delivered updates/s per Redis core', sat((p) => p.deliveredPerSecond / p.backingBusy), 0);
  row('  server busy (cores, all processes)', sat((p) => p.serverBusy), 2);
  row('  Redis busy (cores)', sat((p) => p.backingBusy), 2);
  row('  clients busy (cores)', sat((p) => p.clientBusy), 2);
  row('  other load on the machine (cores)', sat((p) => p.otherBusy), 2);
  row('paced: fan-out latency p50 ms', paced((p) => p.p50), 1);
  row('  fan-out latency p95 ms', paced((p) => p.p95), 1);
  row('  fan-out latency p99 ms', paced((p) => p.p99), 1);
  row('  server CPU ms / 1k updates (all processes)', paced((p) => p.serverCpuMsPerThousand), 0);
  row('server peak RSS MB (VmHWM, sum of processes)', (round) => round.serverPeakRss / 1e6, 1);
  row('  largest process', (round) => round.serverPeakRssMax / 1e6, 1);
  print(table(rows));
  print(`Redis peak RSS over the section: ${mb(redisPeakRss)} MB.`);
  const other = Math.max(...[...results.values()].flat().flatMap((round) => [round.saturation.otherBusy, round.paced.otherBusy]));
  if (other > 0.25) print(`\nWARNING: other processes used up to ${fmt(other, 2)} cores during some phases; those figures are noisy.`);
  print('');
  print('Spread, every room is loaded on both processes: each applies every update of the room to its own Y.Doc (one from');
  print('its clients, the other from its XREAD of the room\'s stream) and relays it to its clients, so the room\'s CPU is');
  print('paid twice. With affinity each room lives on one process, as with one process split in two. Server, Redis and');
  print(`the ${workers} client process(es) share ${cpus().length} cores here, so delivered/s is bounded by the whole machine; the figures per`);
  print('core are the ones to plan a cluster with.');
  print('');
  const perCore = (pick: (phase: PhaseResult) => number) =>
    REDIS_VARIANTS.map((variant) => ({ label: variant.label, value: med(results.get(variant)!, sat(pick)) }));
  return {
    updatesPerCore: perCore((p) => p.deliveredPerServerCpuSecond),
    updatesPerRedisCore: perCore((p) => p.deliveredPerSecond / p.backingBusy),
  };
}

function printCapacity(capacity: Capacity): void {
  if (capacity.connectionsPerGb === undefined && capacity.updatesPerCore === undefined) return;
  print('## Capacity planning');
  if (capacity.updatesPerCore !== undefined) {
    const list = (figures: ReadonlyArray<{ label: string; value: number }>): string => figures.map((f) => `${fmt(f.value)} (${f.label})`).join(', ');
    print(`Delivered updates/s per busy server core, Easel on Redis: ${list(capacity.updatesPerCore)}.`);
    print(`Delivered updates/s per busy Redis core: ${list(capacity.updatesPerRedisCore ?? [])}.`);
    print('A delivered update is one update reaching one other client; a room of C active clients delivers C − 1 per update.');
  }
  if (capacity.connectionsPerGb !== undefined) {
    print(`Idle connections per GB of server memory (Easel on LevelDB, idle section): ${fmt(capacity.connectionsPerGb)}.`);
  }
  print('');
}

async function main(): Promise<void> {
  const options = parse();
  const started = performance.now();
  print(`# Easel server benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`);
  const compared = options.sections.some((section) => section !== 'redis') ? options.targets : [];
  const scaled = options.sections.includes('redis') ? Object.values(REDIS_TARGETS) : [];
  for (const target of [...compared, ...scaled]) print(`${target.name.padEnd(13)} ${(target as BenchTarget).description}`);
  print('');
  const run: Record<Section, (options: Options) => Promise<Capacity | void>> = {
    throughput: throughputSection,
    serverbound: async (options) => {
      for (const { rooms, clients } of options.wireShapes) {
        await serverboundSection(
          {
            targets: options.targets,
            rounds: options.rounds,
            rooms,
            clients,
            updates: options.wireUpdates,
            window: options.window,
            warmup: options.warmup,
            workers: options.wireWorkers,
            retries: options.noisyRetries,
            seed: options.seed,
            ...(options.cpuProf === undefined ? {} : { profileDir: options.cpuProf }),
          },
          print,
        );
      }
    },
    classroom: async (options) => {
      await classroomSection(
        {
          targets: options.targets,
          sizes: options.classroomSizes,
          durationMs: options.classroomSeconds * 1000,
          warmupMs: options.classroomWarmupSeconds * 1000,
          graceMs: options.classroomGraceSeconds * 1000,
          cursorHz: options.cursorHz,
          strokeHz: options.strokeHz,
          drawingPercent: options.drawingPercent,
          workers: options.classroomWorkers,
          echoAwareness: options.classroomEcho,
          retries: options.noisyRetries,
          skipAboveMs: options.classroomAll ? 0 : CLASSROOM_SKIP_ABOVE_MS,
          seed: options.seed,
          ...(options.cpuProf === undefined ? {} : { profileDir: options.cpuProf }),
        },
        print,
      );
    },
    cold: coldSection,
    idle: idleSection,
    redis: redisSection,
  };
  let capacity: Capacity = {};
  for (const section of SECTIONS) {
    if (!options.sections.includes(section)) continue;
    const sectionStarted = performance.now();
    capacity = { ...capacity, ...(await run[section](options)) };
    print(`(${section}: ${fmt((performance.now() - sectionStarted) / 1000, 0)} s)`);
    print('');
  }
  printCapacity(capacity);
  print(`Done in ${fmt((performance.now() - started) / 1000, 0)} s.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
