/**
 * The seeded convergence fuzz (tests/helpers/convergence.ts) on a few fixed seeds: real clients
 * edit through a real server that is killed with kill -9 along the way, and they end identical,
 * schema-valid, with nothing acknowledged lost. `npm run bench:fuzz` runs many more seeds; one
 * that fails there is pinned in PINNED below as a named test, saying what it found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDIT_KINDS } from '../helpers/shape-edits.ts';
import { formatSeed, runConvergence, type ConvergenceOptions } from '../helpers/convergence.ts';

/** Consecutive, so their kills go through every kill mode. */
const SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003];

/** Seeds that found a bug, with the options they failed with; each stays as its own test. */
const PINNED: ReadonlyArray<{ seed: number; found: string; options?: Omit<ConvergenceOptions, 'seed'> }> = [];

/** Each run restarts the server three times; a slow machine gets room, a hang still fails. */
const TIMEOUT_MS = 90_000;

for (const seed of SEEDS) {
  test(`seed ${formatSeed(seed)}: 4 clients, 30 steps and 3 kill -9s converge with nothing acknowledged lost`, { timeout: TIMEOUT_MS }, async () => {
    const result = await runConvergence({ seed });
    // A run that skipped a kind of edit, or never had anything acknowledged, would prove less.
    for (const kind of EDIT_KINDS) assert.ok(result.edits[kind] > 0, `no ${kind} edits`);
    assert.equal(result.kills, 3);
    assert.ok(result.acks > 0, 'nothing was acknowledged');
  });
}

for (const { seed, found, options } of PINNED) {
  test(`seed ${formatSeed(seed)} (${found})`, { timeout: TIMEOUT_MS }, async () => {
    await runConvergence({ ...options, seed });
  });
}
