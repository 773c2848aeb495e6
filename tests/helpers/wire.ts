/**
 * A hand-driven y-websocket client over a plain `ws` socket, for tests that need to control the
 * order of messages (or send bad ones): encoders for each message type, an inbox to await
 * messages in order, and the close code the server chose.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';

export function encodeSync(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1 = (doc: Y.Doc): Uint8Array => encodeSync(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(doc));
export const syncStep2 = (doc: Y.Doc, stateVector?: Uint8Array): Uint8Array => encodeSync(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(doc, stateVector));
export const syncUpdate = (update: Uint8Array): Uint8Array => encodeSync(SYNC_MESSAGE_TYPE.update, update);

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness message announcing `state` for `clientId` at `clock`. */
export function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encodeAwareness(encoding.toUint8Array(encoder));
}

export function queryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.queryAwareness);
  return encoding.toUint8Array(encoder);
}

/** A decoded server message: its type, and for sync its sub-type and payload. */
export interface WireMessage {
  type: number;
  subType?: number;
  payload?: Uint8Array;
  /** The permission-denied reason of an auth message. */
  reason?: string;
  raw: Uint8Array;
}

export function decodeMessage(raw: Uint8Array): WireMessage {
  const decoder = decoding.createDecoder(raw);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_TYPE.sync) {
    const subType = decoding.readVarUint(decoder);
    return { type, subType, payload: decoding.readVarUint8Array(decoder), raw };
  }
  if (type === MESSAGE_TYPE.awareness) return { type, payload: decoding.readVarUint8Array(decoder), raw };
  if (type === MESSAGE_TYPE.auth) {
    decoding.readVarUint(decoder); // permission denied is the only auth message
    return { type, reason: decoding.readVarString(decoder), raw };
  }
  return { type, raw };
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** Resolves with the close code and reason once `ws` closes (at once if it already has). */
export function closeOf(ws: WebSocket): Promise<CloseInfo> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) {
      resolve({ code: -1, reason: 'already closed' });
      return;
    }
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/**
 * The HTTP status of a refused upgrade, or 101 if the socket opened (then it is closed at once).
 */
export function upgradeStatus(url: string, options: WebSocket.ClientOptions = {}, protocols?: string | string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (error) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

/** A y-websocket client driven message by message. */
export class WireClient {
  readonly ws: WebSocket;
  readonly closed: Promise<CloseInfo>;
  readonly opened: Promise<void>;
  private readonly inbox: WireMessage[] = [];
  private waiter: (() => void) | null = null;

  constructor(url: string, options: WebSocket.ClientOptions = {}, protocols?: string | string[]) {
    this.ws = new WebSocket(url, protocols, options);
    this.ws.binaryType = 'nodebuffer';
    this.closed = closeOf(this.ws);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => reject(new Error('closed before opening')));
    });
    this.opened.catch(() => undefined);
    this.ws.on('error', () => undefined); // The close event carries what matters.
    this.ws.on('message', (data: Buffer) => {
      this.inbox.push(decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      this.waiter?.();
    });
    this.ws.on('close', () => this.waiter?.());
  }

  send(message: Uint8Array): void {
    this.ws.send(message);
  }

  /** Messages received and not yet taken. */
  get pending(): readonly WireMessage[] {
    return this.inbox;
  }

  /**
   * Takes messages in order until one matches `match`; returns it and the ones skipped before it.
   * Rejects if the socket closes or `timeoutMs` passes first.
   */
  async next(match: (m: WireMessage) => boolean, what: string, timeoutMs = 10_000): Promise<{ message: WireMessage; skipped: WireMessage[] }> {
    const skipped: WireMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.inbox.length > 0) {
        const message = this.inbox.shift()!;
        if (match(message)) return { message, skipped };
        skipped.push(message);
      }
      if (this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING) {
        throw new Error(`socket closed while waiting for ${what}`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** An awareness update for a doc whose local state is `state` (for the size limit tests). */
export function awarenessOf(doc: Y.Doc, state: Record<string, unknown>): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(state);
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
  awareness.destroy();
  return encodeAwareness(update);
}

/** One entry of an awareness update: a client, its clock, and its state as the JSON text sent. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  json: string;
}

/** The entries of an awareness update (the payload of an awareness message), in order. */
export function awarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ clientId, clock, json: decoding.readVarString(decoder) });
  }
  return entries;
}

/** An awareness message of the given entries, their `json` sent as it is (valid JSON or not). */
export function rawAwarenessMessage(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, json } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encodeAwareness(encoding.toUint8Array(encoder));
}
