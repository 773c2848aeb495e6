/**
 * The messages of the protocol-level benchmark clients (bench/wire-worker.ts): written ahead of
 * time from a real Y.Doc, stamped with the send time as they go out, and read back by receivers
 * without Yjs.
 *
 * The marker. Every stroke update also sets `bench["<sender>.<seq>"] = <send time>` in the same
 * transaction (as bench/strokes.ts does for the stock clients). In Yjs's update format (v1) that
 * map entry is one item whose bytes are, whatever else the update holds and wherever the item
 * sits in it:
 *
 *   0x01 (parent is a root type) · 0x05 "bench" (its name) · len "<sender>.<seq>" (the key) ·
 *   0x01 (one value) · 0x7b (a float64) · 8 bytes big-endian (the send time)
 *
 * A server that relays the client's bytes, re-encodes the change from its own doc (the
 * reference) or merges several updates into one (Y.mergeUpdates, or one transaction per tick)
 * writes this item the same way, so a receiver finds every update a frame holds with a native
 * Buffer.indexOf of "\x05bench" (checking the byte before), and reads sender, sequence and send
 * time from the bytes after it: no Y.Doc, no decoding of the strokes. The send time is patched into the pre-encoded
 * message just before it is sent.
 *
 * Cursors are awareness updates whose JSON state starts with `{"t":<send time>,`, a state of the
 * shape Easel's client publishes (shared/presence.ts) plus that field; a receiver walks the
 * entries (client id, clock, JSON length) and reads only the number after `{"t":`.
 *
 * Times are milliseconds on the monotonic clock (process.hrtime), which on Linux is one clock for
 * every process of the machine, so a send in one client process and a receipt in another are
 * compared exactly.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { indexBetween, writeShape } from '../shared/doc.ts';
import { LOCAL_ORIGIN } from '../shared/origins.ts';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../shared/protocol.ts';
import { seededRandom } from '../tests/helpers/client.ts';
import { BENCH_MAP, benchKey, makeStroke } from './strokes.ts';

/** Milliseconds on the machine's monotonic clock, comparable across processes (see above). */
export function monoNow(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The root type's name as an item writes it (length, then the name), searched for; the byte
 * before it must be 0x01 ("parent is a root type"). Leaving that byte out of the needle makes
 * the native search about twice as fast (0x01 is everywhere in an update).
 */
const MARKER = Buffer.from([BENCH_MAP.length, ...Buffer.from(BENCH_MAP, 'latin1')]);
const ROOT_PARENT = 0x01;
/** lib0's writeAny tag for a float64. */
const ANY_FLOAT64 = 0x7b;
/** A value no real time takes and that needs a float64, so the generated item has room for one. */
const PLACEHOLDER_TIME = 0.1 + 2 ** 40;

/** Reads the markers of a frame; `onMarker` gets the sender's index, the sequence and the send time. */
export type MarkerVisitor = (sender: number, seq: number, sentAt: number, timeOffset: number) => void;

/**
 * Calls `visit` for every update marker in `frame` (a whole message or just an update), in
 * order. Cost: one native scan of the frame plus a few bytes per marker.
 */
export function scanMarkers(frame: Buffer, visit: MarkerVisitor): number {
  let found = 0;
  let at = frame.indexOf(MARKER);
  while (at !== -1) {
    const keyLength = frame[at + MARKER.length];
    const keyStart = at + MARKER.length + 1;
    const keyEnd = keyStart + (keyLength ?? 0);
    // Keys are short ASCII ("12.345"), so their length is a one-byte varint.
    if (
      frame[at - 1] === ROOT_PARENT &&
      keyLength !== undefined &&
      keyLength < 0x80 &&
      keyEnd + 10 <= frame.length &&
      frame[keyEnd] === 1 &&
      frame[keyEnd + 1] === ANY_FLOAT64
    ) {
      let sender = 0;
      let seq = -1;
      let ok = keyLength >= 3;
      for (let i = keyStart; i < keyEnd && ok; i++) {
        const byte = frame[i]!;
        if (byte === 0x2e && seq === -1) seq = 0;
        else if (byte >= 0x30 && byte <= 0x39) {
          if (seq === -1) sender = sender * 10 + byte - 0x30;
          else seq = seq * 10 + byte - 0x30;
        } else ok = false;
      }
      if (ok && seq !== -1) {
        const timeOffset = keyEnd + 2;
        visit(sender, seq, frame.readDoubleBE(timeOffset), timeOffset);
        found += 1;
        at = frame.indexOf(MARKER, timeOffset + 8);
        continue;
      }
    }
    at = frame.indexOf(MARKER, at + 1);
  }
  return found;
}

/** One client's stroke updates, in the order they must be sent, as whole sync messages. */
export interface StrokeChain {
  /** Each a sync update message: [sync, update, varUint8Array(update)]. */
  messages: Buffer[];
  /** Where each message's send time goes (a float64, big-endian). */
  timeOffsets: number[];
  /** Bytes of all the messages. */
  bytes: number;
}

export interface ChainOptions {
  /** The client's index in the run: it names its shapes and marker keys. */
  sender: number;
  /** Its Yjs client id; the server integrates the chain as this client's, clock after clock. */
  clientId: number;
  count: number;
  seed: number;
  /** Points per stroke, inclusive range (default bench/strokes.ts's 16–64). */
  points?: { min: number; max: number };
}

/**
 * Writes `count` strokes into a fresh Y.Doc with the given client id, one transaction each (as
 * the Easel client finishes a pen stroke), each also setting its marker, and keeps each
 * transaction's update as a ready-to-send message. Any fresh room accepts the chain from its
 * start, so one chain serves every run of a benchmark.
 */
export function encodeStrokeChain(options: ChainOptions): StrokeChain {
  const doc = new Y.Doc();
  doc.clientID = options.clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const random = seededRandom(options.seed * 100_003 + options.sender);
  const bench = doc.getMap<number>(BENCH_MAP);
  let index: string | null = null;
  for (let seq = 0; seq < options.count; seq++) {
    index = indexBetween(index, null);
    const shape = makeStroke(random, `c${options.sender}-${seq}`, index, options.points);
    doc.transact(() => {
      writeShape(doc, shape);
      bench.set(benchKey(options.sender, seq), PLACEHOLDER_TIME);
    }, LOCAL_ORIGIN);
  }
  doc.destroy();
  const chain: StrokeChain = { messages: [], timeOffsets: [], bytes: 0 };
  updates.forEach((update, seq) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
    encoding.writeVarUint(encoder, SYNC_MESSAGE_TYPE.update);
    encoding.writeVarUint8Array(encoder, update);
    const message = Buffer.from(encoding.toUint8Array(encoder));
    let timeOffset = -1;
    scanMarkers(message, (sender, markerSeq, sentAt, offset) => {
      if (sender === options.sender && markerSeq === seq && sentAt === PLACEHOLDER_TIME) timeOffset = offset;
    });
    if (timeOffset === -1) throw new Error(`stroke update ${seq} of client ${options.sender} has no marker`);
    chain.messages.push(message);
    chain.timeOffsets.push(timeOffset);
    chain.bytes += message.length;
  });
  return chain;
}

