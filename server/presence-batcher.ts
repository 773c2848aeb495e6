/**
 * Sends a room's presence changes out once per tick, as one message for everyone.
 *
 * Relaying each awareness message to each peer costs a room of N moving cursors N² frames; here
 * the clients whose state changed are collected, and a flush sends one awareness message holding
 * the latest state of each of them, encoded once and sent to every peer (a peer's own entry comes
 * back at the clock it holds, which y-protocols ignores). A busy room flushes at most once per
 * tick, so each peer gets at most one presence frame per tick however many people move; the first
 * change after a quiet tick goes out in the same turn of the event loop, so a quiet room adds no
 * delay.
 *
 * Presence is lossy by design: a peer whose socket has more than `slowPeerBytes` waiting is not
 * sent more. Once it has drained it gets one message with the latest state of every client that
 * changed meanwhile, so a slow client catches up with the present instead of a backlog.
 */
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPE } from '../shared/protocol.ts';
import { roomTickMs } from './tick.ts';

/** What the batcher needs of a connection. */
export interface PresencePeer {
  readonly isOpen: boolean;
  /** Bytes queued on the socket and not yet handed to the OS. */
  readonly bufferedAmount: number;
  send(message: Uint8Array): void;
}

export interface PresenceBatcherOptions<Peer extends PresencePeer> {
  /** Least time between two flushes of a busy room (see ServerOptions.presenceTickMs), by its size (tick.ts). */
  tickMs: number;
  /** A peer with more than this many bytes waiting is skipped until it has drained. */
  slowPeerBytes: number;
  /** The peers to send to now. */
  peers: () => Iterable<Peer>;
  /** How many they are (a large room's tick is longer). */
  peerCount: () => number;
  /** An awareness update holding the current entries of `clientIds`. */
  encode: (clientIds: Iterable<number>) => Uint8Array;
  /** Passes changes made by this process's clients on to the other processes; absent without scale-out. */
  publish?: (update: Uint8Array) => void;
}

/** A whole awareness message: the message type, then the update. */
export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export class PresenceBatcher<Peer extends PresencePeer> {
  /** Clients whose entry changed since the last flush. */
  private readonly changed = new Set<number>();
  /** Those of them changed by this process's clients (not by another process), to publish. */
  private readonly changedHere = new Set<number>();
  /** Peers skipped while slow, with the clients that changed since they fell behind. */
  private readonly behind = new Map<Peer, Set<number>>();
  private cancelFlush: (() => void) | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly options: PresenceBatcherOptions<Peer>) {}

  /**
   * Marks the entries of `clientIds` as changed. `here`: the change came from a client of this
   * process (or its socket closing), so other processes are told too.
   */
  changedEntries(clientIds: readonly number[], here: boolean): void {
    if (clientIds.length === 0 || this.closed) return;
    for (const clientId of clientIds) {
      this.changed.add(clientId);
      if (here) this.changedHere.add(clientId);
    }
    this.schedule();
  }

  /** A peer left the room: nothing more is kept for it. */
  forget(peer: Peer): void {
    this.behind.delete(peer);
  }

  /** Stops: no more flushes. */
  close(): void {
    this.closed = true;
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.behind.clear();
  }

  /** Flushes at the end of this turn if the last flush was a tick ago or more, else a tick after it. */
  private schedule(): void {
    if (this.cancelFlush || this.closed) return;
    const wait = this.lastFlushAt + roomTickMs(this.options.tickMs, this.options.peerCount()) - performance.now();
    if (wait > 0) {
      const timer = setTimeout(this.flush, wait);
      timer.unref();
      this.cancelFlush = () => clearTimeout(timer);
    } else {
      // Not at once: other messages read in this turn of the event loop join the same flush.
      const immediate = setImmediate(this.flush);
      this.cancelFlush = () => clearImmediate(immediate);
    }
  }

  private readonly flush = (): void => {
    this.cancelFlush = null;
    if (this.closed) return;
    this.lastFlushAt = performance.now();
    if (this.changed.size > 0) this.sendChanges();
    this.catchUpDrained();
    // A peer still behind is looked at again next tick, even if nothing else changes.
    if (this.behind.size > 0) this.schedule();
  };

  private sendChanges(): void {
    const clientIds = [...this.changed];
    const update = this.options.encode(clientIds);
    const message = encodeAwarenessMessage(update);
    for (const peer of this.options.peers()) {
      const backlog = this.behind.get(peer);
      if (backlog) {
        for (const clientId of clientIds) backlog.add(clientId);
      } else if (peer.bufferedAmount > this.options.slowPeerBytes) {
        this.behind.set(peer, new Set(clientIds));
      } else {
        peer.send(message);
      }
    }
    if (this.options.publish && this.changedHere.size > 0) {
      this.options.publish(this.changedHere.size === clientIds.length ? update : this.options.encode(this.changedHere));
    }
    this.changed.clear();
    this.changedHere.clear();
  }

  /** Sends each peer that has drained the latest entries of what changed while it was behind. */
  private catchUpDrained(): void {
    for (const [peer, backlog] of this.behind) {
      if (!peer.isOpen) {
        this.behind.delete(peer);
      } else if (peer.bufferedAmount <= this.options.slowPeerBytes) {
        this.behind.delete(peer);
        peer.send(encodeAwarenessMessage(this.options.encode(backlog)));
      }
    }
  }
}
