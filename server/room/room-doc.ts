/**
 * A room's document integration: the Y.Doc and everything that changes it (client updates, the
 * stored log, other processes' updates, the server's own edits). Its invariant: every change the
 * doc integrates that is not yet stored is handed to the commit pipeline exactly once, with its
 * sender; what came from the store or from another process (stored there) never is. It sends
 * nothing itself, except the stored snapshot a room at rest answers with before building its doc.
 */
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { CLOSE_CODE } from '../../shared/protocol.ts';
import { REDIS_ORIGIN, REMOTE_ORIGIN, SERVER_ORIGIN, STORAGE_ORIGIN, type ChangeOrigin } from '../../shared/origins.ts';
import { ensureMeta, readSchemaVersion } from '../../shared/doc.ts';
import type { Connection } from '../connection.ts';
import { ProtocolError } from '../errors.ts';
import type { RoomLog } from '../store/store.ts';
import type { PendingUpdate } from './commit-pipeline.ts';

/** How long a room at rest answers from its stored snapshot before building its doc. */
const MATERIALIZE_DELAY_MS = 25;

/** Who made the server's own changes (an import, a restore, what completes another process's update). */
const SERVER_AUTHORS: ReadonlySet<Connection | null> = new Set([null]);

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

export interface RoomDocOptions {
  room: string;
  logger: Logger;
  /** Hands a change the doc integrated to the commit pipeline. */
  commit(entry: PendingUpdate): void;
  /** Client messages wait in `incoming`: the commit pipeline applies them (applyIncoming) in its next round. */
  received(): void;
  /** Sends updates another process stored to every client now (they are never stored here). */
  relayStored(updates: readonly Uint8Array[]): void;
  /** A client's update did not apply; its connection is closed. */
  rejected(conn: Connection, error: ProtocolError): void;
  /** Whether the room still takes changes (not failed, not unloaded). */
  open(): boolean;
  /** The doc holds the stored log and takes changes now. */
  started(): void;
}

export class RoomDoc {
  readonly doc = new Y.Doc({ gc: true });
  /** Client updates received since the pipeline's last round, applied together by applyIncoming. */
  private incoming: Incoming[] = [];
  /** While applyIncoming applies: who not to send the change back to (null: everyone), for onDocUpdate. */
  private applyingFrom: Connection | null = null;
  /** While applyIncoming applies: whose messages they are, for onDocUpdate. */
  private applyingAuthors: ReadonlySet<Connection | null> | null = null;
  /** Set while the room answers from its stored snapshot and has not built its doc yet. */
  private lazy: { snapshot: Uint8Array; stateVector: Uint8Array } | null = null;
  /** Stored snapshots being sent as answers; the doc is built only once they are out. */
  private lazyAnswersInFlight = 0;
  private closed = false;
  /**
   * The whole doc as one update, once asked for (encodedState), until the doc next changes: a
   * board opened by many pages at once is encoded once, not once per page.
   */
  private encoded: Uint8Array | null = null;

  constructor(private readonly options: RoomDocOptions) {
    // afterTransaction rather than update: the quiet transactions (transact below) turn the update
    // listener off so that Yjs does not encode what they apply, and they change the doc too.
    this.doc.on('afterTransaction', this.dropEncoded);
  }

  private readonly dropEncoded = (transaction: Y.Transaction): void => {
    if (this.encoded !== null && changedDoc(transaction)) this.encoded = null;
  };

  /**
   * The whole document as one update: the stored snapshot while the doc is not built (building it
   * is not worth one answer), else the doc's encoding, made at most once per change.
   */
  encodedState(): Uint8Array {
    if (this.lazy) return this.lazy.snapshot;
    this.encoded ??= Y.encodeStateAsUpdate(this.doc);
    return this.encoded;
  }

  /**
   * Takes in the stored log. A room at rest is one snapshot with its state vector: clients that
   * join with nothing can be answered with the stored bytes at once, and the doc is built right
   * after. Returns the bytes of that snapshot, or null if the log was applied now.
   */
  load(log: RoomLog): number | null {
    const [only] = log.loaded;
    if (log.loaded.length === 1 && only && log.stateVector) {
      this.lazy = { snapshot: only, stateVector: log.stateVector };
      this.materializeSoon();
      return only.byteLength;
    }
    this.applyStored(log.loaded);
    this.start();
    return null;
  }

