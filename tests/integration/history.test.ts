/**
 * Version history on a real LevelDB archive with real Y.Docs, time driven by a manual clock:
 * versions at the interval, on the last leave, before a restore; who edited; thinning; the board
 * index; and a store that fails.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { Level } from 'level';
import { pino } from 'pino';
import * as Y from 'yjs';
import { getShapesMap, indicesBetween, readAllShapes, readBoardTitle, topIndex, writeBoardTitle, writeShape } from '../../shared/doc.ts';
import { REMOTE_ORIGIN, STORAGE_ORIGIN } from '../../shared/origins.ts';
import { StorageError } from '../../server/errors.ts';
import { createHistory, type History } from '../../server/history/history.ts';
import { DAY_MS, HOUR_MS } from '../../server/history/thinning.ts';
import { nextVersionId } from '../../server/history/version-id.ts';
import type { Archive } from '../../server/store/archive.ts';
import { createLevelArchive } from '../../server/store/level-archive.ts';
import { createManualClock, type ManualClock } from '../helpers/manual-clock.ts';
import { makeTempDir } from '../helpers/server.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const INTERVAL = 5 * 60_000;
const START = Date.UTC(2024, 5, 15, 12, 0, 0);
const RECT = DEFS.find((def) => def.type === 'rect')!;

let dir: string;
let db: Level<string, Uint8Array>;
let archive: Archive;

before(async () => {
  dir = await makeTempDir('easel-history-');
  db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  archive = createLevelArchive(db);
});

after(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

interface Setup {
  history: History;
  clock: ManualClock;
  docs: Map<string, Y.Doc>;
  /** The logger's lines, parsed. */
  logs: Array<Record<string, unknown>>;
}

/** A history over the shared archive, whose rooms are the Y.Docs in `docs`. */
function setup(): Setup {
  const clock = createManualClock(START);
  const docs = new Map<string, Y.Doc>();
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const history = createHistory({
    archive,
    historyIntervalMs: INTERVAL,
    historyDays: 30,
    clock,
    logger: pino({ level: 'warn' }, sink),
    stateOf: (room) => {
      const doc = docs.get(room);
      if (doc === undefined) throw new Error(`room ${room} is not loaded`);
      return Y.encodeStateAsUpdate(doc);
    },
  });
  return { history, clock, docs, logs };
}

/** Adds `count` rectangles to the room's doc as a client's edit would arrive, and tells history. */
function addShapes(setup: Setup, room: string, count: number, editor: string): void {
  let doc = setup.docs.get(room);
  if (doc === undefined) {
    doc = new Y.Doc();
    setup.docs.set(room, doc);
  }
  const indices = indicesBetween(topIndex(doc), null, count);
  const target = doc;
  target.transact(() => {
    for (const index of indices) writeShape(target, sampleShape(RECT, { id: `${editor}-${index}`, index }));
  }, REMOTE_ORIGIN);
  setup.history.edited(room, editor);
}

/** The shapes of a stored state. */
function shapesOf(state: Uint8Array): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state, STORAGE_ORIGIN);
  return readAllShapes(doc).length;
}

test('a changing room gets versions at the interval, with who edited, its shapes and size', async () => {
  const s = setup();
  const room = 'interval';
  addShapes(s, room, 3, 'Ada');
  s.clock.advance(60_000);
  addShapes(s, room, 2, 'Bob');
  s.clock.advance(INTERVAL - 60_000 - 1);
  await s.history.settled(room);
  assert.deepEqual(await archive.versions.list(room), []);
  s.clock.advance(1);
  await s.history.settled(room);
  const [first, ...rest] = await archive.versions.list(room);
  assert.deepEqual(rest, []);
  const state = await archive.versions.read(room, first!.id);
  assert.deepEqual(first, {
    id: nextVersionId(null, START + INTERVAL),
    at: new Date(START + INTERVAL).toISOString(),
    reason: 'interval',
    editors: ['Ada', 'Bob'],
    shapes: 5,
    bytes: state!.byteLength,
  });
  assert.equal(shapesOf(state!), 5);
  assert.deepEqual(state, Y.encodeStateAsUpdate(s.docs.get(room)!));

  // Quiet: nothing more. Then Bob alone edits: his name only in the next one.
  s.clock.advance(3 * INTERVAL);
  addShapes(s, room, 1, 'Bob');
  s.clock.advance(INTERVAL);
  await s.history.settled(room);
  const versions = await archive.versions.list(room);
  assert.equal(versions.length, 2);
  assert.deepEqual(versions[1]!.editors, ['Bob']);
  assert.equal(versions[1]!.shapes, 6);
  await s.history.close();
});

