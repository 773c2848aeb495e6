/**
 * The presence (awareness) states of one room, kept as the bytes they arrived in.
 *
 * It follows y-protocols/awareness clock for clock, so clients see the same thing they would from
 * an Awareness object: a state is taken when its clock is newer than the one held, or when it is
 * null at the same clock (a removal); a removed client keeps its clock, so an old state arriving
 * late cannot bring it back. Two things differ, for a busy room's sake. Stock y-websocket clients
 * send every awareness update they receive back to the server, so most entries that arrive are
 * stale echoes: they are skipped by their clock before their JSON is decoded (y-protocols parses
 * every entry first). And a state is kept as its JSON bytes, so a message carrying many states is
 * written by copying them, not by stringifying each again.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as string from 'lib0/string';
import { CLOSE_CODE } from '../shared/protocol.ts';
import { ProtocolError } from './errors.ts';

/** One client's entry. */
interface Held {
  clock: number;
  /** Its state as UTF-8 JSON; null once the client is gone. */
  state: Uint8Array | null;
  /** When it last changed (performance.now()), for expiry. */
  updatedAt: number;
}

/** What one applied update changed. */
export interface AwarenessChange {
  /** Clients whose (new or renewed) state was taken. */
  updated: number[];
  /** Clients whose state was removed. */
  removed: number[];
}

/** The JSON `null` as an awareness update writes it for a client that is gone. */
const NULL_STATE = string.encodeUtf8('null');

/** JSON whitespace: space, tab, line feed, carriage return. */
function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * True unless `json` can only be a JSON value other than null: the first non-space character of
 * `null` is `n`, and nothing else valid starts with it. Lets a same-clock echo be skipped unread.
 */
function mayBeNull(json: Uint8Array): boolean {
  for (const byte of json) if (!isJsonSpace(byte)) return byte === 0x6e;
  return true;
}

/** Reads the state bytes as the clients will: strict UTF-8 (BOM kept), then JSON. */
function parseState(json: Uint8Array): unknown {
  return JSON.parse(string.decodeUtf8(json));
}

export class AwarenessStore {
  private readonly held = new Map<number, Held>();

  /**
   * Takes the newer entries of an awareness update (the bytes after the message type). Every
   * entry is size-checked and every entry taken is parsed before anything changes, so a bad
   * update changes nothing. Throws ProtocolError: awarenessTooLarge for a state over
   * `maxStateBytes`, invalidAwareness for one that does not decode.
   */
  apply(update: Uint8Array, maxStateBytes: number, now = performance.now()): AwarenessChange {
    const decoder = decoding.createDecoder(update);
    /** The entries taken, by client; a later entry of the same client is compared with these. */
    const taken = new Map<number, { clock: number; state: Uint8Array | null }>();
    try {
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) {
        const clientId = decoding.readVarUint(decoder);
        const clock = decoding.readVarUint(decoder);
        const json = decoding.readVarUint8Array(decoder);
        if (json.byteLength > maxStateBytes) {
          throw new ProtocolError(CLOSE_CODE.awarenessTooLarge, `an awareness state of ${json.byteLength} bytes is over the ${maxStateBytes}-byte limit`);
        }
        const current = taken.get(clientId) ?? this.held.get(clientId);
        const heldClock = current?.clock ?? 0;
        if (clock < heldClock) continue;
        // The same clock counts only as a removal of a state that is still there.
        if (clock === heldClock && (!current?.state || !mayBeNull(json))) continue;
        const state = parseState(json);
        if (clock === heldClock && state !== null) continue;
        // Copied: a view would keep the whole incoming message alive.
        taken.set(clientId, { clock, state: state === null ? null : json.slice() });
      }
      if (decoding.hasContent(decoder)) throw new Error(`${update.byteLength - decoder.pos} trailing bytes`);
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      throw new ProtocolError(CLOSE_CODE.invalidAwareness, 'awareness update does not decode', { cause: error });
    }
    const change: AwarenessChange = { updated: [], removed: [] };
    for (const [clientId, { clock, state }] of taken) {
      const known = this.held.has(clientId);
      this.held.set(clientId, { clock, state, updatedAt: now });
      // As y-protocols: a null for a client never seen is remembered (its clock) but not passed on.
      if (state !== null) change.updated.push(clientId);
      else if (known) change.removed.push(clientId);
    }
    return change;
  }

  /** Removes the states of `clientIds` (their socket closed); returns those that were there. */
  remove(clientIds: Iterable<number>, now = performance.now()): number[] {
    const removed: number[] = [];
    for (const clientId of clientIds) {
      const entry = this.held.get(clientId);
      if (!entry?.state) continue;
      // The clock stays: peers take a null at the clock they hold as a removal.
      this.held.set(clientId, { clock: entry.clock, state: null, updatedAt: now });
      removed.push(clientId);
    }
    return removed;
  }

  /**
   * Removes states not renewed for `timeoutMs` (clients renew theirs every 15 s; a state that
   * came from a process that died is never renewed). Returns the clients removed.
   */
  expire(timeoutMs: number, now = performance.now()): number[] {
    const stale: number[] = [];
    for (const [clientId, entry] of this.held) if (entry.state && now - entry.updatedAt >= timeoutMs) stale.push(clientId);
    return this.remove(stale, now);
  }

  /**
   * The state `clientId` holds now, parsed (it was parsed when taken, so this does not throw), or
   * null if it has none.
   */
  stateOf(clientId: number): unknown {
    const state = this.held.get(clientId)?.state;
    return state ? parseState(state) : null;
  }

  /** Clients with a state now. */
  get size(): number {
    let count = 0;
    for (const entry of this.held.values()) if (entry.state) count += 1;
    return count;
  }

  /** An awareness update holding the current entry of each of `clientIds` (null for one that is gone). */
  encode(clientIds: Iterable<number>): Uint8Array {
    const entries: Array<[number, Held]> = [];
    for (const clientId of clientIds) {
      const entry = this.held.get(clientId);
      if (entry) entries.push([clientId, entry]);
    }
    return writeEntries(entries);
  }

  /** An awareness update holding every state there is now (none at all: an update of no entries). */
  encodeAll(): Uint8Array {
    return writeEntries([...this.held].filter(([, entry]) => entry.state !== null));
  }
}

function writeEntries(entries: ReadonlyArray<readonly [number, Held]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [clientId, { clock, state }] of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    // A varString is a varUint8Array of its UTF-8 bytes: the JSON goes out as it came in.
    encoding.writeVarUint8Array(encoder, state ?? NULL_STATE);
  }
  return encoding.toUint8Array(encoder);
}