/**
 * Writes the send time into a chain's message (just before it is sent). A server that decodes
 * the value and writes it again (the reference, a merge) writes a whole number as a varint and a
 * float32-exact one as a float32, which the marker would not match; such a time (a few in a
 * million) is moved by 0.1 µs, so every stamp stays a float64.
 */
export function stamp(message: Buffer, timeOffset: number, sentAt: number): number {
  const time = Number.isInteger(sentAt) || Math.fround(sentAt) === sentAt ? sentAt + 0.0001 : sentAt;
  message.writeDoubleBE(time, timeOffset);
  return time;
}

/** [sync, step 1, an empty state vector]: "send me everything" (a fresh client's first message). */
export const SYNC_STEP1_EMPTY = Buffer.from([MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.step1, 1, 0]);
/** [sync, step 2, an update holding nothing]: the answer to the server's step 1 from a client with nothing. */
export const SYNC_STEP2_EMPTY = Buffer.from([MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.step2, 2, 0, 0]);

/** Some colours of the kind the client picks, for realistic state sizes. */
const COLORS = ['#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5', '#0c8599'];

/**
 * One cursor move as a whole awareness message: client `clientId` at `clock`, pointer at (x, y),
 * sent at `sentAt`. The state has every field Easel's client publishes for a moving pointer
 * (about 220 bytes of JSON), so frames are as large as the real ones.
 */
