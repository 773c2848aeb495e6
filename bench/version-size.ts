/**
 * What version history costs in storage: the size of one version (the whole-state Yjs update
 * history stores) of a 1,000-shape board, fresh and after a working session of edits, and that
 * size times the most versions thinning keeps over --history-days 30 at the default 5-minute
 * interval of a board edited without pause (288 in the last day, 24 × 6 for the week, 23 daily).
 *
 * The board: every shape type in turn, from its schema example, at seeded random positions.
 * Run: npx tsx bench/version-size.ts
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Level } from 'level';
import * as Y from 'yjs';
import { deleteShape, indicesBetween, topIndex, updateShape, writeShape } from '../shared/doc.ts';
import { REMOTE_ORIGIN } from '../shared/origins.ts';
import { DEFS, sampleShape } from '../tests/helpers/shape-samples.ts';
import { describeVersion, summarizeState } from '../server/history/describe-version.ts';
import { nextVersionId } from '../server/history/version-id.ts';
import { createLevelArchive } from '../server/store/level-archive.ts';

const SHAPES = 1000;
/** Versions thinning keeps at most at 30 days and a 5-minute interval under continuous edits. */
const MAX_KEPT = 288 + 24 * 6 + 23;
/** The same with about one version an hour in the last day (a board edited in a few sessions). */
const TYPICAL_KEPT = 24 + 24 * 6 + 23;

/** mulberry32: the same board every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function board(): { doc: Y.Doc; ids: string[] } {
  const next = random(15);
  const doc = new Y.Doc();
  // A fixed client id: its varint is in every item, and a random one makes sizes vary by a few %.
  doc.clientID = 2_000_000_000;
  const indices = indicesBetween(null, null, SHAPES);
  const ids: string[] = [];
  doc.transact(() => {
    for (let i = 0; i < SHAPES; i++) {
      const def = DEFS[i % DEFS.length]!;
      const id = `${def.type}-${i}`;
      writeShape(doc, sampleShape(def, { id, index: indices[i]!, x: Math.round(next() * 4000), y: Math.round(next() * 3000) }));
      ids.push(id);
    }
  }, REMOTE_ORIGIN);
  return { doc, ids };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function report(label: string, doc: Y.Doc): void {
  const state = Y.encodeStateAsUpdate(doc);
  const { shapes } = summarizeState(state);
  process.stdout.write(
    `${label}: ${shapes} shapes, one version ${kib(state.byteLength)}; ` +
      `× ${MAX_KEPT} (most kept, continuous edits) = ${mib(state.byteLength * MAX_KEPT)}; ` +
      `× ${TYPICAL_KEPT} (one an hour in the last day) = ${mib(state.byteLength * TYPICAL_KEPT)}\n`,
  );
}

const fresh = board();
report('fresh board', fresh.doc);

// A working session: every shape moved five times, one in ten deleted and drawn again.
const next = random(16);
const edited = board();
for (let round = 0; round < 5; round++) {
  for (const id of edited.ids) {
    edited.doc.transact(() => updateShape(edited.doc, id, { x: Math.round(next() * 4000), y: Math.round(next() * 3000) }), REMOTE_ORIGIN);
  }
}
const redrawn = edited.ids.filter((_, i) => i % 10 === 0);
const indices = indicesBetween(topIndex(edited.doc), null, redrawn.length);
for (const [i, id] of redrawn.entries()) {
  edited.doc.transact(() => deleteShape(edited.doc, id), REMOTE_ORIGIN);
  const def = DEFS.find((d) => id.startsWith(`${d.type}-`))!;
  edited.doc.transact(() => writeShape(edited.doc, sampleShape(def, { id: `${id}-again`, index: indices[i]! })), REMOTE_ORIGIN);
}
report('after 5,000 moves and 100 redraws', edited.doc);

// On disk: LevelDB compresses blocks (snappy), so store versions of the edited board (a few
// moves between each, as a session makes) through the archive and measure the folder.
const dir = await mkdtemp(path.join(tmpdir(), 'easel-version-size-'));
const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
await db.open();
const archive = createLevelArchive(db);
const STORED = 50;
let previous: string | null = null;
let raw = 0;
for (let v = 0; v < STORED; v++) {
  for (const id of edited.ids.slice(v * 20, v * 20 + 20)) {
    edited.doc.transact(() => updateShape(edited.doc, id, { x: Math.round(next() * 4000) }), REMOTE_ORIGIN);
  }
  const state = Y.encodeStateAsUpdate(edited.doc);
  previous = nextVersionId(previous, 1_700_000_000_000 + v * 300_000);
  await archive.versions.put('bench', describeVersion(state, { id: previous, at: 1_700_000_000_000 + v * 300_000, reason: 'interval', editors: [] }), state);
  raw += state.byteLength;
}
// classic-level has compactRange; level's types leave it out.
await (db as unknown as { compactRange(start: string, end: string): Promise<void> }).compactRange('\x00', '\xff');
await db.close();
let disk = 0;
for (const name of await readdir(dir)) disk += (await stat(path.join(dir, name))).size;
await rm(dir, { recursive: true, force: true });
process.stdout.write(
  `on disk (LevelDB, ${STORED} versions after compaction): ${kib(disk / STORED)} a version (${kib(raw / STORED)} raw, ${((100 * disk) / raw).toFixed(0)}%); ` +
    `× ${MAX_KEPT} = ${mib((disk / STORED) * MAX_KEPT)}\n`,
);
