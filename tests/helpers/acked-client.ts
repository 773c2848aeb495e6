/**
 * A stock y-websocket provider in Node that also records what the server has acknowledged as
 * stored, for tests that kill the server and then check that nothing acknowledged is gone.
 *
 * The server answers a sync step 1 only once everything it received before it is written (see
 * server/room/room-protocol.ts), and answers step 1s in the order they came. So a probe (a step 1 sent by this
 * class) acknowledges the whole document as it was when the probe left, provided everything in
 * the document had been sent on that socket before it: that holds once the provider has answered
 * the server's own step 1 on the socket (its step 2 carries what was made offline), since every
 * later local edit goes out as it is made. The provider's step 1 on opening a socket acknowledges
 * nothing of ours: it leaves before our offline edits do. Nor does anything sent on an earlier
 * socket count: a server killed since may never have written it.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { encodeSync } from './wire.ts';

/** A probe waiting for its answer: the snapshot it acknowledges once answered. */
interface Probe {
  seq: number;
  snapshot: Y.Snapshot;
  settle: (answered: boolean) => void;
}

/** What this client knows about one socket. */
interface Link {
  socket: WebSocket;
  /** The server's step 1 arrived here, so the provider has sent its step 2 (our offline edits). */
  answered: boolean;
  /** One entry per step 1 sent on this socket, in order; null for the provider's own. */
  probes: Array<Probe | null>;
}

function messageBytes(data: WebSocket.Data): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The sync sub-type of a server message, or null for any other message. */
function syncSubType(bytes: Uint8Array): number | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.sync) return null;
    return decoding.readVarUint(decoder);
  } catch {
    // Not ours to judge: the provider reports a malformed message itself.
    return null;
  }
}

export interface AckedClientOptions {
  /** A label for messages ("c2"). */
  name: string;
  syncUrl: string;
  room: string;
  /** A fixed Yjs client id, so concurrent edits resolve the same way on every run of a seed. */
  clientId?: number;
  /** Start disconnected. */
  offline?: boolean;
}

/** A stock WebsocketProvider on its own Y.Doc, with the server's acknowledgements recorded. */
export class AckedClient {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** The newest document snapshot the server confirmed it stored; null until one is. */
  acked: Y.Snapshot | null = null;
  /** Probes answered so far. */
  acks = 0;
  /** Close codes seen on this client's sockets, with how often (1006: the server vanished). */
  readonly closeCodes = new Map<number, number>();
  private link: Link | null = null;
  private probesSent = 0;
  private ackedSeq = 0;
  private readonly listeners = new Set<() => void>();

  constructor(options: AckedClientOptions) {
    this.name = options.name;
    this.doc = new Y.Doc();
    if (options.clientId !== undefined) this.doc.clientID = options.clientId;
    const attach = (socket: WebSocket): void => this.attach(socket);
    // A subclass sees every socket the provider opens, with listeners added before the
    // provider's own, so a message is classified before the provider answers it.
    class TrackedSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        attach(this);
      }
    }
    this.provider = new WebsocketProvider(options.syncUrl, options.room, this.doc, {
      WebSocketPolyfill: TrackedSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      connect: options.offline !== true,
    });
    this.doc.on('update', this.notify);
    this.provider.on('status', this.notify);
    this.provider.on('sync', this.notify);
  }

  /** Connected, and the provider has sent the server everything the document holds. */
  get ready(): boolean {
    const link = this.link;
    return link !== null && link.answered && this.provider.wsconnected && (this.provider.ws as unknown) === link.socket && this.provider.synced;
  }

  /**
   * Sends a sync step 1 whose answer acknowledges the document as it is now. Resolves true once
   * answered, false if the socket closed first; false at once if the client is not `ready`.
   */
  probe(): Promise<boolean> {
    const link = this.link;
    if (link === null || !this.ready || link.socket.readyState !== WebSocket.OPEN) return Promise.resolve(false);
    const seq = ++this.probesSent;
    const snapshot = Y.snapshot(this.doc);
    return new Promise((resolve) => {
      link.probes.push({ seq, snapshot, settle: resolve });
      link.socket.send(encodeSync(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(this.doc)));
    });
  }

  /** Calls `listener` after anything that may change `ready` or the document; returns its remover. */
  onActivity(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Points the provider at another server (a restarted one listens on a new port). */
  repoint(syncUrl: string): void {
    this.provider.serverUrl = syncUrl;
    // A provider backing off from a dead server would wait up to its maximum backoff.
    if (this.provider.shouldConnect) {
      this.provider.disconnect();
      this.provider.connect();
    }
  }

  destroy(): void {
    this.listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }

  private readonly notify = (): void => {
    for (const listener of this.listeners) listener();
  };

  private attach(socket: WebSocket): void {
    const link: Link = { socket, answered: false, probes: [] };
    this.link = link;
    // Registered before the provider's onopen, which sends its step 1 right after.
    socket.addEventListener('open', () => link.probes.push(null));
    socket.addEventListener('message', (event) => this.onMessage(link, messageBytes(event.data)));
    socket.addEventListener('close', (event) => {
      this.closeCodes.set(event.code, (this.closeCodes.get(event.code) ?? 0) + 1);
      for (const probe of link.probes.splice(0)) probe?.settle(false);
      if (this.link === link) this.link = null;
      this.notify();
    });
  }

  private onMessage(link: Link, bytes: Uint8Array): void {
    const subType = syncSubType(bytes);
    if (subType === SYNC_MESSAGE_TYPE.step1) {
      link.answered = true;
    } else if (subType === SYNC_MESSAGE_TYPE.step2) {
      const probe = link.probes.shift();
      if (probe) {
        this.acks++;
        // Answers on one socket come in order, but a closing socket's last answer may trail a
        // new socket's: keep the newest probe's snapshot.
        if (probe.seq > this.ackedSeq) {
          this.ackedSeq = probe.seq;
          this.acked = probe.snapshot;
        }
        probe.settle(true);
      }
    }
    // The provider handles the message after this listener; look at the result once it has.
    setImmediate(this.notify);
  }
}
