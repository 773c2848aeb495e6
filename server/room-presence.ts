/**
 * The presence half of a room: the awareness states (AwarenessStore), which connection announced
 * which client (so a closing socket takes its presence with it), expiry of states nobody renews,
 * and the per-tick fan-out (PresenceBatcher).
 */
import type { Logger } from 'pino';
import { readPresence } from '../shared/presence.ts';
import { AwarenessStore } from './awareness-store.ts';
import type { Connection } from './connection.ts';
import { encodeAwarenessMessage, PresenceBatcher } from './presence-batcher.ts';

/**
 * A state not renewed for this long is removed, as y-protocols' Awareness does: clients renew
 * theirs every 15 s, so only the presence of a client behind a process that died gets this old.
 */
const AWARENESS_TIMEOUT_MS = 30_000;

/** How often states are checked for expiry (y-protocols checks at a tenth of the timeout too). */
const EXPIRY_CHECK_MS = AWARENESS_TIMEOUT_MS / 10;

/** The presence tick and the slow-peer mark unless configured (ServerOptions.presenceTickMs, presenceSlowPeerBytes). */
export const PRESENCE_DEFAULTS = {
  /**
   * One frame of a 60 Hz display: clients draw remote presence at most once a frame, so a
   * shorter tick sends frames nobody sees and a longer one adds visible delay. It adds at most
   * 16 ms (8 on average) to a gesture on its way (clients publish gestures every 16 ms too), so a
   * stroke stays well under 50 ms end to end; and it caps what a peer gets at ~62 presence
   * messages a second, which stock providers send back, well under the default 200 messages/s
   * per connection.
   */
  tickMs: 16,
  /** A megabyte waiting: a peer that far behind would only see old positions anyway. */
  slowPeerBytes: 1024 * 1024,
} as const;

export interface RoomPresenceOptions {
  room: string;
  logger: Logger;
  /** Least time between two presence messages to a peer of a busy room. */
  tickMs: number;
  /** A peer with more than this many bytes waiting gets no presence until it has drained. */
  slowPeerBytes: number;
  /** Largest JSON of one client's state; more closes the connection (4413). */
  maxStateBytes: number;
  /** The room's connections now. */
  peers: () => Iterable<Connection>;
  peerCount: () => number;
  /** Scale-out: passes this process's presence changes on to the other processes. */
  publish?: (update: Uint8Array) => void;
}

export class RoomPresence {
  private readonly store = new AwarenessStore();
  private readonly batcher: PresenceBatcher<Connection>;
  private readonly expiry: NodeJS.Timeout;

  constructor(private readonly options: RoomPresenceOptions) {
    this.batcher = new PresenceBatcher({
      tickMs: options.tickMs,
      slowPeerBytes: options.slowPeerBytes,
      peers: options.peers,
      peerCount: options.peerCount,
      encode: (clientIds) => this.store.encode(clientIds),
      ...(options.publish && { publish: options.publish }),
    });
    this.expiry = setInterval(() => this.batcher.changedEntries(this.store.expire(AWARENESS_TIMEOUT_MS), true), EXPIRY_CHECK_MS);
    this.expiry.unref();
  }

  /** An awareness update from `conn`. Throws ProtocolError (4003, 4413) and then changes nothing. */
  receive(conn: Connection, update: Uint8Array): void {
    const { updated, removed } = this.store.apply(update, this.options.maxStateBytes);
    for (const clientId of updated) conn.awarenessIds.add(clientId);
    for (const clientId of removed) conn.awarenessIds.delete(clientId);
    this.batcher.changedEntries(removed.length > 0 ? updated.concat(removed) : updated, true);
  }

  /** An awareness update another process published (it checked the sizes); not published again. */
  receiveRemote(update: Uint8Array): void {
    let change;
    try {
      change = this.store.apply(update, Number.POSITIVE_INFINITY);
    } catch (error) {
      this.options.logger.error({ err: error, room: this.options.room }, 'skipping presence from another process that does not decode');
      return;
    }
    this.batcher.changedEntries(change.updated.concat(change.removed), false);
  }

  /** Sends `conn` every state there is, at once, if there is any (a newcomer). */
  greet(conn: Connection): void {
    if (this.store.size > 0) this.answerQuery(conn);
  }

  /** Sends `conn` every state there is, at once (its query awareness message). */
  answerQuery(conn: Connection): void {
    conn.send(encodeAwarenessMessage(this.store.encodeAll()));
  }

  /** `conn` left: the states that arrived on it are removed, and everyone is told next tick. */
  leave(conn: Connection): void {
    this.batcher.forget(conn);
    if (conn.awarenessIds.size > 0) this.batcher.changedEntries(this.store.remove(conn.awarenessIds), true);
  }

  /**
   * The user name `conn` shows in its presence ('' if it announced none, or none that passes the
   * presence gate): who edited, as version history records it. Read when asked, not kept per
   * message, so the per-tick presence path does no extra parsing.
   */
  nameOf(conn: Connection): string {
    for (const clientId of conn.awarenessIds) {
      const presence = readPresence(this.store.stateOf(clientId));
      if (presence !== null && presence.user.name !== '') return presence.user.name;
    }
    return '';
  }

  /** Stops the timers; the room is going away. */
  close(): void {
    clearInterval(this.expiry);
    this.batcher.close();
  }
}