  /** Answering from the stored snapshot; the doc is not built yet. */
  get isLazy(): boolean {
    return this.lazy !== null;
  }

  /** The state vector of what the room holds (stored or built). */
  stateVector(): Uint8Array {
    return this.lazy ? this.lazy.stateVector : Y.encodeStateVector(this.doc);
  }

  /** Client updates not yet applied. */
  get incomingCount(): number {
    return this.incoming.length;
  }

  /**
   * Sends the stored snapshot wrapped by `wrap` (a sync step 2) to `conn`; the doc is built once
   * every such answer is out. Only while lazy.
   */
  sendStoredSnapshot(conn: Connection, wrap: (snapshot: Uint8Array) => Uint8Array): void {
    const lazy = this.lazy;
    if (!lazy) return;
    this.lazyAnswersInFlight += 1;
    conn.send(wrap(lazy.snapshot), () => {
      this.lazyAnswersInFlight -= 1;
      if (this.lazyAnswersInFlight === 0) this.materializeSoon();
    });
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
  materialize(): void {
    const lazy = this.lazy;
    if (!lazy || this.closed) return;
    this.lazy = null;
    this.applyStored([lazy.snapshot]);
    this.start();
    // Client updates that came while the doc was not built yet were kept for now.
    if (this.incoming.length > 0) this.options.received();
  }

  /** Starts live operation once the stored log is in the doc. */
  private start(): void {
    // Listen only now: for the load itself Yjs would encode the whole document into an event
    // that would be ignored anyway.
    this.doc.on('update', this.onDocUpdate);
    this.options.started();
    // A new board gets its schema version from the server, so no client has to guess it.
    if (readSchemaVersion(this.doc) === null) this.doc.transact(() => ensureMeta(this.doc), SERVER_ORIGIN);
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
          this.options.logger.error({ err: error, room: this.options.room, entry: i }, 'skipping a stored update that does not apply');
        }
      });
    }, STORAGE_ORIGIN);
  }

  /** Queues a client's document message, applied with the others of the pipeline's next round (applyIncoming). */
  receive(conn: Connection, update: Uint8Array, live: boolean): void {
    this.incoming.push({ conn, update, live });
    this.options.received();
  }

  /**
   * Applies every client message received since the last call. The edits go in all together, in
   * one transaction: Yjs encodes what they changed once, as one update for everyone (applyAll).
   * A sync step 2 (a client's whole state, sent on connecting) goes in as a transaction of its
   * own first, so that its sender counts as an editor only if it brought something new (an
   * offline spell's edits), not for connecting. An update that does not apply closes only its
   * sender; the others still go in.
   */
  applyIncoming(): void {
    if (this.lazy) {
      // Building the doc now would hold back the stored snapshots still being sent; the last of
      // them to go out builds it, and that applies what waits here.
      if (this.lazyAnswersInFlight > 0) return;
      this.materialize();
    }
    const received = this.incoming;
    this.incoming = [];
    if (received.length === 0 || !this.options.open()) return;
    const rejected = new Map<Connection, unknown>();
    const edits: Incoming[] = [];
    for (const message of received) {
      if (message.live) edits.push(message);
      else this.applyAll([message], rejected);
    }
    const [only] = edits;
    if (edits.length === 1 && !this.holdsPending()) this.applyAsSent(only!, rejected);
    else if (edits.length > 0) this.applyAll(edits, rejected);
    for (const [conn, error] of rejected) {
      this.options.rejected(conn, new ProtocolError(CLOSE_CODE.invalidUpdate, 'update does not apply', { cause: error }));
    }
  }

  /**
   * Applies the client messages that wait for the pipeline's next round now: for an answer that
   * must hold them and wait for their write (a step 1's reply, a joiner's state vector, the
   * stored board).
   */
  applyWaiting(): void {
    if (this.incoming.length > 0) this.applyIncoming();
  }

  /** Builds the doc if need be and applies every client update received so far. */
  settle(): void {
    this.materialize();
    this.applyIncoming();
  }

  /**
   * A quiet room's one edit is stored and relayed as the bytes the client sent: a client sends
   * exactly what its transaction changed, so letting Yjs encode the change again (the doc's update
   * event) would only reproduce them.
   */
  private applyAsSent({ conn, update }: Incoming, rejected: Map<Connection, unknown>): void {
    const { transaction, failure } = this.transact(true, REMOTE_ORIGIN, (tr) => {
      try {
        Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
        return { transaction: tr, failure: null };
      } catch (error) {
        return { transaction: tr, failure: { error } };
      }
    });
    if (!changedDoc(transaction)) {
      if (failure) rejected.set(conn, failure.error);
      return;
    }
    const authors = new Set([conn]);
    if (failure) {
      rejected.set(conn, failure.error);
      // A broken update may have been integrated in part before it threw: store what the doc gained.
      this.options.commit({ update: Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(transaction.beforeState)), from: null, authors });
    } else {
      this.options.commit({ update, from: conn, authors });
    }
  }

  /**
   * Applies messages, of one sender or many, in one transaction, and stores and relays the one
   * update Yjs encodes for it, if the doc gained anything: it leaves out what the doc already held
   * (a sync step 2 is a client's whole state, mostly known here), and it holds everyone's edits at
   * once, so a busy room's round is one write and one frame per peer; their senders are its
   * editors. It goes back to a lone sender only if the doc held no pending structs (an earlier
   * update that came before what it builds on): else this transaction may integrate someone
   * else's changes too.
   */
  private applyAll(messages: readonly Incoming[], rejected: Map<Connection, unknown>): void {
    const senders = new Set(messages.map(({ conn }) => conn));
    const [sender] = senders;
    this.applyingFrom = senders.size === 1 && !this.holdsPending() ? sender! : null;
    this.applyingAuthors = senders;
    try {
      this.doc.transact(() => {
        // A sender that closed meanwhile still sent these updates: they are applied like the rest.
        for (const { conn, update } of messages) {
          if (rejected.has(conn)) continue;
          try {
            Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
          } catch (error) {
            // What a broken update integrated before it threw is in the transaction's update too.
            rejected.set(conn, error);
          }
        }
      }, REMOTE_ORIGIN);
    } finally {
      this.applyingFrom = null;
      this.applyingAuthors = null;
    }
  }

  /** Queues what a change actually did (Yjs leaves duplicates out) for writing. */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORAGE_ORIGIN) return;
    this.options.commit({ update, from: this.applyingFrom, authors: this.applyingAuthors ?? SERVER_AUTHORS });
  };

  /**
   * Runs `fn` on the doc in one transaction with `origin`, a change of the server's own (an
   * import, restore or repair); it goes to every client once stored. Builds the doc first.
   */
  edit<T>(origin: ChangeOrigin, fn: (doc: Y.Doc) => T): T {
    this.settle();
    return this.doc.transact(() => fn(this.doc), origin);
  }

  /**
   * Applies updates another process stored and relays them as they are. They are applied with
   * the doc's update listener off: it would only re-encode bytes we already hold (measured as a
   * large part of a follower's CPU). The exception is a doc holding pending structs, a client
   * update that arrived before what it builds on: these updates may complete it, and what then
   * integrates must be stored by this process, so that transaction goes the normal way.
   */
  applyRemote(updates: readonly Uint8Array[]): void {
    if (!this.options.open()) return;
    const completesLocal = this.holdsPending();
    const applied: Uint8Array[] = [];
    this.transact(!completesLocal, completesLocal ? REMOTE_ORIGIN : REDIS_ORIGIN, () => {
      for (const update of updates) {
        try {
          Y.applyUpdate(this.doc, update, REDIS_ORIGIN);
          applied.push(update);
        } catch (error) {
          this.options.logger.error({ err: error, room: this.options.room }, 'skipping an update from another process that does not apply');
        }
      }
    });
    // Stored by another process before it was published: relay at once, never store it again.
    if (!completesLocal && applied.length > 0) this.options.relayStored(applied);
  }

  /**
   * The stored state, read again after this process fell behind the shared log: applied like
   * other processes' updates, but only what the doc lacked goes to the clients, not the board.
   */
  catchUp(updates: readonly Uint8Array[]): void {
    if (!this.options.open()) return;
    const stateVector = Y.encodeStateVector(this.doc);
    const missing: Uint8Array[] = [];
    updates.forEach((update, i) => {
      try {
        missing.push(Y.diffUpdate(update, stateVector));
      } catch (error) {
        this.options.logger.error({ err: error, room: this.options.room, entry: i }, 'skipping a stored update that does not decode');
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

  close(): void {
    this.closed = true;
    this.encoded = null;
    this.doc.off('update', this.onDocUpdate);
    this.doc.off('afterTransaction', this.dropEncoded);
    this.doc.destroy();
  }
}
