/**
 * A loaded room: its Y.Doc, presence, connections and the write pipeline.
 *
 * Durability rule: nothing leaves the server before it is on disk. Client updates are applied to
 * the doc (which validates them), queued, written to the log in one batch per round (group
 * commit, merged into one update), and only then relayed. A sync step 2 reply is computed when
 * asked for and sent once every update it may contain is written. So whatever a peer has seen
 * survives a kill -9. Presence is never stored: it goes out per tick (room-presence.ts).
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as authProtocol from 'y-protocols/auth';
import type { Logger } from 'pino';
import { ACCESS_ROLE, CLOSE_CODE, MESSAGE_TYPE, READ_ONLY_REASON, SYNC_MESSAGE_TYPE } from '../shared/protocol.ts';
import { REDIS_ORIGIN, REMOTE_ORIGIN, SERVER_ORIGIN, STORAGE_ORIGIN } from '../shared/origins.ts';
import { ensureMeta, readSchemaVersion } from '../shared/doc.ts';
import type { Connection } from './connection.ts';
import { ProtocolError, StorageError } from './errors.ts';
import type { Persistence, RoomLog } from './persistence.ts';
import { PRESENCE_DEFAULTS, RoomPresence } from './room-presence.ts';
import type { SnapshotBuilder } from './snapshots.ts';

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
}

type Waiter = (error: StorageError | null) => void;

/** A client's document message waiting to be applied. */
interface Incoming {
  conn: Connection;
  update: Uint8Array;
  /** An update message (an edit just made), not a sync step 2 (a whole state). */
  live: boolean;
}

