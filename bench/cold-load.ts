/**
 * Cold load of a room holding N stored updates, for two kinds of room (what a room costs to load
 * depends on what it holds, not only on how many updates made it):
 *
 *   edits    one update in ten a new stroke, the others moves of earlier strokes (N/10 shapes)
 *   strokes  every update a new stroke (N shapes): the heaviest room N updates can make
 *
 * measured two ways:
 *
 *   end to end   the updates are written through a stock client, the server is stopped and
 *                started again on the same store, a small room is loaded to warm the process up,
 *                and a fresh client's time from connecting to holding all N updates is taken for
 *                each room: the server's load, the sync, and the client applying the document.
 *                For a server that answers sync only once loaded (Easel), also a raw socket's
 *                time from connecting to the first byte of the answer, after restarts of its own:
 *                the server's share as seen from outside, without the client's decoding.
 *   Room.load    Easel only, in this process: server/room/room.ts loading a LevelDB log of N separate
 *                entries, the worst case (the server compacts every 500 entries, so it never
 *                leaves that many behind itself), compaction on load included. The server's
 *                share alone.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { createLogger } from '../server/log.ts';
import { createLocalFanout } from '../server/fanout/local-fanout.ts';
import { openLevelStore } from '../server/store/level-store.ts';
import { wrapStore } from '../server/store/store.ts';
import { createSnapshotBuilder } from '../server/snapshots.ts';
import { Room } from '../server/room/room.ts';
import { DEFAULT_SERVER_OPTIONS } from '../server/server.ts';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../shared/protocol.ts';
import { connectClient } from '../tests/helpers/client.ts';
import { syncStep1, WireClient } from '../tests/helpers/wire.ts';
import { waitUntilIdle } from './proc.ts';
import { BENCH_MAP, now, StrokeWriter } from './strokes.ts';
import type { BenchTarget, RunningTarget } from './targets.ts';

export interface ColdRoom {
  /** Room name, also the label in the report. */
  name: string;
  /** Every `strokeEvery`-th update is a new stroke, the others move an earlier one. */
  strokeEvery: number;
  description: string;
}

export const COLD_ROOMS: readonly ColdRoom[] = [
  { name: 'cold-edits', strokeEvery: 10, description: '1 in 10 updates a new stroke, the rest moves' },
  { name: 'cold-strokes', strokeEvery: 1, description: 'every update a new stroke' },
];

/** Loaded first after each restart, so the measured rooms meet JIT-compiled code. */
const WARMUP_ROOM: ColdRoom = { name: 'cold-warmup', strokeEvery: 10, description: '' };
const WARMUP_UPDATES = 500;

export interface EndToEndLoad {
  target: string;
  rooms: Array<{
    room: ColdRoom;
    /** Connect → every update in the client's doc, ms, one per restart. */
    fullMs: number[];
    /** Connect → the provider's first 'sync' event, ms (the reference answers before it has loaded). */
    syncedMs: number[];
    /** Raw socket: connect → the server's sync step 2 received (not decoded), ms; empty if not measured. */
    answerMs: number[];
    /** Size of the document as one update, bytes. */
    docBytes: number;
  }>;
}

export interface RoomLoad {
  room: ColdRoom;
  entries: number;
  /** Room.load on the uncompacted log, ms, one per fresh copy of the store. */
  totalMs: number[];
  /** Of which reading the log from LevelDB. */
  readMs: number[];
}

function writeUpdate(writer: StrokeWriter, room: ColdRoom, i: number): void {
  if (i % room.strokeEvery === 0) writer.write();
  else writer.move();
}

/** Resolves once `doc`'s bench map holds `count` keys, counting change events (size is O(n)). */
function benchKeysReach(doc: Y.Doc, count: number, timeoutMs: number): Promise<void> {
  const map = doc.getMap<number>(BENCH_MAP);
  let seen = map.size;
  return new Promise((resolve, reject) => {
    if (seen >= count) return resolve();
    const timer = setTimeout(() => {
      map.unobserve(observer);
      reject(new Error(`timed out with ${seen} of ${count} updates`));
    }, timeoutMs);
    const observer = (event: Y.YMapEvent<number>): void => {
      seen += event.keysChanged.size;
      if (seen >= count) {
        clearTimeout(timer);
        map.unobserve(observer);
        resolve();
      }
    };
    map.observe(observer);
  });
}

/** Writes `updates` updates into `room` through one client and waits until a second client has them. */
async function populate(server: RunningTarget, room: ColdRoom, updates: number, seed: number): Promise<number> {
  const writer = connectClient(server.syncUrl(0), room.name);
  const watcher = connectClient(server.syncUrl(1), room.name);
  try {
    await Promise.all([writer.synced, watcher.synced]);
    const arrived = benchKeysReach(watcher.doc, updates, 300_000);
    const strokes = new StrokeWriter(writer.doc, 0, seed);
    for (let i = 0; i < updates; i++) {
      writeUpdate(strokes, room, i);
      // Let the socket drain now and then instead of queueing every message at once.
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await arrived;
    return Y.encodeStateAsUpdate(watcher.doc).byteLength;
  } finally {
    writer.destroy();
    watcher.destroy();
  }
}

/** A fresh client's times to the 'sync' event and to holding all `updates` updates. */
async function loadOnce(server: RunningTarget, room: ColdRoom, updates: number): Promise<{ fullMs: number; syncedMs: number }> {
  const started = now();
  const client = connectClient(server.syncUrl(0), room.name);
  try {
    const synced = client.synced.then(() => now() - started);
    await benchKeysReach(client.doc, updates, 120_000);
    const fullMs = now() - started;
    return { fullMs, syncedMs: await synced };
  } finally {
    client.destroy();
  }
}

/** A raw socket's time from connecting to receiving (not decoding) the answer to its sync step 1. */
async function answerOnce(server: RunningTarget, room: ColdRoom): Promise<number> {
  const started = now();
  const empty = new Y.Doc();
  const client = new WireClient(`${server.syncUrl(0)}/${room.name}`);
  try {
    await client.opened;
    client.send(syncStep1(empty));
    await client.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2, 'sync step 2', 120_000);
    return now() - started;
  } finally {
    client.close();
    empty.destroy();
  }
}

