/**
 * A room's compaction: folds its log into one update once it has grown long, without holding up
 * the commit pipeline. Its invariant: the store replaces only the entries it folded (RoomLog.compact),
 * so writes go on meanwhile, and at most one compaction per room runs at a time.
 */
import type { Logger } from 'pino';
import { StorageError } from '../errors.ts';
import type { SnapshotBuilder } from '../snapshots.ts';
import type { RoomLog } from '../store/store.ts';

/** A log over the compaction threshold is compacted once its room has written nothing for this long. */
const COMPACT_WHEN_IDLE_MS = 1000;

export interface CompactorOptions {
  room: string;
  logger: Logger;
  log: RoomLog;
  /** Builds compaction snapshots in a worker thread; shared by all rooms. */
  snapshots: SnapshotBuilder;
  /** Compact the log once it holds this many entries … */
  compactAfterUpdates: number;
  /** … or this many bytes. */
  compactAfterBytes: number;
  /** When the room's last write started (performance.now()). */
  lastWriteAt(): number;
  /** Whether the room still works (its store has not failed). */
  healthy(): boolean;
  /** The store failed while compacting. */
  failed(error: StorageError): void;
}

export class Compactor {
  /** Size of the log right after the last compaction: a snapshot alone never triggers another. */
  private compactedBytes = 0;
  /** Set while a compaction waits for the room to go idle. */
  private timer: NodeJS.Timeout | null = null;
  /** The compaction running in the background, if any. */
  private running: Promise<void> | null = null;
  /** A snapshot could not be built: no more live compactions until the room reloads. */
  private broken = false;
  /** The room is unloading: it runs the last compaction itself (finish), so none starts in the background. */
  private stopped = false;

  constructor(private readonly options: CompactorOptions) {}

  /** The log was loaded as one snapshot of `bytes`. */
  loadedSnapshot(bytes: number): void {
    this.compactedBytes = bytes;
  }

  /** The log is long enough to be worth folding into one update. */
  private shouldCompact(): boolean {
    return this.options.log.length >= this.options.compactAfterUpdates || this.appendedBytes() >= this.byteThreshold();
  }

  /** Bytes appended since the last compaction. */
  private appendedBytes(): number {
    return this.options.log.bytes - this.compactedBytes;
  }

  /** Compact after this many appended bytes: the limit, or more for a board larger than it. */
  private byteThreshold(): number {
    return Math.max(this.options.compactAfterBytes, this.compactedBytes);
  }

  /**
   * Compaction decodes and encodes the whole board (in a worker thread, but on the same cores as
   * the relaying), so it waits until the room has been idle for a moment (COMPACT_WHEN_IDLE_MS);
   * only a log four times over the threshold (or over the byte limit) is compacted mid-burst.
   */
  private mustCompactNow(): boolean {
    return this.options.log.length >= 4 * this.options.compactAfterUpdates || this.appendedBytes() >= 2 * this.byteThreshold();
  }

  /** A batch was written. */
  afterWrite(): void {
    if (this.mustCompactNow()) this.start();
  }

  /** The room has nothing left to write: compact if the log is long and the room stays idle. */
  whenIdle(): void {
    if (this.stopped || this.timer || !this.options.healthy() || !this.shouldCompact()) return;
    const idleFor = performance.now() - this.options.lastWriteAt();
    if (idleFor < COMPACT_WHEN_IDLE_MS) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.whenIdle();
      }, COMPACT_WHEN_IDLE_MS - idleFor);
      return;
    }
    this.start();
  }

  /** Compacts in the background: writes go on meanwhile. */
  private start(): void {
    if (this.running || this.broken || this.stopped || !this.options.healthy()) return;
    this.running = this.compact()
      .then((compacted) => {
        // Writes went on during the build; if they made the log long again (or an idle check
        // came while this ran and did nothing), check again.
        if (compacted) this.whenIdle();
      })
      .catch((error: unknown) => {
        if (error instanceof StorageError) {
          this.options.failed(error);
          return;
        }
        // Nothing was written: the log stays complete. Not retried on every write; the next
        // load of the room tries again.
        this.broken = true;
        this.options.logger.error({ err: error, room: this.options.room }, 'compaction failed; keeping the log as it is until the room reloads');
      })
      .finally(() => {
        this.running = null;
      });
  }

  /**
   * Folds the log into one update, built from the stored entries by the snapshot builder (in its
   * worker for a large log, so a large board does not stall every other room of the process).
   */
  private async compact(): Promise<boolean> {
    const { log, room } = this.options;
    const before = log.length;
    if (!(await log.compact((entries) => this.options.snapshots.build(entries, room)))) return false;
    this.compactedBytes = log.bytes;
    this.options.logger.debug({ room, entries: before }, 'compacted room log');
    return true;
  }

  /** No more background compactions (the room is unloading). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * After stop() and the last write: waits for a running compaction, then leaves the log as one
   * snapshot, so the room's next load reads and applies a single entry.
   */
  async finish(): Promise<void> {
    await this.running;
    if (!this.options.healthy() || this.options.log.length <= 1) return;
    try {
      await this.compact();
    } catch (error) {
      // The compaction batch is atomic: the log stays as it was, complete, just longer.
      this.options.logger.warn({ err: error, room: this.options.room }, 'compaction on unload failed; keeping the log as it is');
    }
  }
}