/** True if `transaction` added or deleted anything. */
function changedDoc(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

/** An update applied to the doc and not yet written, with the connection that sent it. */
interface PendingUpdate {
  update: Uint8Array;
  /** The sender, which already holds it and is not sent it back; null: relay to everyone. */
  from: Connection | null;
}

/** A log over the compaction threshold is compacted once its room has written nothing for this long. */
const COMPACT_WHEN_IDLE_MS = 1000;

/** How long a room at rest answers from its stored snapshot before building its doc. */
const MATERIALIZE_DELAY_MS = 25;

function encodeSyncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** Reads `read(decoder)`, turning lib0's decoding errors into a malformed-message ProtocolError. */
function decodeOrThrow<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ProtocolError(CLOSE_CODE.malformedMessage, `cannot decode ${what}`, { cause: error });
  }
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly connections = new Set<Connection>();
  /** Updates applied to the doc but not yet written. */
  private pending: PendingUpdate[] = [];
  private pendingWaiters: Waiter[] = [];
  /** Waiters of the batch being written; null when no write is in flight. */
  private inflightWaiters: Waiter[] | null = null;
  /** Updates in the batch being written. */
  private inflightCount = 0;
  private draining = false;
  /** Client updates received this turn of the event loop, applied together by applyIncoming. */
  private incoming: Incoming[] = [];
  private applyScheduled = false;
  /** The connection whose updates applyIncoming is applying, for onDocUpdate to tag them. */
  private applyingFrom: Connection | null = null;
  /** Set while the room answers from its stored snapshot and has not built its doc yet. */
  private lazy: { snapshot: Uint8Array; stateVector: Uint8Array } | null = null;
  /** Stored snapshots being sent as answers; the doc is built only once they are out. */
  private lazyAnswersInFlight = 0;
  /** Size of the log right after the last compaction: a snapshot alone never triggers another. */
  private compactedBytes = 0;
  /** The running (or last) drain loop; destroy waits for it before its own compaction. */
  private drained: Promise<void> = Promise.resolve();
  private failed: StorageError | null = null;
  private destroyed = false;
  /** When the last write started (performance.now()), for the write interval and compaction. */
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  /** Set while a compaction waits for the room to go idle. */
  private compactTimer: NodeJS.Timeout | null = null;
  /** The compaction running in the background, if any. */
  private compacting: Promise<void> | null = null;
  /** A snapshot could not be built: no more live compactions until the room reloads. */
  private compactionBroken = false;
  /**
   * destroy() has begun (and stays set once it is done): it runs the last compaction itself, so no
   * background one starts.
   */
  private unloading = false;
  /** Who is in the room and where: awareness states, sent out once per tick. */
  private readonly presence: RoomPresence;

  private constructor(
    readonly name: string,
    private readonly log: RoomLog,
    private readonly options: RoomOptions,
  ) {
    this.presence = new RoomPresence({
      room: name,
      logger: options.logger,
      tickMs: options.presenceTickMs ?? PRESENCE_DEFAULTS.tickMs,
      slowPeerBytes: options.presenceSlowPeerBytes ?? PRESENCE_DEFAULTS.slowPeerBytes,
      maxStateBytes: options.maxAwarenessBytes,
      peers: () => this.connections,
      peerCount: () => this.connections.size,
      ...(log.publishAwareness && { publish: (update: Uint8Array) => log.publishAwareness!(update) }),
    });
  }

  /** Scale-out: from now on, apply what other server processes write to this room. */
  private followRemote(): void {
    this.log.subscribe?.({
      updates: (updates) => this.applyRemote(updates),
      missed: (updates) => this.catchUp(updates),
      awareness: (update) => this.presence.receiveRemote(update),
    });
  }

  /**
   * Applies updates another process stored and relays them as they are. They are applied with
   * the doc's update listener off: it would only re-encode bytes we already hold (measured as a
   * large part of a follower's CPU). The exception is a doc holding pending structs, a client
   * update that arrived before what it builds on: these updates may complete it, and what then
   * integrates must be stored by this process, so that transaction goes the normal way.
   */
  private applyRemote(updates: readonly Uint8Array[]): void {
    if (this.failed || this.destroyed) return;
    const completesLocal = this.holdsPending();
    const applied: Uint8Array[] = [];
    this.transact(!completesLocal, completesLocal ? REMOTE_ORIGIN : REDIS_ORIGIN, () => {
      for (const update of updates) {
        try {
          Y.applyUpdate(this.doc, update, REDIS_ORIGIN);
          applied.push(update);
        } catch (error) {
          this.options.logger.error({ err: error, room: this.name }, 'skipping an update from another process that does not apply');
        }
      }
    });
    // Stored by another process before it was published: relay at once (one frame for what one
    // read brought), never store it again.
    if (!completesLocal && applied.length > 0) this.relay(this.merge(applied), null);
  }

  /**
   * The stored state, read again after this process fell behind the shared log: applied like
   * other processes' updates, but only what the doc lacked goes to the clients, not the board.
   */
  private catchUp(updates: readonly Uint8Array[]): void {
    if (this.failed || this.destroyed) return;
    const stateVector = Y.encodeStateVector(this.doc);
    const missing: Uint8Array[] = [];
    updates.forEach((update, i) => {
      try {
        missing.push(Y.diffUpdate(update, stateVector));
      } catch (error) {
        this.options.logger.error({ err: error, room: this.name, entry: i }, 'skipping a stored update that does not decode');
      }
    });
    if (missing.length > 0) this.applyRemote([Y.mergeUpdates(missing)]);
  }

  /** The doc holds structs or deletions that wait for what they build on (an update that came early). */
  private holdsPending(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
  }

  /**
   * Runs `fn` in one transaction and returns what it returns. With `quiet`, the doc's update
   * listener is off meanwhile: Yjs then does not encode the change, and nothing of it is queued
   * for writing (the caller stores or relays the bytes it already has).
   */
  private transact<T>(quiet: boolean, origin: unknown, fn: (transaction: Y.Transaction) => T): T {
    if (quiet) this.doc.off('update', this.onDocUpdate);
    try {
      return this.doc.transact(fn, origin);
    } finally {
      if (quiet) this.doc.on('update', this.onDocUpdate);
    }
  }

  /** Loads a room's stored log into a fresh doc. Broken stored updates are skipped and logged. */
  static async load(name: string, persistence: Persistence, options: RoomOptions): Promise<Room> {
    const log = await persistence.openRoom(name);
    const room = new Room(name, log, options);
    const [only] = log.loaded;
    if (log.loaded.length === 1 && only && log.stateVector) {
      // A room at rest is one snapshot with its state vector: clients that join with nothing can
      // be answered with the stored bytes at once, and the doc is built right after.
      room.compactedBytes = only.byteLength;
      room.lazy = { snapshot: only, stateVector: log.stateVector };
      room.materializeSoon();
    } else {
      room.applyStored(log.loaded);
      room.start();
    }
    return room;
  }

  /**
   * Builds the doc a little later: the first clients' requests usually come in that time and
   * are answered from the snapshot, and building the doc blocks the event loop, which would hold
   * back the sending of those answers (measured: most of a cold load's time). Waits while an
   * answer is still being sent; the last one to finish calls this again.
   */
  private materializeSoon(): void {
    setTimeout(() => {
      if (this.lazyAnswersInFlight === 0) this.materialize();
    }, MATERIALIZE_DELAY_MS);
  }

  /** Builds the doc from the stored snapshot, if that is still to do. */
  private materialize(): void {
    const lazy = this.lazy;
    if (!lazy || this.destroyed) return;
    this.lazy = null;
    this.applyStored([lazy.snapshot]);
    this.start();
    // Client updates that came while the doc was not built yet were kept for now.
    if (this.incoming.length > 0 && !this.applyScheduled) {
      this.applyScheduled = true;
      setImmediate(this.applyIncoming);
    }
  }

  /** Starts live operation once the stored log is in the doc. */
  private start(): void {
    // Listen only now: for the load itself Yjs would encode the whole document into an event
    // that would be ignored anyway.
    this.doc.on('update', this.onDocUpdate);
    this.followRemote();
    // A new board gets its schema version from the server, so no client has to guess it.
    if (readSchemaVersion(this.doc) === null) this.doc.transact(() => ensureMeta(this.doc), SERVER_ORIGIN);
    // A long log (left by a crash) is compacted right after the first clients are answered.
    if (this.shouldCompact()) this.scheduleDrain();
  }

  private applyStored(updates: readonly Uint8Array[]): void {
    if (updates.length === 0) return;
    // One transaction for the whole log: measured 3-16x faster than Y.mergeUpdates first, and
    // a broken entry is skipped alone.
    this.doc.transact(() => {
      updates.forEach((update, i) => {
        try {
          Y.applyUpdate(this.doc, update, STORAGE_ORIGIN);
        } catch (error) {
          this.options.logger.error({ err: error, room: this.name, entry: i }, 'skipping a stored update that does not apply');
        }
      });
    }, STORAGE_ORIGIN);
  }

  get isFailed(): boolean {
    return this.failed !== null;
  }

  /**
   * Joins a connection: sends everyone's presence, and our state vector (sync step 1) once
   * everything in it is written. A client takes that vector as what the server has stored
   * (client/sync/offline-pending.ts): sent before a pending write, it would claim edits a crash
   * could still lose.
   */
  addConnection(conn: Connection): void {
    this.connections.add(conn);
    const step1 = encodeSyncMessage(SYNC_MESSAGE_TYPE.step1, this.lazy ? this.lazy.stateVector : Y.encodeStateVector(this.doc));
    this.afterPersisted((error) => {
      if (!error && conn.isOpen) conn.send(step1);
    });
    this.presence.greet(conn);
  }

  /** Leaves a connection; everyone is told its presence is gone (with the next tick). */
  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.presence.leave(conn);
  }

  /**
   * Handles one binary message from `conn`. Throws ProtocolError for anything malformed; the
   * caller closes that connection with the error's close code.
   */
  handleMessage(conn: Connection, data: Uint8Array): void {
    if (this.failed || this.destroyed) return;
    const decoder = decoding.createDecoder(data);
    const type = decodeOrThrow('message type', () => decoding.readVarUint(decoder));
    switch (type) {
      case MESSAGE_TYPE.sync:
        this.handleSync(conn, decoder);
        break;
      case MESSAGE_TYPE.awareness: {
        const update = decodeOrThrow('awareness message', () => decoding.readVarUint8Array(decoder));
        this.presence.receive(conn, update);
        break;
      }
      case MESSAGE_TYPE.queryAwareness:
        this.presence.answerQuery(conn);
        break;
      case MESSAGE_TYPE.auth:
        // Auth messages flow server → client only; a client's is ignored, like the reference's.
        return;
      default:
        throw new ProtocolError(CLOSE_CODE.unknownMessageType, `unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) {
      throw new ProtocolError(CLOSE_CODE.malformedMessage, `message type ${type} has ${data.length - decoder.pos} trailing bytes`);
    }
  }

  private handleSync(conn: Connection, decoder: decoding.Decoder): void {
    const subType = decodeOrThrow('sync message type', () => decoding.readVarUint(decoder));
    const payload = decodeOrThrow('sync message', () => decoding.readVarUint8Array(decoder));
    if (this.lazy) {
      // An empty state vector (a single varint 0) asks for everything: the stored snapshot.
      if (subType === SYNC_MESSAGE_TYPE.step1 && payload.length === 1 && payload[0] === 0) {
        this.lazyAnswersInFlight += 1;
        conn.send(encodeSyncMessage(SYNC_MESSAGE_TYPE.step2, this.lazy.snapshot), () => {
          this.lazyAnswersInFlight -= 1;
          if (this.lazyAnswersInFlight === 0) this.materializeSoon();
        });
        return;
      }
      // A client's own state (step 2) and its edits wait in `incoming` until the doc is built
      // (applyIncoming); anything else needs the doc now.
      const waits = (subType === SYNC_MESSAGE_TYPE.step2 || subType === SYNC_MESSAGE_TYPE.update) && conn.role !== ACCESS_ROLE.view;
      if (!waits) this.materialize();
    }
    switch (subType) {
      case SYNC_MESSAGE_TYPE.step1: {
        // Edits that came before this request in the same turn are not applied yet: the answer
        // must hold them and wait for their write (clients probe with a step 1 to learn that
        // their edits are stored).
        if (this.incoming.length > 0) this.applyIncoming();
        let reply: Uint8Array;
        try {
          reply = encodeSyncMessage(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(this.doc, payload));
        } catch (error) {
          throw new ProtocolError(CLOSE_CODE.malformedMessage, 'invalid state vector', { cause: error });
        }
        // The reply may hold updates still being written: send it once they are on disk.
        this.afterPersisted((error) => {
          if (!error) conn.send(reply);
        });
        break;
      }
      case SYNC_MESSAGE_TYPE.step2:
      case SYNC_MESSAGE_TYPE.update:
        if (conn.role === ACCESS_ROLE.view) {
          this.dropWrite(conn, subType, payload);
          break;
        }
        this.incoming.push({ conn, update: payload, live: subType === SYNC_MESSAGE_TYPE.update });
        if (!this.applyScheduled) {
          this.applyScheduled = true;
          setImmediate(this.applyIncoming);
        }
        break;
      default:
        throw new ProtocolError(CLOSE_CODE.malformedMessage, `unknown sync message type ${subType}`);
    }
  }

  /**
   * A view-only connection's document write is dropped. The first one that would change
   * something earns it a permission-denied message. Every client sends a sync step 2 on connect,
   * so a step 2 holding nothing new is not a write; it is checked against the whole doc, which
   * costs what answering its step 1 costs. An update message is always an attempted edit.
   */
  private dropWrite(conn: Connection, subType: number, update: Uint8Array): void {
    if (conn.toldReadOnly) return;
    if (subType === SYNC_MESSAGE_TYPE.step2) {
      let known: boolean;
      try {
        known = Y.snapshotContainsUpdate(Y.snapshot(this.doc), update);
      } catch (error) {
        throw new ProtocolError(CLOSE_CODE.invalidUpdate, 'update does not decode', { cause: error });
      }
      if (known) return;
    }
    conn.toldReadOnly = true;
    conn.log.info('dropping writes of a view-only connection');
    conn.send(encodePermissionDenied(READ_ONLY_REASON));
  }

  /**
   * Applies every client update received in this turn of the event loop, one transaction per
   * sender, so what a sender changed can be relayed to everyone but that sender. An update that
   * does not apply closes only its sender; the others still go in.
   */
  private readonly applyIncoming = (): void => {
    this.applyScheduled = false;
    if (this.lazy) {
      // Building the doc now would hold back the stored snapshots still being sent; the last of
      // them to go out builds it, and that applies what waits here.
      if (this.lazyAnswersInFlight > 0) return;
      this.materialize();
    }
    const received = this.incoming;
    this.incoming = [];
    if (received.length === 0 || this.failed || this.destroyed) return;
    const bySender = new Map<Connection, Incoming[]>();
    for (const message of received) {
      const messages = bySender.get(message.conn);
      if (messages) messages.push(message);
      else bySender.set(message.conn, [message]);
    }
    const rejected: Array<{ conn: Connection; error: unknown }> = [];
    for (const [conn, messages] of bySender) this.applyFrom(conn, messages, rejected);
    for (const { conn, error } of rejected) {
      this.options.onRejected(conn, new ProtocolError(CLOSE_CODE.invalidUpdate, 'update does not apply', { cause: error }));
    }
  };

  /**
   * Applies one sender's messages in one transaction.
   *
   * Live edits are stored and relayed as the bytes the client sent: a client sends exactly what
   * its transaction changed, so letting Yjs encode the change again (the doc's update event)
   * would only reproduce them; it cost an eighth of a busy server's CPU. Everything else goes
   * through the update event, which leaves out what the doc already holds: a sync step 2 (a
   * client's whole state on connecting, mostly known here), and any message while the doc holds
   * pending structs (an earlier update that came before what it builds on), as this transaction
   * may then integrate someone else's changes too, which everyone must get.
   */
  private applyFrom(conn: Connection, messages: readonly Incoming[], rejected: Array<{ conn: Connection; error: unknown }>): void {
    const settled = !this.holdsPending();
    const asSent = settled && messages.every(({ live }) => live);
    const applied: Uint8Array[] = [];
    let failed = false;
    this.applyingFrom = settled ? conn : null;
    let transaction: Y.Transaction;
    try {
      transaction = this.transact(asSent, REMOTE_ORIGIN, (tr) => {
        // A sender that closed meanwhile still sent this update: it is applied like the rest.
        for (const { update } of messages) {
          try {
            Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
            applied.push(update);
          } catch (error) {
            failed = true;
            rejected.push({ conn, error });
          }
        }
        return tr;
      });
    } finally {
      this.applyingFrom = null;
    }
    if (!asSent || !changedDoc(transaction)) return;
    if (failed) {
      // A broken update may have been integrated in part before it threw; store what the doc
      // gained, whatever it came from.
      this.pending.push({ update: Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(transaction.beforeState)), from: null });
    } else {
      for (const update of applied) this.pending.push({ update, from: conn });
    }
    this.scheduleDrain();
  }

  /** Queues what a client update actually changed (Yjs leaves duplicates out) for writing. */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORAGE_ORIGIN) return;
    this.pending.push({ update, from: this.applyingFrom });
    this.scheduleDrain();
  };

  /**
   * Relays a written batch, encoded once for everyone but `from`. A sender is not sent its own
   * changes back when the batch is only its own: it holds them, and decoding them again is a
   * large part of a busy client's work (the reference server echoes them; y-websocket clients do
   * not need it). A batch merged from several senders goes to all of them: each would otherwise
   * need a merge of its own, and applying an update one already holds is cheap for a client.
   */
  private relay(updates: readonly Uint8Array[], from: Connection | null): void {
    const messages = updates.map((update) => encodeSyncMessage(SYNC_MESSAGE_TYPE.update, update));
    for (const conn of this.connections) if (conn !== from) conn.sendAll(messages);
  }

  /**
   * `updates` as one update, so a batch is one log entry and one frame per peer however many
   * edits it holds: in a busy room frames then grow with the number of writes, not of edits times
   * peers. Each update has applied to the doc, so Yjs merges them; should it still refuse, they
   * stay as they are.
   */
  private merge(updates: readonly Uint8Array[]): readonly Uint8Array[] {
    if (updates.length < 2) return updates;
    try {
      return [Y.mergeUpdates([...updates])];
    } catch (error) {
      this.options.logger.error({ err: error, room: this.name, updates: updates.length }, 'cannot merge a batch; writing and relaying its updates one by one');
      return updates;
    }
  }

  /** Updates received and not (yet) known to be stored: waiting, being applied or being written. */
  get unstoredCount(): number {
    return this.incoming.length + this.pending.length + this.inflightCount;
  }

  /** Runs `fn` once every update applied so far is written (or with the error if writing failed). */
  afterPersisted(fn: Waiter): void {
    if (this.failed) fn(this.failed);
    else if (this.pending.length > 0) this.pendingWaiters.push(fn);
    else if (this.inflightWaiters) this.inflightWaiters.push(fn);
    else fn(null);
  }

  /** Resolves once every update applied so far is written; rejects if the store failed. */
  flush(): Promise<void> {
    // Nothing received may stay unapplied: build the doc even if answers are still going out.
    this.materialize();
    this.applyIncoming();
    return new Promise((resolve, reject) => this.afterPersisted((error) => (error ? reject(error) : resolve())));
  }

  private scheduleDrain(): void {
    if (this.draining || this.failed) return;
    this.draining = true;
    this.drained = this.drain();
  }

  /** The log is long enough to be worth folding into one update. */
  private shouldCompact(): boolean {
    return this.log.length >= this.options.compactAfterUpdates || this.appendedBytes() >= this.byteThreshold();
  }

  /** Bytes appended since the last compaction. */
  private appendedBytes(): number {
    return this.log.bytes - this.compactedBytes;
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
    return this.log.length >= 4 * this.options.compactAfterUpdates || this.appendedBytes() >= 2 * this.byteThreshold();
  }

  /**
   * The group-commit loop: one write per round, holding everything that arrived meanwhile; then,
   * once nothing is pending, compaction if the log has grown long.
   */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        while (this.pending.length > 0 && !this.failed) {
          // A room that was quiet writes at once; what comes in during a write is merged into the
          // next one. With a write interval, a busy room also gathers for a moment between writes.
          const wait = this.lastWriteAt + this.options.writeIntervalMs - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (this.failed) return;
          this.lastWriteAt = performance.now();
          const waiters = this.pendingWaiters;
          const pending = this.pending;
          this.pending = [];
          this.pendingWaiters = [];
          this.inflightWaiters = waiters;
          this.inflightCount = pending.length;
          const batch = this.merge(pending.map(({ update }) => update));
          // Only its sender holds a batch that is all its own.
          const sender = pending[0]!.from;
          const from = pending.every((entry) => entry.from === sender) ? sender : null;
          try {
            await this.log.append(batch, Y.encodeStateVector(this.doc));
          } catch (error) {
            this.fail(error);
            return;
          }
          this.inflightWaiters = null;
          this.inflightCount = 0;
          this.relay(batch, from);
          for (const waiter of waiters) waiter(null);
          if (this.mustCompactNow()) this.startCompaction();
        }
        if (this.failed || this.unloading || !this.shouldCompact()) return;
        const idleFor = performance.now() - this.lastWriteAt;
        if (idleFor < COMPACT_WHEN_IDLE_MS) {
          this.compactWhenIdle(COMPACT_WHEN_IDLE_MS - idleFor);
          return;
        }
        this.startCompaction();
        return;
      }
    } finally {
      this.draining = false;
    }
  }

  /** Runs the drain loop again in `ms`, which compacts if the room has stayed idle. */
  private compactWhenIdle(ms: number): void {
    if (this.compactTimer) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      this.scheduleDrain();
    }, ms);
  }

  /**
   * Compacts in the background: writes go on meanwhile (the log replaces only the entries it
   * folded). One compaction at a time per room.
   */
  private startCompaction(): void {
    if (this.compacting || this.compactionBroken || this.failed || this.unloading) return;
    this.compacting = this.compact()
      .then((compacted) => {
        // Writes went on during the build; if they made the log long again (or an idle check
        // came while this ran and did nothing), the drain loop decides when to compact again.
        if (compacted && !this.unloading && this.shouldCompact()) this.scheduleDrain();
      })
      .catch((error: unknown) => {
        if (error instanceof StorageError) {
          this.fail(error);
          return;
        }
        // Nothing was written: the log stays complete. Not retried on every write; the next
        // load of the room tries again.
        this.compactionBroken = true;
        this.options.logger.error({ err: error, room: this.name }, 'compaction failed; keeping the log as it is until the room reloads');
      })
      .finally(() => {
        this.compacting = null;
      });
  }

  /**
   * Folds the log into one update, built from the stored entries by the snapshot builder (in its
   * worker for a large log, so a large board does not stall every other room of the process).
   */
  private async compact(): Promise<boolean> {
    const before = this.log.length;
    if (!(await this.log.compact((entries) => this.options.snapshots.build(entries, this.name)))) return false;
    this.compactedBytes = this.log.bytes;
    this.options.logger.debug({ room: this.name, entries: before }, 'compacted room log');
    return true;
  }

  /** The store failed: stop relaying, close every connection so clients keep their changes. */
  private fail(error: unknown): void {
    if (this.failed) return;
    const storageError = error instanceof StorageError ? error : new StorageError(String(error), { cause: error });
    this.failed = storageError;
    this.options.logger.error({ err: storageError, room: this.name }, 'room storage failed; closing its connections');
    const waiters = [...(this.inflightWaiters ?? []), ...this.pendingWaiters];
    this.inflightWaiters = null;
    this.pendingWaiters = [];
    this.pending = [];
    for (const waiter of waiters) waiter(storageError);
    this.closeConnections(CLOSE_CODE.storageFailure);
    this.options.onFailure(this, storageError);
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
    this.unloading = true;
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
    try {
      if (!this.failed) {
        await this.flush();
        await this.drained;
        await this.compacting;
        // A room at rest is one snapshot, so its next load reads and applies a single entry.
        if (!this.failed && this.log.length > 1) {
          try {
            await this.compact();
          } catch (error) {
            // The compaction batch is atomic: the log stays as it was, complete, just longer.
            this.options.logger.warn({ err: error, room: this.name }, 'compaction on unload failed; keeping the log as it is');
          }
        }
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
    this.unloading = true;
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
    this.release();
  }

  private release(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.log.close?.();
    this.doc.off('update', this.onDocUpdate);
    this.presence.close();
    this.doc.destroy();
  }
}
