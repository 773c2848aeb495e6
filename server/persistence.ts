/**
 * The storage interface of rooms and its LevelDB implementation.
 *
 * Each room is an append-only log of Yjs updates plus the state vector of everything in it:
 *
 *   r!<room>!u!<seq, 16 hex digits>  → one update (or a batch merged into one)
 *   r!<room>!sv                      → the state vector after the last write
 *   h!probe                          → rewritten by the health probe; holds nothing of value
 *
 * Room names never contain '!', so one room's keys never fall in another's range. Compaction
 * replaces the entries it read with one merged update in a single atomic batch, so a crash leaves
 * either the old log or the new one, never a mix.
 */
import { Level } from 'level';
import { StorageError } from './errors.ts';
import type { BuildSnapshot } from './snapshots.ts';

/** What one room's log looks like to a Room. */
export interface RoomLog {
  /** The updates read at load time, oldest first. */
  readonly loaded: readonly Uint8Array[];
  /**
   * The state vector stored with `loaded` (written in the same atomic batches), or null where
   * the store keeps none. Lets a room answer before it has applied its log.
   */
  readonly stateVector: Uint8Array | null;
  /** Entries and bytes now in the log (for the compaction threshold). */
  readonly length: number;
  readonly bytes: number;
  /** Appends updates in one atomic write; resolves once LevelDB has them. */
  append(updates: readonly Uint8Array[], stateVector: Uint8Array): Promise<void>;
  /**
   * Reads the entries now in the log, folds them with `build` and replaces exactly those entries
   * with the result in one atomic write; entries appended meanwhile stay after it. Resolves false
   * if there was nothing to fold. A StorageError if the store fails; what `build` throws otherwise.
   */
  compact(build: BuildSnapshot): Promise<boolean>;
  /**
   * Shared stores only (scale-out): delivers what other server processes wrote to this room
   * after it was loaded, in order. Absent for a store only this process uses.
   */
  subscribe?(handlers: RemoteHandlers): void;
  /** Shared stores only: passes a local awareness change on to the other processes. */
  publishAwareness?(update: Uint8Array): void;
  /** Stops following the room (it is being unloaded). */
  close?(): void;
}

/** Receivers of what other server processes sent to a room. */
export interface RemoteHandlers {
  /**
   * Document updates another process stored, in log order (all that one read returned for the
   * room); they must not be stored or published again.
   */
  updates(updates: readonly Uint8Array[]): void;
  /**
   * The room's stored state, read again because this process fell behind a trimmed log and may
   * have missed entries: apply it, and relay only what the doc did not hold. Never stored again.
   */
  missed(updates: readonly Uint8Array[]): void;
  /** An awareness update a client of another process sent. */
  awareness(update: Uint8Array): void;
}

/** The storage backend: LevelDB here, a shared store when scaled out. */
export interface Persistence {
  openRoom(room: string): Promise<RoomLog>;
  /** The stored state vector of a room, or null if the room was never written. */
  readStateVector(room: string): Promise<Uint8Array | null>;
  /**
   * One cheap round trip that proves the store works now (see store-health.ts); rejects, or
   * never settles, when it does not.
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A RoomLog that forwards everything to `inner` except the writes given in `writes`: the base of
 * wrappers that measure or fail writes. Scale-out hooks pass straight through, and stay absent
 * where the store has none.
 */
export function wrapRoomLog(inner: RoomLog, writes: Pick<RoomLog, 'append' | 'compact'>): RoomLog {
  return {
    get loaded() {
      return inner.loaded;
    },
    get stateVector() {
      return inner.stateVector;
    },
    get length() {
      return inner.length;
    },
    get bytes() {
      return inner.bytes;
    },
    append: writes.append,
    compact: writes.compact,
    ...(inner.subscribe && { subscribe: (handlers: RemoteHandlers) => inner.subscribe!(handlers) }),
    ...(inner.publishAwareness && { publishAwareness: (update: Uint8Array) => inner.publishAwareness!(update) }),
    ...(inner.close && { close: () => inner.close!() }),
  };
}

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

type Db = Level<string, Uint8Array>;

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
}

/** Opens (creating if needed) a LevelDB store in `dir`. */
export async function createLevelPersistence(dir: string): Promise<Persistence> {
  const db: Db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
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
  return {
    async openRoom(room) {
      const loaded: Uint8Array[] = [];
      let firstSeq = -1;
      let lastSeq = -1;
      try {
        for await (const [key, value] of db.iterator(logRange(room))) {
          const seq = Number.parseInt(key.slice(key.lastIndexOf('!') + 1), 16);
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
    async probe() {
      // A write, not a read: a disk that refuses writes is what loses data.
      try {
        await db.put(PROBE_KEY, PROBE_VALUE);
      } catch (error) {
        throw new StorageError(`LevelDB in ${dir} refuses writes: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    async close() {
      await db.close();
    },
  };
}