export function encodeCursorMessage(clientId: number, clock: number, sentAt: number, x: number, y: number): Buffer {
  const json =
    `{"t":${sentAt.toFixed(3)},"user":{"name":"Student ${clientId % 100_000}","color":"${COLORS[clientId % COLORS.length]}"},` +
    `"cursor":{"x":${x.toFixed(2)},"y":${y.toFixed(2)}},"selection":[],"laser":[],"idle":false,` +
    `"viewport":{"x":-120.5,"y":-80.25,"scale":1,"width":1440,"height":900},"gesture":null}`;
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, json);
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, MESSAGE_TYPE.awareness);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return Buffer.from(encoding.toUint8Array(message));
}

/** `{"t":` */
const TIME_FIELD = [0x7b, 0x22, 0x74, 0x22, 0x3a] as const;

/** The JSON number at `from` (digits, one dot), read from the bytes; NaN if there is none. */
function readNumber(bytes: Buffer, from: number, to: number): number {
  let whole = 0;
  let fraction = 0;
  let scale = 1;
  let dot = false;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x30 && byte <= 0x39) {
      digits += 1;
      if (dot) {
        scale /= 10;
        fraction += (byte - 0x30) * scale;
      } else whole = whole * 10 + byte - 0x30;
    } else if (byte === 0x2e && !dot) dot = true;
    else break;
  }
  return digits === 0 ? Number.NaN : whole + fraction;
}

/** True if the JSON at `at` starts with `{"t":`. */
function startsWithTime(bytes: Buffer, at: number): boolean {
  return (
    bytes[at] === TIME_FIELD[0] && bytes[at + 1] === TIME_FIELD[1] && bytes[at + 2] === TIME_FIELD[2] && bytes[at + 3] === TIME_FIELD[3] && bytes[at + 4] === TIME_FIELD[4]
  );
}

/** Reads the entries of an awareness message; `visit` gets each client id, clock and send time (NaN for a removal or a foreign state). */
export type CursorVisitor = (clientId: number, clock: number, sentAt: number) => void;

/**
 * Walks the entries of an awareness message (`frame` starts at its message type). False if it
 * does not decode. A batched frame holds an entry per client of the room, so this is the
 * receivers' hot loop: varints read in place, the JSON only touched for its first field.
 */
export function scanCursors(frame: Buffer, visit: CursorVisitor): boolean {
  let pos = 0;
  const varUint = (): number => {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      const byte = frame[pos++];
      if (byte === undefined) return -1;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
      if (multiplier > 2 ** 49) return -1;
    }
  };
  if (varUint() !== MESSAGE_TYPE.awareness || varUint() < 0) return false;
  const entries = varUint();
  if (entries < 0) return false;
  for (let i = 0; i < entries; i++) {
    const clientId = varUint();
    const clock = varUint();
    const length = varUint();
    if (clientId < 0 || clock < 0 || length < 0 || pos + length > frame.length) return false;
    const start = pos;
    pos += length;
    const timed = length > TIME_FIELD.length && startsWithTime(frame, start);
    visit(clientId, clock, timed ? readNumber(frame, start + TIME_FIELD.length, pos) : Number.NaN);
  }
  return true;
}