/** The end-to-end cold load of every room in COLD_ROOMS against `target`, `reps` restarts. */
export async function measureEndToEndLoad(target: BenchTarget, options: { updates: number; reps: number; seed: number }): Promise<EndToEndLoad> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `easel-bench-cold-${target.name}-`));
  try {
    const result: EndToEndLoad = { target: target.name, rooms: [] };
    let server = await target.start({ dataDir });
    try {
      await populate(server, WARMUP_ROOM, WARMUP_UPDATES, options.seed);
      for (const room of COLD_ROOMS) {
        result.rooms.push({ room, fullMs: [], syncedMs: [], answerMs: [], docBytes: await populate(server, room, options.updates, options.seed) });
      }
      // The reference writes behind the clients' backs: stop only once everything is on disk.
      await waitUntilIdle(server.pids, 1_000);
    } finally {
      await server.stop();
    }
    for (let rep = 0; rep < options.reps; rep++) {
      server = await target.start({ dataDir });
      try {
        await loadOnce(server, WARMUP_ROOM, WARMUP_UPDATES);
        for (const entry of result.rooms) {
          await waitUntilIdle(server.pids, 300);
          const { fullMs, syncedMs } = await loadOnce(server, entry.room, options.updates);
          entry.fullMs.push(fullMs);
          entry.syncedMs.push(syncedMs);
        }
        await waitUntilIdle(server.pids, 300);
      } finally {
        await server.stop();
      }
      if (!target.answersSyncAfterLoad) continue;
      server = await target.start({ dataDir });
      try {
        await answerOnce(server, WARMUP_ROOM);
        for (const entry of result.rooms) {
          await waitUntilIdle(server.pids, 300);
          entry.answerMs.push(await answerOnce(server, entry.room));
        }
        await waitUntilIdle(server.pids, 300);
      } finally {
        await server.stop();
      }
    }
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Fills `dir` with one room whose log holds `updates` separate entries. */
async function writeUncompactedLog(dir: string, room: ColdRoom, updates: number, seed: number): Promise<void> {
  const persistence = await openLevelStore(dir);
  try {
    const doc = new Y.Doc();
    const log = await persistence.openRoom(room.name);
    const strokes = new StrokeWriter(doc, 0, seed);
    const pending: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => pending.push(update));
    for (let i = 0; i < updates; i++) {
      writeUpdate(strokes, room, i);
      await log.append(pending.splice(0), Y.encodeStateVector(doc));
    }
    doc.destroy();
  } finally {
    await persistence.close();
  }
}

/** Times Room.load of `room` from a copy of `source`; returns total and log-reading ms. */
async function timeRoomLoad(source: string, copy: string, room: ColdRoom, updates: number): Promise<{ totalMs: number; readMs: number }> {
  await cp(source, copy, { recursive: true });
  const level = await openLevelStore(copy);
  let readMs = 0;
  const timed = wrapStore(level, async (name) => {
    const started = now();
    const log = await level.openRoom(name);
    readMs = now() - started;
    return log;
  });
  const logger = createLogger('silent');
  const snapshots = createSnapshotBuilder(logger);
  try {
    const started = now();
    const loaded = await Room.load(room.name, timed, createLocalFanout(), {
      logger,
      compactAfterUpdates: DEFAULT_SERVER_OPTIONS.compactAfterUpdates,
      compactAfterBytes: DEFAULT_SERVER_OPTIONS.compactAfterBytes,
      writeIntervalMs: DEFAULT_SERVER_OPTIONS.writeIntervalMs,
      snapshots,
      maxAwarenessBytes: DEFAULT_SERVER_OPTIONS.maxAwarenessBytes,
      onRejected: (_conn, error) => {
        throw error;
      },
      onFailure: (_room, error) => {
        throw error;
      },
    });
    const totalMs = now() - started;
    const held = loaded.doc.getMap(BENCH_MAP).size;
    await loaded.destroy();
    if (held !== updates) throw new Error(`Room.load of ${room.name} holds ${held} of ${updates} updates`);
    return { totalMs, readMs };
  } finally {
    await snapshots.close();
    await level.close();
  }
}

/**
 * Easel's Room.load on a LevelDB log of `updates` separate entries, for every room in COLD_ROOMS,
 * on `reps` fresh copies each (after one unmeasured load of the first room, which warms this
 * process up).
 */
export async function measureRoomLoad(options: { updates: number; reps: number; seed: number }): Promise<RoomLoad[]> {
  const base = await mkdtemp(path.join(tmpdir(), 'easel-bench-roomload-'));
  try {
    const results: RoomLoad[] = [];
    for (const room of COLD_ROOMS) {
      const source = path.join(base, `${room.name}-source`);
      await writeUncompactedLog(source, room, options.updates, options.seed);
      const result: RoomLoad = { room, entries: options.updates, totalMs: [], readMs: [] };
      const warmup = results.length === 0 ? 1 : 0;
      for (let rep = 0; rep < options.reps + warmup; rep++) {
        const { totalMs, readMs } = await timeRoomLoad(source, path.join(base, `${room.name}-copy-${rep}`), room, options.updates);
        if (rep < warmup) continue;
        result.totalMs.push(totalMs);
        result.readMs.push(readMs);
      }
      results.push(result);
    }
    return results;
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
