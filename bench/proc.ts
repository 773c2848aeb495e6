/**
 * Readings of another process from /proc (Linux): CPU time and resident memory. The servers under
 * test are child processes, so process.cpuUsage() and memoryUsage() cannot see them.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 almost everywhere). */
const CLOCK_TICKS = ((): number => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, every thread) a process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds used by all of `pids` together. */
export async function totalCpuSeconds(pids: readonly number[]): Promise<number> {
  const each = await Promise.all(pids.map(cpuSeconds));
  return each.reduce((sum, s) => sum + s, 0);
}

/**
 * CPU seconds the whole machine has been busy (all cores, any process), from /proc/stat: what
 * the measured processes did not use of it is other load, which makes a round noisy.
 */
export async function machineCpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
  const fields = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

export interface MemoryReading {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size over the process's life (VmHWM), bytes. */
  peakRss: number;
}

/** Resident memory of a process, now and at its peak. */
export async function memory(pid: number): Promise<MemoryReading> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

/** Memory of all of `pids` added up (for a target made of several processes). */
export async function totalMemory(pids: readonly number[]): Promise<MemoryReading> {
  const each = await Promise.all(pids.map(memory));
  return each.reduce((sum, m) => ({ rss: sum.rss + m.rss, peakRss: sum.peakRss + m.peakRss }), { rss: 0, peakRss: 0 });
}

/**
 * Resolves once `pids` have used less than 5% of a core for `quietMs` (a server that writes
 * behind the client's back, like the reference's LevelDB store, is done when it goes quiet; a
 * little CPU for timers, or a profiler's sampling, still counts as quiet). Gives up after
 * `timeoutMs`.
 */
export async function waitUntilIdle(pids: readonly number[], quietMs = 1_000, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const before = await totalCpuSeconds(pids);
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if ((await totalCpuSeconds(pids)) - before < (0.05 * quietMs) / 1000) return;
  }
  throw new Error(`processes ${pids.join(', ')} did not go idle within ${timeoutMs} ms`);
}

/** CPU seconds used so far by each group of processes, and by the whole machine, read together. */
export interface CpuSnapshot {
  groups: number[];
  machine: number;
  /** This process's own CPU seconds. */
  self: number;
}

/** Reads a CpuSnapshot: one sum per group in `groups`. */
export async function cpuSnapshot(groups: ReadonlyArray<readonly number[]>): Promise<CpuSnapshot> {
  const [machine, ...sums] = await Promise.all([machineCpuSeconds(), ...groups.map(totalCpuSeconds)]);
  const self = process.cpuUsage();
  return { groups: sums, machine: machine!, self: (self.user + self.system) / 1e6 };
}

/**
 * Cores' worth of CPU each group used between two snapshots `seconds` apart, and what the rest
 * of the machine used meanwhile (this process excluded): noise, when other work runs.
 */
export function busyBetween(before: CpuSnapshot, after: CpuSnapshot, seconds: number): { groups: number[]; other: number } {
  const groups = after.groups.map((value, i) => (value - before.groups[i]!) / seconds);
  const used = groups.reduce((sum, value) => sum + value, 0) + (after.self - before.self) / seconds;
  return { groups, other: Math.max(0, (after.machine - before.machine) / seconds - used) };
}

/**
 * Asks each forked client process to close (with `message`) and waits for it to exit; one that
 * has not exited after 5 s is killed.
 */
export async function closeChildren(children: readonly ChildProcess[], message: object): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.send(message);
        }),
    ),
  );
}
