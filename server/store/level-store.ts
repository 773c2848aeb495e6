/**
 * The LevelDB store (one process per data folder).
 *
 * Each room is an append-only log of Yjs updates plus the state vector of everything in it:
 *
 *   r!<room>!u!<seq, 16 hex digits>  → one update (or a batch merged into one)
 *   r!<room>!sv                      → the state vector after the last write
 *   h!probe                          → rewritten by the health probe; holds nothing of value
 *
 * Other keys (an archive built on the same db) live beside these and are never touched here.
 * Room names never contain '!', so one room's keys never fall in another's range. Compaction
 * replaces the entries it read with one merged update in a single atomic batch, so a crash leaves
 * either the old log or the new one, never a mix.
 */
import { Level } from 'level';
import * as Y from 'yjs';
import { StorageError } from '../errors.ts';
import type { BuildSnapshot } from '../snapshots.ts';
import type { RoomLog, Store } from './store.ts';

const SEQ_DIGITS = 16;

function updateKey(room: string, seq: number): string {
  return `r!${room}!u!${seq.toString(16).padStart(SEQ_DIGITS, '0')}`;
}

function stateVectorKey(room: string): string {
  return `r!${room}!sv`;
}

const PROBE_KEY = 'h!probe';
const PROBE_VALUE = new Uint8Array([1]);

function logRange(room: string): { gte: string; lt: string } {
  // '~' sorts after every hex digit, so this range is exactly the room's update keys.
  return { gte: `r!${room}!u!`, lt: `r!${room}!u!~` };
}

/** The LevelDB handle a store (and an archive beside it) works on. */
export type LevelDb = Level<string, Uint8Array>;
type Db = LevelDb;

