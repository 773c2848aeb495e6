/**
 * The client and shared modules import each other without a circle, type imports included: each
 * layer (shared schema → geometry and shape types → shape utils and their registry → board,
 * tools, canvas and UI) only reaches down. A circle is how board, bindings and geometry once
 * came to need each other; this keeps it from coming back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IMPORT = /^(?:import|export)\s[^'";]*?['"](\.{1,2}\/[^'"]+\.ts)['"]/gm;

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(ROOT, folder, name));
}

/** Every relative import of every module, as absolute paths. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const imports = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1]!));
    graph.set(file, imports.filter((path) => known.has(path)));
  }
  return graph;
}

/** One circle in the graph as a path that ends where it starts, or null if there is none. */
function findCircle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (file: string): string[] | null => {
    if (onPath.has(file)) return [...path.slice(path.indexOf(file)), file];
    if (done.has(file)) return null;
    path.push(file);
    onPath.add(file);
    for (const next of graph.get(file) ?? []) {
      const circle = visit(next);
      if (circle !== null) return circle;
    }
    path.pop();
    onPath.delete(file);
    done.add(file);
    return null;
  };
  for (const file of graph.keys()) {
    const circle = visit(file);
    if (circle !== null) return circle;
  }
  return null;
}

test('client and shared modules import each other without a circle', () => {
  const graph = importGraph([...sources('client'), ...sources('shared')]);
  assert.ok(graph.size > 50, 'the sources were found');
  const circle = findCircle(graph);
  assert.equal(circle?.map((file) => relative(ROOT, file)).join(' → ') ?? null, null);
});
