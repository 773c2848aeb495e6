/**
 * `npm run bench:fuzz`: the seeded convergence fuzz of tests/helpers/convergence.ts over many
 * seeds, one after another (each run uses a server process and several clients). Prints a line
 * per seed and a summary; for a failing seed, what went wrong and how to pin it as a test.
 * Exits 1 if any seed failed.
 */
import { parseArgs } from 'node:util';
import { ConvergenceError, formatSeed, runConvergence, type ConvergenceOptions, type ConvergenceResult } from '../tests/helpers/convergence.ts';
import { EDIT_KINDS } from '../tests/helpers/shape-edits.ts';

const USAGE = `Usage: npm run bench:fuzz -- [options]

  --seeds <n>              seeds to run (default 50)
  --from <seed>            first seed, decimal or 0x hex; the others follow it (default 1)
  --clients <n>            clients per run (default 4)
  --steps <n>              steps per run (default 40)
  --kills <n>              kill -9s of the server during a run (default 2; one more ends each run)
  --write-interval-ms <n>  run the server with --write-interval-ms <n> (default: its own default)
  --verbose                print every run's trace
`;

function count(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min}, not ${JSON.stringify(value)}`);
  return n;
}

function readOptions(): { seeds: number; from: number; run: Omit<ConvergenceOptions, 'seed'>; verbose: boolean } | null {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string' },
      from: { type: 'string' },
      clients: { type: 'string' },
      steps: { type: 'string' },
      kills: { type: 'string' },
      'write-interval-ms': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  const writeInterval = values['write-interval-ms'];
  return {
    seeds: count('seeds', values.seeds, 50, 1),
    from: count('from', values.from, 1, 0),
    verbose: values.verbose === true,
    run: {
      clients: count('clients', values.clients, 4, 1),
      steps: count('steps', values.steps, 40, 1),
      kills: count('kills', values.kills, 2, 0),
      serverArgs: writeInterval === undefined ? [] : ['--write-interval-ms', String(count('write-interval-ms', writeInterval, 0, 0))],
    },
  };
}

function describe(result: ConvergenceResult): string {
  const edits = EDIT_KINDS.map((kind) => `${kind} ${result.edits[kind]}`).join(', ');
  return [
    `${(result.elapsedMs / 1000).toFixed(1)} s`,
    `edits: ${edits}`,
    `kills ${result.kills}`,
    `offline spells ${result.offlineSpells}`,
    `blips ${result.blips}`,
    `acks ${result.acks}`,
    `shapes ${result.shapes}`,
    `compactions ${result.compactions}`,
    `digest ${result.digest}`,
  ].join(' · ');
}

/** What to add to tests/integration/convergence.test.ts, and how to rerun the seed alone. */
function pinAdvice(seed: number, run: Omit<ConvergenceOptions, 'seed'>): string {
  const options = JSON.stringify({ clients: run.clients, steps: run.steps, kills: run.kills, ...(run.serverArgs?.length ? { serverArgs: run.serverArgs } : {}) });
  const flags = [`--from ${formatSeed(seed)} --seeds 1 --clients ${run.clients} --steps ${run.steps} --kills ${run.kills}`];
  if (run.serverArgs?.length) flags.push(run.serverArgs.join(' '));
  return [
    `  rerun it alone: npm run bench:fuzz -- ${flags.join(' ')} --verbose`,
    `  pin it: add to PINNED in tests/integration/convergence.test.ts`,
    `    { seed: ${formatSeed(seed)}, found: '<what it found>', options: ${options} },`,
  ].join('\n');
}

async function main(): Promise<void> {
  let options;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === null) {
    console.log(USAGE);
    return;
  }
  const { seeds, from, run, verbose } = options;
  console.log(`convergence fuzz: ${seeds} seeds from ${formatSeed(from)}, ${run.clients} clients, ${run.steps} steps, ${run.kills} kills + 1 at the end${run.serverArgs?.length ? `, server ${run.serverArgs.join(' ')}` : ''}`);
  const started = performance.now();
  const failed: number[] = [];
  const times: number[] = [];
  const closeCodes = new Map<number, number>();
  const complaints = new Map<string, number>();
  for (let seed = from; seed < from + seeds; seed++) {
    try {
      const result = await runConvergence({ ...run, seed, ...(verbose ? { onTrace: (line: string) => console.log(`  ${line}`) } : {}) });
      times.push(result.elapsedMs);
      for (const [code, n] of Object.entries(result.closeCodes)) closeCodes.set(Number(code), (closeCodes.get(Number(code)) ?? 0) + n);
      for (const [line, n] of Object.entries(result.serverComplaints)) complaints.set(line, (complaints.get(line) ?? 0) + n);
      console.log(`seed ${formatSeed(seed)}  ok    ${describe(result)}`);
    } catch (error) {
      failed.push(seed);
      const message = error instanceof ConvergenceError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.log(`seed ${formatSeed(seed)}  FAIL  ${message}\n${pinAdvice(seed, run)}`);
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! / 1000 : 0;
  console.log(
    `\n${seeds} seeds: ${seeds - failed.length} passed, ${failed.length} failed, in ${elapsed.toFixed(0)} s (median ${median.toFixed(1)} s a seed)` +
      `\nclose codes the clients saw: ${[...closeCodes].sort(([a], [b]) => a - b).map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'}` +
      ' (1005: a client closed its own socket; 1006: the server was killed)' +
      `\nserver warnings and errors in passing runs: ${complaints.size === 0 ? 'none' : ''}`,
  );
  for (const [line, n] of complaints) console.log(`  ×${n}  ${line}`);
  if (failed.length > 0) {
    console.log(`failed seeds: ${failed.map(formatSeed).join(' ')}`);
    process.exitCode = 1;
  }
}

await main();