function wrap(action: string, room: string, error: unknown): StorageError {
  return new StorageError(`${action} failed for room ${room}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

class LevelRoomLog implements RoomLog {
  readonly loaded: Uint8Array[];
  length: number;
  bytes: number;
  /** Sequence numbers in the log are firstSeq … nextSeq - 1, contiguous. */
  private firstSeq: number;
  private nextSeq: number;

  constructor(
    private readonly db: Db,
    private readonly room: string,
    loaded: Uint8Array[],
    firstSeq: number,
    nextSeq: number,
    readonly stateVector: Uint8Array | null,
  ) {
    this.loaded = loaded;
    this.length = loaded.length;
    this.bytes = loaded.reduce((sum, u) => sum + u.byteLength, 0);
    this.firstSeq = firstSeq;
    this.nextSeq = nextSeq;
  }

  async append(updates: readonly Uint8Array[], stateVector: Uint8Array): Promise<void> {
    if (updates.length === 0) return;
    const ops: Array<{ type: 'put'; key: string; value: Uint8Array }> = updates.map((value, i) => ({
      type: 'put',
      key: updateKey(this.room, this.nextSeq + i),
      value,
    }));
    ops.push({ type: 'put', key: stateVectorKey(this.room), value: stateVector });
    try {
      await this.db.batch(ops);
    } catch (error) {
      throw wrap('append', this.room, error);
    }
    this.nextSeq += updates.length;
    this.length += updates.length;
    for (const update of updates) this.bytes += update.byteLength;
  }

  async compact(build: BuildSnapshot): Promise<boolean> {
    // Appends go on while the snapshot is built: only the entries read here are replaced, and the
    // snapshot takes the key of the newest of them, so later entries still sort after it.
    const from = this.firstSeq;
    const upTo = this.nextSeq;
    if (upTo - from < 2) return false;
    let entries: Uint8Array[];
    try {
      entries = await this.db.values({ gte: updateKey(this.room, from), lt: updateKey(this.room, upTo) }).all();
    } catch (error) {
      throw wrap('compact', this.room, error);
    }
    const snapshot = await build(entries);
    const ops: Array<{ type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string }> = [];
    for (let seq = from; seq < upTo - 1; seq++) ops.push({ type: 'del', key: updateKey(this.room, seq) });
    ops.push({ type: 'put', key: updateKey(this.room, upTo - 1), value: snapshot });
    // The stored state vector stays: folding entries changes nothing in the document.
    try {
      await this.db.batch(ops);
    } catch (error) {
      throw wrap('compact', this.room, error);
    }
    this.firstSeq = upTo - 1;
    this.length -= entries.length - 1;
    this.bytes += snapshot.byteLength - entries.reduce((sum, entry) => sum + entry.byteLength, 0);
    return true;
  }

  close(): void {
    // Nothing is held open per room.
  }
}

/** The keys of a room's log, oldest first. */
async function logKeys(db: Db, room: string): Promise<string[]> {
  return db.keys(logRange(room)).all();
}

function seqOf(key: string): number {
  return Number.parseInt(key.slice(key.lastIndexOf('!') + 1), 16);
}

/**
 * Opens the LevelDB database in `dir`, creating it if needed unless `createIfMissing` is false
 * (a tool opening an existing server's folder must not make an empty one from a mistyped path).
 */
export async function openLevelDb(dir: string, options: { createIfMissing?: boolean } = {}): Promise<LevelDb> {
  const db: Db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view', createIfMissing: options.createIfMissing ?? true });
  try {
    await db.open();
  } catch (error) {
    // LevelDB admits one process per folder; "Database failed to open" alone does not say so.
    const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
    const reason =
      cause?.code === 'LEVEL_LOCKED'
        ? 'another process holds it (is another Easel server running with the same --data folder?)'
        : [error instanceof Error ? error.message : String(error), cause?.message].filter(Boolean).join(': ');
    throw new StorageError(`cannot open LevelDB in ${dir}: ${reason}`, { cause: error });
  }
  return db;
}

/**
 * The store on `db`, which it owns: close() closes it (an archive built on the same db is closed
 * with it).
 */
export function createLevelStore(db: LevelDb): Store {
  const location = db.location;
  return {
    async openRoom(room) {
      const loaded: Uint8Array[] = [];
      let firstSeq = -1;
      let lastSeq = -1;
      try {
        for await (const [key, value] of db.iterator(logRange(room))) {
          const seq = seqOf(key);
          if (firstSeq < 0) firstSeq = seq;
          lastSeq = seq;
          loaded.push(value);
        }
      } catch (error) {
        throw wrap('load', room, error);
      }
      let stateVector: Uint8Array | null = null;
      try {
        stateVector = loaded.length > 0 ? ((await db.get(stateVectorKey(room))) ?? null) : null;
      } catch (error) {
        throw wrap('load', room, error);
      }
      // The log is contiguous by construction (appends and compactions only), so the first and
      // last keys describe it.
      return new LevelRoomLog(db, room, loaded, Math.max(firstSeq, 0), lastSeq + 1, stateVector);
    },
    async readStateVector(room) {
      try {
        return (await db.get(stateVectorKey(room))) ?? null;
      } catch (error) {
        throw wrap('read state vector', room, error);
      }
    },
    async readRoom(room) {
      let entries: Uint8Array[];
      try {
        entries = await db.values(logRange(room)).all();
      } catch (error) {
        throw wrap('read', room, error);
      }
      if (entries.length === 0) return null;
      return entries.length === 1 ? entries[0]! : Y.mergeUpdates(entries);
    },
    async replaceRoom(room, state) {
      try {
        const keys = await logKeys(db, room);
        // After the newest key, so the log stays in key order whatever was there.
        const seq = keys.length > 0 ? seqOf(keys[keys.length - 1]!) + 1 : 0;
        await db.batch([
          ...keys.map((key) => ({ type: 'del' as const, key })),
          { type: 'put', key: updateKey(room, seq), value: state },
          { type: 'put', key: stateVectorKey(room), value: Y.encodeStateVectorFromUpdate(state) },
        ]);
      } catch (error) {
        throw wrap('replace', room, error);
      }
    },
    async purgeRoom(room) {
      try {
        const keys = await logKeys(db, room);
        await db.batch([...keys, stateVectorKey(room)].map((key) => ({ type: 'del' as const, key })));
      } catch (error) {
        throw wrap('purge', room, error);
      }
    },
    async listRooms() {
      const rooms: string[] = [];
      try {
        // Room names never contain '!', so keys sort room by room; once a room's first log key
        // is seen, the rest of its log is skipped.
        const keys = db.keys({ gt: 'r!', lt: 'r"' });
        try {
          for (let key = await keys.next(); key !== undefined; key = await keys.next()) {
            const match = /^r!([^!]*)!u!/.exec(key);
            if (!match) continue;
            rooms.push(match[1]!);
            keys.seek(`${logRange(match[1]!).lt}`);
          }
        } finally {
          await keys.close();
        }
      } catch (error) {
        throw new StorageError(`listing rooms failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return rooms;
    },
    async probe() {
      // A write, not a read: a disk that refuses writes is what loses data.
      try {
        await db.put(PROBE_KEY, PROBE_VALUE);
      } catch (error) {
        throw new StorageError(`LevelDB in ${location} refuses writes: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    async close() {
      await db.close();
    },
  };
}

/** Opens the LevelDB database in `dir` and the store on it. */
export async function openLevelStore(dir: string): Promise<Store> {
  return createLevelStore(await openLevelDb(dir));
}
