/**
 * A room's commit pipeline, the one place that enforces the durability rule: nothing leaves the
 * server before it is stored. Updates applied to the doc are queued here, written to the log in
 * one batch per round (group commit, merged into one update), and only then handed on (relayed,
 * told to observers). Waiters (a sync step 2 reply, a step 1 on joining, a server edit) run once
 * every update queued before them is written, so whatever a peer has seen survives a kill -9.
 *
 * Client messages are applied by the pipeline's own round too (`gather`, right before a write):
 * a busy room's messages of one write interval then go into the doc in one transaction, whose
 * one update Yjs encodes while integrating them. Applying each as it came and merging the batch
 * afterwards decoded every update twice; measured, that merge was a third of a busy server's CPU.
 */
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { Connection } from '../connection.ts';
import { StorageError } from '../errors.ts';
import type { RoomLog } from '../store/store.ts';

/** Told once every update queued before it is written, or the error if writing failed. */
export type Waiter = (error: StorageError | null) => void;

/** An update applied to the doc and not yet written. */
export interface PendingUpdate {
  update: Uint8Array;
  /** The sender, which already holds it and is not sent it back; null: relay to everyone. */
  from: Connection | null;
  /** Who made it: the connections it came from (null stands for the server's own edits). */
  authors: ReadonlySet<Connection | null>;
}

export interface CommitPipelineOptions {
  room: string;
  logger: Logger;
  log: RoomLog;
  /** Least time between the starts of two writes of a busy room (see ServerOptions). */
  writeIntervalMs: number;
  /**
   * Applies the client messages received so far (each becomes a push), so that they join the
   * write about to start. Called once per round, right before the write takes what is queued.
   */
  gather(): void;
  /** The doc's state vector, stored with each batch. */
  stateVector(): Uint8Array;
  /**
   * A batch is stored: send it on. `from` is the batch's only sender (it holds the batch
   * already) or null; `written` are the updates it was merged from.
   */
  committed(batch: readonly Uint8Array[], from: Connection | null, written: readonly PendingUpdate[]): void;
  /** The queue has emptied (a moment to compact). */
  idle(): void;
  /** A write failed; the pipeline has failed its waiters and takes nothing more. */
  failed(error: StorageError): void;
}

/**
 * `updates` as one update, so a batch is one log entry and one frame per peer however many
 * edits it holds: in a busy room frames then grow with the number of writes, not of edits times
 * peers. Each update has applied to the doc, so Yjs merges them; should it still refuse, they
 * stay as they are.
 */
export function mergeBatch(updates: readonly Uint8Array[], logger: Logger, room: string): readonly Uint8Array[] {
  if (updates.length < 2) return updates;
  try {
    return [Y.mergeUpdates([...updates])];
  } catch (error) {
    logger.error({ err: error, room, updates: updates.length }, 'cannot merge a batch; writing and relaying its updates one by one');
    return updates;
  }
}

export class CommitPipeline {
  private pending: PendingUpdate[] = [];
  private pendingWaiters: Waiter[] = [];
  /** Waiters of the batch being written; null when no write is in flight. */
  private inflightWaiters: Waiter[] | null = null;
  /** Updates in the batch being written. */
  private inflightCount = 0;
  private draining = false;
  /** Something was queued or received since the round's gather: the loop goes on for it. */
  private wanted = false;
  /** The running (or last) drain loop; an unload waits for it. */
  private drainLoop: Promise<void> = Promise.resolve();
  private failure: StorageError | null = null;
  /** When the last write started (performance.now()), for the write interval and compaction. */
  lastWriteAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: CommitPipelineOptions) {}

  /** Queues an update the doc has integrated, to be written and then relayed. */
  push(entry: PendingUpdate): void {
    if (this.failure) return;
    this.pending.push(entry);
    this.wake();
  }

  /** Client messages wait to be applied (by `gather`): starts a round unless one runs. */
  wake(): void {
    this.wanted = true;
    if (this.draining || this.failure) return;
    this.draining = true;
    this.drainLoop = this.drain();
  }

  /** Updates queued or being written. */
  get unstoredCount(): number {
    return this.pending.length + this.inflightCount;
  }

  get failed(): StorageError | null {
    return this.failure;
  }

  /** Resolves once the drain loop running now (if any) has ended. */
  get drained(): Promise<void> {
    return this.drainLoop;
  }

  /** Runs `fn` once every update queued so far is written (or with the error if writing failed). */
  afterPersisted(fn: Waiter): void {
    if (this.failure) fn(this.failure);
    else if (this.pending.length > 0) this.pendingWaiters.push(fn);
    else if (this.inflightWaiters) this.inflightWaiters.push(fn);
    else fn(null);
  }

  /**
   * Fails every waiter and drops what was not written (its senders keep it and send it again
   * when they reconnect). Returns false if the pipeline had failed already.
   */
  fail(error: StorageError): boolean {
    if (this.failure) return false;
    this.failure = error;
    const waiters = [...(this.inflightWaiters ?? []), ...this.pendingWaiters];
    this.inflightWaiters = null;
    this.pendingWaiters = [];
    this.pending = [];
    for (const waiter of waiters) waiter(error);
    return true;
  }

  /** The group-commit loop: one write per round, holding everything that arrived meanwhile. */
  private async drain(): Promise<void> {
    try {
      // Not at once: the other messages read in this turn of the event loop join the round.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.wanted && !this.failure) {
        // A room that was quiet writes at once; what comes in during a write is merged into the
        // next one. With a write interval, a busy room also gathers for a moment between writes.
        const wait = this.lastWriteAt + this.options.writeIntervalMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.failure) return;
        this.options.gather();
        // Wanted again only by what comes in from here on (during the write).
        this.wanted = false;
        if (this.pending.length === 0 || this.failure) break;
        this.lastWriteAt = performance.now();
        const waiters = this.pendingWaiters;
        const pending = this.pending;
        this.pending = [];
        this.pendingWaiters = [];
        this.inflightWaiters = waiters;
        this.inflightCount = pending.length;
        const batch = mergeBatch(
          pending.map(({ update }) => update),
          this.options.logger,
          this.options.room,
        );
        // Only its sender holds a batch that is all its own.
        const sender = pending[0]!.from;
        const from = pending.every((entry) => entry.from === sender) ? sender : null;
        try {
          await this.options.log.append(batch, this.options.stateVector());
        } catch (error) {
          const storageError = error instanceof StorageError ? error : new StorageError(String(error), { cause: error });
          if (this.fail(storageError)) this.options.failed(storageError);
          return;
        }
        this.inflightWaiters = null;
        this.inflightCount = 0;
        this.options.committed(batch, from, pending);
        for (const waiter of waiters) waiter(null);
      }
    } finally {
      this.draining = false;
    }
    if (!this.failure) this.options.idle();
  }
}