test('the last editor leaving takes a version of a changed room, and the board index follows', async () => {
  const s = setup();
  const room = 'leave';
  addShapes(s, room, 2, 'Ada');
  const doc = s.docs.get(room)!;
  doc.transact(() => writeBoardTitle(doc, 'Roadmap'), REMOTE_ORIGIN);
  s.clock.advance(1_000);
  s.history.idle(room);
  await s.history.settled(room);
  const [version] = await archive.versions.list(room);
  assert.equal(version!.reason, 'idle');
  assert.deepEqual(version!.editors, ['Ada']);
  assert.deepEqual(await archive.boards.get(room), {
    room,
    title: 'Roadmap',
    createdAt: START + 1_000,
    updatedAt: START + 1_000,
    shapes: 2,
    bytes: version!.bytes,
    deletedAt: null,
  });
  // Unchanged since: leaving again takes none.
  s.history.idle(room);
  await s.history.settled(room);
  assert.equal((await archive.versions.list(room)).length, 1);

  s.clock.advance(HOUR_MS);
  addShapes(s, room, 1, 'Bob');
  doc.transact(() => writeBoardTitle(doc, 'Roadmap 2025'), REMOTE_ORIGIN);
  s.history.idle(room);
  await s.history.settled(room);
  const record = await archive.boards.get(room);
  assert.equal(readBoardTitle(doc), 'Roadmap 2025');
  assert.deepEqual(
    { title: record!.title, createdAt: record!.createdAt, updatedAt: record!.updatedAt, shapes: record!.shapes },
    { title: 'Roadmap 2025', createdAt: START + 1_000, updatedAt: START + 1_000 + HOUR_MS, shapes: 3 },
  );
  await s.history.close();
});

test('a restore takes a version of the board as it is first, and answers it', async () => {
  const s = setup();
  const room = 'restore';
  addShapes(s, room, 4, 'Ada');
  s.clock.advance(2_000);
  const taken = await s.history.capture(room, 'restore');
  assert.equal(taken.reason, 'restore');
  assert.deepEqual(taken.editors, ['Ada']);
  assert.equal(taken.shapes, 4);
  assert.deepEqual(await archive.versions.list(room), [taken]);
  assert.deepEqual(await archive.versions.read(room, taken.id), Y.encodeStateAsUpdate(s.docs.get(room)!));

  // Unchanged, a restore still takes one; the pending interval went into the first.
  const again = await s.history.capture(room, 'restore');
  assert.deepEqual(again.editors, []);
  assert.ok(again.id > taken.id);
  s.clock.advance(2 * INTERVAL);
  await s.history.settled(room);
  assert.equal((await archive.versions.list(room)).length, 2);
  await s.history.close();
});

test('each capture thins the room’s older versions', async () => {
  const s = setup();
  const room = 'thinned';
  addShapes(s, room, 1, 'Ada');
  const state = Y.encodeStateAsUpdate(s.docs.get(room)!);
  // Older versions as an earlier server left them: two in one hour two days back, two in one
  // day ten days back, one from 40 days back.
  const times = [
    START - 40 * DAY_MS,
    START - 10 * DAY_MS - 2 * HOUR_MS,
    START - 10 * DAY_MS - HOUR_MS,
    START - 2 * DAY_MS - 30 * 60_000,
    START - 2 * DAY_MS - 10 * 60_000,
  ];
  let previous: string | null = null;
  const old = [];
  for (const time of times) {
    previous = nextVersionId(previous, time);
    const info = { id: previous, at: new Date(time).toISOString(), reason: 'interval' as const, editors: [], shapes: 1, bytes: state.byteLength };
    await archive.versions.put(room, info, state);
    old.push(info);
  }
  s.history.idle(room);
  await s.history.settled(room);
  const kept = await archive.versions.list(room);
  assert.deepEqual(
    kept.slice(0, -1).map((info) => info.id),
    [old[2]!.id, old[4]!.id],
  );
  assert.equal(kept.at(-1)!.reason, 'idle');
  assert.equal(await archive.versions.read(room, old[0]!.id), null);
  await s.history.close();
});

test('releasing a room takes its last version; closing refuses more', async () => {
  const s = setup();
  const room = 'released';
  addShapes(s, room, 1, 'Ada');
  await s.history.release(room);
  assert.deepEqual(
    (await archive.versions.list(room)).map((info) => info.reason),
    ['idle'],
  );
  await s.history.close();
  await assert.rejects(s.history.capture(room, 'manual'), { code: 'history_closed' });
});

// Last: it closes the shared database.
test('a store that fails is logged once per capture, never thrown into the room, and refuses a restore', async () => {
  const s = setup();
  const room = 'broken';
  addShapes(s, room, 1, 'Ada');
  await db.close();
  s.clock.advance(INTERVAL);
  await s.history.settled(room);
  assert.equal(s.logs.length, 1);
  assert.equal(s.logs[0]!.room, room);
  assert.equal(s.logs[0]!.reason, 'interval');
  assert.match(String((s.logs[0]!.err as { message: string }).message), /LevelDB/);
  // The room's edits go on; the next trigger tries again and is logged again, once.
  addShapes(s, room, 1, 'Bob');
  s.history.idle(room);
  await s.history.settled(room);
  assert.equal(s.logs.length, 2);
  assert.equal(s.logs[1]!.reason, 'idle');
  await assert.rejects(s.history.capture(room, 'restore'), StorageError);
  assert.equal(s.logs.length, 2);
  assert.equal(getShapesMap(s.docs.get(room)!).size, 2);
  await s.history.close();
  await db.open();
});
