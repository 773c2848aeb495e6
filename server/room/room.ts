/**
 * A loaded room: the wiring of its parts, one owner per stage.
 *
 *   RoomProtocol    decodes and gates client messages (room-protocol.ts)
 *   RoomDoc         the Y.Doc: integrates client, stored, remote and server changes (room-doc.ts)
 *   CommitPipeline  batches, stores, then hands on: nothing leaves before it is stored (commit-pipeline.ts)
 *   Compactor       folds the log while writes go on (compactor.ts)
 *   RoomPresence    awareness, never stored, sent per tick (../room-presence.ts)
 *   RoomChannel     other processes' updates and presence (../fanout/)
 *
 * The room itself relays what the pipeline committed, tells observers, and runs the room's life:
 * load, failure (close every connection so clients keep their changes), unload.
 */
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { CLOSE_CODE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import type { ChangeOrigin } from '../../shared/origins.ts';
import type { Connection } from '../connection.ts';
import { StorageError, type ProtocolError } from '../errors.ts';
import type { Fanout, RoomChannel } from '../fanout/fanout.ts';
import { PRESENCE_DEFAULTS, RoomPresence } from '../room-presence.ts';
import type { SnapshotBuilder } from '../snapshots.ts';
import type { RoomLog, Store } from '../store/store.ts';
import { CommitPipeline, mergeBatch, type PendingUpdate, type Waiter } from './commit-pipeline.ts';
import { Compactor } from './compactor.ts';
import { RoomDoc } from './room-doc.ts';
import { encodeSyncMessage, RoomProtocol } from './room-protocol.ts';

/** Updates this process stored for a room, and who made them. */
export interface CommittedBatch {
  /** As written to the log (a batch is usually merged into one update). */
  readonly updates: readonly Uint8Array[];
  /** The connections whose edits it holds (they may have closed since); null: the server's own. */
  readonly editors: ReadonlySet<Connection | null>;
}

export interface RoomOptions {
  /** Compact the log once it holds this many entries … */
  compactAfterUpdates: number;
  /** … or this many bytes. */
  compactAfterBytes: number;
  /** Least time between the starts of two writes of a busy room (see ServerOptions). */
  writeIntervalMs: number;
  /** Builds compaction snapshots in a worker thread; shared by all rooms. */
  snapshots: SnapshotBuilder;
  logger: Logger;
  /** Largest JSON of one client's awareness state; a larger one closes its connection (4413). */
  maxAwarenessBytes: number;
  /** Least time between two presence messages to a peer of a busy room; PRESENCE_DEFAULTS if absent. */
  presenceTickMs?: number;
  /** A peer with more than this many bytes waiting to be sent gets no presence until it drains. */
  presenceSlowPeerBytes?: number;
  /** A connection sent a message that failed after it was accepted (an update that does not apply). */
  onRejected: (conn: Connection, error: ProtocolError) => void;
  /** Called once if the store fails; the registry drops the room so the next join reloads it. */
  onFailure: (room: Room, error: StorageError) => void;
  /**
   * Told of every batch once it is stored, before it is relayed (version history records who
   * edited). Not told of what other processes stored: they tell their own observers.
   */
  onCommitted?: (room: Room, batch: CommittedBatch) => void;
  /** The room's last connection has left (it unloads a while later unless someone joins). */
  onEmpty?: (room: Room) => void;
}

export class Room {
  readonly connections = new Set<Connection>();
  private readonly state: RoomDoc;
  private readonly commits: CommitPipeline;
  private readonly compactor: Compactor;
  private readonly protocol: RoomProtocol;
  /** Who is in the room and where: awareness states, sent out once per tick. */
  private readonly presence: RoomPresence;
  private readonly channel: RoomChannel;
  private failed: StorageError | null = null;
  private destroyed = false;

  private constructor(
    readonly name: string,
    private readonly log: RoomLog,
    fanout: Fanout,
    private readonly options: RoomOptions,
  ) {
    const { logger } = options;
    this.channel = fanout.join(name);
    this.commits = new CommitPipeline({
      room: name,
      logger,
      log,
      writeIntervalMs: options.writeIntervalMs,
      gather: () => this.state.applyIncoming(),
      stateVector: () => this.state.stateVector(),
      committed: (batch, from, written) => this.committed(batch, from, written),
      idle: () => this.compactor.whenIdle(),
      failed: (error) => this.fail(error),
    });
    this.compactor = new Compactor({
      room: name,
      logger,
      log,
      snapshots: options.snapshots,
      compactAfterUpdates: options.compactAfterUpdates,
      compactAfterBytes: options.compactAfterBytes,
      lastWriteAt: () => this.commits.lastWriteAt,
      healthy: () => this.failed === null,
      failed: (error) => this.fail(error),
    });
    this.state = new RoomDoc({
      room: name,
      logger,
      commit: (entry) => this.commits.push(entry),
      received: () => this.commits.wake(),
      relayStored: (updates) => this.relay(mergeBatch(updates, logger, name), null),
      rejected: (conn, error) => options.onRejected(conn, error),
      open: () => this.failed === null && !this.destroyed,
      started: () => this.started(),
    });
    this.presence = new RoomPresence({
      room: name,
      logger,
      tickMs: options.presenceTickMs ?? PRESENCE_DEFAULTS.tickMs,
      slowPeerBytes: options.presenceSlowPeerBytes ?? PRESENCE_DEFAULTS.slowPeerBytes,
      maxStateBytes: options.maxAwarenessBytes,
      peers: () => this.connections,
      peerCount: () => this.connections.size,
      ...(fanout.shared && { publish: (update: Uint8Array) => this.channel.publishAwareness?.(update) }),
    });
    this.protocol = new RoomProtocol({ doc: this.state, presence: this.presence, afterPersisted: (fn) => this.afterPersisted(fn) });
  }

  /** Loads a room's stored log into a fresh doc. Broken stored updates are skipped and logged. */
  static async load(name: string, store: Store, fanout: Fanout, options: RoomOptions): Promise<Room> {
    const log = await store.openRoom(name);
    const room = new Room(name, log, fanout, options);
    const snapshotBytes = room.state.load(log);
    if (snapshotBytes !== null) room.compactor.loadedSnapshot(snapshotBytes);
    return room;
  }

  /** The doc holds the stored log: follow the other processes, and compact a long log. */
  private started(): void {
    this.channel.follow({
      updates: (updates) => this.state.applyRemote(updates),
      missed: (updates) => this.state.catchUp(updates),
      awareness: (update) => this.presence.receiveRemote(update),
    });
    // A long log (left by a crash) is compacted right after the first clients are answered.
    this.compactor.whenIdle();
  }

  /** The room's document (built from the stored snapshot if it was not yet). */
  get doc(): Y.Doc {
    this.state.materialize();
    return this.state.doc;
  }

  /** The whole document now, as one Yjs update (what a version or a backup keeps). */
  encodeState(): Uint8Array {
    this.state.materialize();
    return this.state.encodedState();
  }

  /**
   * The whole document as one Yjs update, answered once everything in it is stored (a page takes
   * it as the stored board, as it takes a sync answer; see RoomProtocol's step 1). A room that has
   * not built its document answers its stored snapshot and does not build it for this, unless
   * client edits wait to be applied: like every edit received before the request, they are in
   * the answer, which waits for their write. A StorageError if the store failed.
   */
  storedState(): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.destroyed) return Promise.reject(new StorageError(`room ${this.name} is unloaded`));
    this.state.applyWaiting();
    const state = this.state.encodedState();
    return new Promise((resolve, reject) => this.afterPersisted((error) => (error ? reject(error) : resolve(state))));
  }

  /**
   * The presence name of a connection of this room ('' if it shows none): who made an edit, for
   * version history. Empty once its presence is gone (the connection closed).
   */
  presenceName(conn: Connection): string {
    return this.presence.nameOf(conn);
  }

  get isFailed(): boolean {
    return this.failed !== null;
  }

  /**
   * Runs `fn(doc)` in one transaction with `origin` (API_ORIGIN for the API and the CLI) and
   * resolves with what it returns once the change is stored: it goes through the commit
   * pipeline like a client's edit, so it is relayed to every client and process only after. A
   * StorageError if the store fails.
   */
  edit<T>(origin: ChangeOrigin, fn: (doc: Y.Doc) => T): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.destroyed) return Promise.reject(new StorageError(`room ${this.name} is unloaded`));
    const result = this.state.edit(origin, fn);
    return new Promise((resolve, reject) => this.afterPersisted((error) => (error ? reject(error) : resolve(result))));
  }

  /** Joins a connection: sends everyone's presence, and our state vector once it is stored. */
  addConnection(conn: Connection): void {
    this.connections.add(conn);
    this.protocol.greet(conn);
    this.presence.greet(conn);
  }

  /** Leaves a connection; everyone is told its presence is gone (with the next tick). */
  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.presence.leave(conn);
    if (this.connections.size === 0) this.options.onEmpty?.(this);
  }

  /**
   * Handles one binary message from `conn`. Throws ProtocolError for anything malformed; the
   * caller closes that connection with the error's close code.
   */
  handleMessage(conn: Connection, data: Uint8Array): void {
    if (this.failed || this.destroyed) return;
    this.protocol.handleMessage(conn, data);
  }

  /** A batch is stored: observers are told, then it goes to the clients. */
  private committed(batch: readonly Uint8Array[], from: Connection | null, written: readonly PendingUpdate[]): void {
    if (this.options.onCommitted) {
      const editors = new Set<Connection | null>();
      for (const { authors } of written) for (const author of authors) editors.add(author);
      this.options.onCommitted(this, { updates: batch, editors });
    }
    this.relay(batch, from);
    this.compactor.afterWrite();
  }

  /**
   * Relays stored updates, encoded once for everyone but `from`. A sender is not sent its own
   * changes back when the batch is only its own: it holds them, and decoding them again is a
   * large part of a busy client's work (the reference server echoes them; y-websocket clients do
   * not need it). A batch merged from several senders goes to all of them: each would otherwise
   * need a merge of its own, and applying an update one already holds is cheap for a client.
   */
  private relay(updates: readonly Uint8Array[], from: Connection | null): void {
    const messages = updates.map((update) => encodeSyncMessage(SYNC_MESSAGE_TYPE.update, update));
    for (const conn of this.connections) if (conn !== from) conn.sendAll(messages);
  }

  /** Updates received and not (yet) known to be stored: waiting, being applied or being written. */
  get unstoredCount(): number {
    return this.state.incomingCount + this.commits.unstoredCount;
  }

  /** Runs `fn` once every update applied so far is written (or with the error if writing failed). */
  afterPersisted(fn: Waiter): void {
    this.commits.afterPersisted(fn);
  }

  /** Resolves once every update received so far is written; rejects if the store failed. */
  flush(): Promise<void> {
    // Nothing received may stay unapplied: build the doc even if answers are still going out.
    this.state.settle();
    return new Promise((resolve, reject) => this.afterPersisted((error) => (error ? reject(error) : resolve())));
  }

  /** The store failed: stop relaying, close every connection so clients keep their changes. */
  private fail(error: StorageError): void {
    if (this.failed) return;
    this.failed = error;
    this.commits.fail(error);
    this.options.logger.error({ err: error, room: this.name }, 'room storage failed; closing its connections');
    this.closeConnections(CLOSE_CODE.storageFailure);
    this.options.onFailure(this, error);
  }

  /** Closes every connection with `code`. */
  closeConnections(code: number): void {
    for (const conn of [...this.connections]) {
      this.removeConnection(conn);
      conn.close(code);
    }
  }

  /** Flushes and frees the room; the caller has made sure nobody is connected. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.compactor.stop();
    try {
      if (!this.failed) {
        await this.flush();
        await this.commits.drained;
        await this.compactor.finish();
      }
    } finally {
      this.release();
    }
  }

  /**
   * Frees the room without waiting for the store: for a shutdown whose time ran out while a
   * write or the last compaction never finished. What was not written stays with the clients.
   */
  abandon(): void {
    this.compactor.stop();
    this.release();
  }

  private release(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.channel.close();
    this.log.close();
    this.presence.close();
    this.state.close();
  }
}
