/**
 * Prints where a .cpuprofile spent its time: the top functions by self time and by total time
 * (self plus callees). Usage: tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** "name (file:line)" with the file shortened to its package or last two path parts. */
function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.replace(/^file:\/\//, '');
  const inModules = file.lastIndexOf('node_modules/');
  const short = inModules >= 0 ? file.slice(inModules + 'node_modules/'.length) : file.split(path.sep).slice(-2).join('/');
  return `${name} (${short}:${lineNumber + 1})`;
}

function summarize(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time per node from the samples and their time deltas (µs).
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const walk = (id: number, stack: Set<string>): number => {
    const node = byId.get(id)!;
    const name = frameName(node);
    let sum = selfUs.get(id) ?? 0;
    self.set(name, (self.get(name) ?? 0) + sum);
    const inner = new Set(stack).add(name);
    for (const child of node.children ?? []) sum += walk(child, inner);
    // Count a recursive function's total once, at its outermost frame.
    if (!stack.has(name)) total.set(name, (total.get(name) ?? 0) + sum);
    return sum;
  };
  walk(profile.nodes[0]!.id, new Set());
  const idle = self.get('(idle)') ?? 0;
  const busy = totalUs - idle;
  const print = (title: string, map: Map<string, number>): void => {
    process.stdout.write(`\n${title} (of ${(busy / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle)\n`);
    const rows = [...map.entries()].filter(([name]) => !['(idle)', '(root)', '(program)'].includes(name)).sort((a, b) => b[1] - a[1]);
    for (const [name, us] of rows.slice(0, top)) {
      process.stdout.write(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}\n`);
    }
  };
  process.stdout.write(`${file}\n`);
  print('self time', self);
  print('total time', total);
}

const [file, top] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
summarize(file, Number(top ?? 25));
