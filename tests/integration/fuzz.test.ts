/**
 * Seeded fuzzing at the WebSocket and protocol level, over raw TCP with hand-built frames:
 * reserved bits, bad opcodes, unmasked and fragmented control frames, invalid UTF-8, lying and
 * huge lengths, truncated frames, oversize messages, garbage updates and awareness, unknown types
 * and floods; then seeded random frames and mutated messages. After each case the server is alive
 * and a healthy client in the same room still syncs, with its data intact.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, seededRandom, waitFor, type TestClient } from '../helpers/client.ts';
import { OPCODE, RawSocket, buildFrame, closePayload } from '../helpers/raw-socket.ts';
import { awarenessMessage, encodeAwareness, encodeSync, queryAwareness, syncStep1, syncUpdate } from '../helpers/wire.ts';
import { CLOSE_CODE, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

/** Fixed, so every run sends the same bytes; FUZZ_SEED=<n> explores others (pin what fails). */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x5eed_0005;
const ROOM = 'fuzz';
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Codes a well-framed but garbled y-websocket message may earn (1000: it was harmless). */
const PROTOCOL_OUTCOMES = [
  CLOSE_CODE.normal,
  CLOSE_CODE.malformedMessage,
  CLOSE_CODE.unknownMessageType,
  CLOSE_CODE.invalidUpdate,
  CLOSE_CODE.invalidAwareness,
  CLOSE_CODE.awarenessTooLarge,
];

let server: TestServer;
let healthy: TestClient;
let watcher: TestClient;
let checks = 0;

before(async () => {
  server = await startTestServer({ maxMessageBytes: MAX_MESSAGE_BYTES });
  healthy = connectClient(server.syncUrl, ROOM);
  watcher = connectClient(server.syncUrl, ROOM);
  await Promise.all([healthy.synced, watcher.synced]);
  healthy.doc.transact(() => healthy.doc.getMap('h').set('initial', 'data'), LOCAL_ORIGIN);
  await waitFor(() => watcher.doc.getMap('h').has('initial'), { doc: watcher.doc }, 'watcher synced');
});

after(async () => {
  healthy.destroy();
  watcher.destroy();
  await server.close();
});

/** The healthy client edits and the watcher sees it: the room still relays. */
async function assertRoomHealthy(label: string): Promise<void> {
  const key = `check${++checks}`;
  healthy.doc.transact(() => healthy.doc.getMap('h').set(key, label), LOCAL_ORIGIN);
  await waitFor(() => watcher.doc.getMap('h').get(key) === label, { doc: watcher.doc }, `room relays after: ${label}`);
}

/** A fresh client gets exactly the healthy client's data. */
async function assertDataIntact(): Promise<void> {
  const fresh = connectClient(server.syncUrl, ROOM);
  try {
    await fresh.synced;
    const expected = JSON.stringify(healthy.doc.getMap('h').toJSON());
    await waitFor(() => JSON.stringify(fresh.doc.getMap('h').toJSON()) === expected, { doc: fresh.doc }, 'fresh client has the data');
  } finally {
    fresh.destroy();
  }
}

/** Sends a valid close after `frames`: the server answers 1000 unless the frames made it close first. */
async function outcome(frames: Buffer[], finish: 'close' | 'end' = 'close'): Promise<number | null> {
  const raw = await RawSocket.connect(server.port, `/sync/${ROOM}`);
  for (const frame of frames) raw.write(frame);
  if (finish === 'end') {
    raw.end();
    return (await raw.closed).code;
  }
  return (await raw.close()).code;
}

const binary = (payload: Uint8Array, extra: Partial<Parameters<typeof buildFrame>[0]> = {}): Buffer => buildFrame({ opcode: OPCODE.binary, payload, ...extra });
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

function validUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1001;
  doc.getMap('noise').set('n', 'value');
  return Y.encodeStateAsUpdate(doc);
}

interface NamedCase {
  name: string;
  frames: () => Buffer[];
  expect: readonly number[] | 'closed';
  finish?: 'close' | 'end';
}

const NAMED_CASES: NamedCase[] = [
  { name: 'RSV1 set without an extension', frames: () => [binary(queryAwareness(), { rsv: 4 })], expect: [CLOSE_CODE.protocolError] },
  { name: 'RSV2 and RSV3 set', frames: () => [binary(queryAwareness(), { rsv: 3 })], expect: [CLOSE_CODE.protocolError] },
  ...[0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf].map((opcode) => ({
    name: `reserved opcode 0x${opcode.toString(16)}`,
    frames: () => [buildFrame({ opcode, payload: bytes(1, 2, 3) })],
    expect: [CLOSE_CODE.protocolError],
  })),
  { name: 'unmasked client frame', frames: () => [binary(queryAwareness(), { mask: false })], expect: [CLOSE_CODE.protocolError] },
  { name: 'text frame with invalid UTF-8', frames: () => [buildFrame({ opcode: OPCODE.text, payload: bytes(0xc3, 0x28, 0xff) })], expect: [1007] },
  { name: 'valid text frame', frames: () => [buildFrame({ opcode: OPCODE.text, payload: Buffer.from('hello') })], expect: [CLOSE_CODE.unsupportedData] },
  { name: 'continuation without a start', frames: () => [buildFrame({ opcode: OPCODE.continuation, payload: bytes(0) })], expect: [CLOSE_CODE.protocolError] },
  {
    name: 'new data frame inside a fragmented message',
    frames: () => [binary(bytes(MESSAGE_TYPE.queryAwareness), { fin: false }), binary(bytes(0))],
    expect: [CLOSE_CODE.protocolError],
  },
  { name: 'fragmented ping', frames: () => [buildFrame({ opcode: OPCODE.ping, payload: bytes(1), fin: false })], expect: [CLOSE_CODE.protocolError] },
  { name: 'ping over 125 bytes', frames: () => [buildFrame({ opcode: OPCODE.ping, payload: new Uint8Array(126) })], expect: [CLOSE_CODE.protocolError] },
  { name: 'close with a 1-byte payload', frames: () => [buildFrame({ opcode: OPCODE.close, payload: bytes(3) })], expect: [CLOSE_CODE.protocolError] },
  ...[999, 1004, 1005, 1006, 1015, 2999, 5000].map((code) => ({
    name: `close with invalid code ${code}`,
    frames: () => [buildFrame({ opcode: OPCODE.close, payload: closePayload(code) })],
    expect: [CLOSE_CODE.protocolError],
  })),
  {
    name: 'close with an invalid UTF-8 reason',
    frames: () => [buildFrame({ opcode: OPCODE.close, payload: Buffer.concat([closePayload(1000), Buffer.from([0xff, 0xfe])]) })],
    expect: [1007],
  },
  { name: 'declared length 2^63 - 1', frames: () => [binary(bytes(1, 2), { declaredLength: 2n ** 63n - 1n })], expect: [CLOSE_CODE.messageTooBig] },
  { name: 'declared length 2^53', frames: () => [binary(bytes(1, 2), { declaredLength: 2n ** 53n })], expect: [CLOSE_CODE.messageTooBig] },
  {
    name: 'declared length just over --max-message-bytes',
    frames: () => [binary(bytes(1, 2), { declaredLength: BigInt(MAX_MESSAGE_BYTES + 1) })],
    expect: [CLOSE_CODE.messageTooBig],
  },
  {
    name: 'oversize message in fragments',
    frames: () => [
      binary(new Uint8Array(MAX_MESSAGE_BYTES / 2), { fin: false }),
      buildFrame({ opcode: OPCODE.continuation, payload: new Uint8Array(MAX_MESSAGE_BYTES / 2), fin: false }),
      buildFrame({ opcode: OPCODE.continuation, payload: new Uint8Array(16) }),
    ],
    expect: [CLOSE_CODE.messageTooBig],
  },
  { name: 'truncated frame, then end of stream', frames: () => [binary(new Uint8Array(100)).subarray(0, 20)], finish: 'end', expect: 'closed' },
  { name: 'truncated header, then end of stream', frames: () => [Buffer.from([0x82, 0xfe, 0x01])], finish: 'end', expect: 'closed' },
  { name: 'empty binary message', frames: () => [binary(bytes())], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'unknown message type 7', frames: () => [binary(bytes(7))], expect: [CLOSE_CODE.unknownMessageType] },
  { name: 'unknown message type 2^40', frames: () => [binary(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x20))], expect: [CLOSE_CODE.unknownMessageType] },
  { name: 'a varint that never ends', frames: () => [binary(new Uint8Array(12).fill(0xff))], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'sync with an unknown sub-type', frames: () => [binary(encodeSync(9, bytes(0)))], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'sync with no payload', frames: () => [binary(bytes(MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.update))], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'sync payload shorter than its length', frames: () => [binary(bytes(MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.update, 50, 1, 2))], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'step 1 with a garbage state vector', frames: () => [binary(encodeSync(SYNC_MESSAGE_TYPE.step1, bytes(0xff, 0xff, 0xff)))], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'update of garbage', frames: () => [binary(syncUpdate(bytes(0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3)))], expect: [CLOSE_CODE.invalidUpdate] },
  { name: 'step 2 of garbage', frames: () => [binary(encodeSync(SYNC_MESSAGE_TYPE.step2, bytes(5, 5, 5, 5)))], expect: [CLOSE_CODE.invalidUpdate] },
  { name: 'trailing bytes after a valid message', frames: () => [binary(new Uint8Array([...queryAwareness(), 0, 0]))], expect: [CLOSE_CODE.malformedMessage] },
  { name: 'awareness of garbage', frames: () => [binary(encodeAwareness(bytes(1, 5, 1, 200, 1, 2)))], expect: [CLOSE_CODE.invalidAwareness] },
  {
    name: 'awareness with invalid JSON',
    frames: () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint(encoder, 99);
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarString(encoder, '{not json');
      return [binary(encodeAwareness(encoding.toUint8Array(encoder)))];
    },
    expect: [CLOSE_CODE.invalidAwareness],
  },
  { name: 'awareness claiming 2^50 states', frames: () => [binary(encodeAwareness(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02)))], expect: [CLOSE_CODE.invalidAwareness] },
  { name: 'awareness state over the size limit', frames: () => [binary(awarenessMessage(55, 1, { blob: 'z'.repeat(20_000) }))], expect: [CLOSE_CODE.awarenessTooLarge] },
  { name: 'auth message from a client (ignored)', frames: () => [binary(bytes(MESSAGE_TYPE.auth, 0, 1, 0x61))], expect: [CLOSE_CODE.normal] },
  { name: 'flood of 3000 messages', frames: () => [Buffer.concat(Array.from({ length: 3000 }, () => binary(queryAwareness())))], expect: [CLOSE_CODE.rateLimited] },
  // ws answers the first pongs and then ends the connection: harmless either way.
  { name: 'flood of 500 pings', frames: () => [Buffer.concat(Array.from({ length: 500 }, () => buildFrame({ opcode: OPCODE.ping })))], expect: 'closed' },
  {
    name: 'valid messages are not mistaken for attacks',
    frames: () => [binary(syncStep1(new Y.Doc())), binary(syncUpdate(validUpdate())), binary(queryAwareness())],
    expect: [CLOSE_CODE.normal],
  },
];

test('named cases: each closes as expected and the room carries on', async (t) => {
  for (const fuzzCase of NAMED_CASES) {
    await t.test(fuzzCase.name, async () => {
      const code = await outcome(fuzzCase.frames(), fuzzCase.finish);
      if (fuzzCase.expect !== 'closed') assert.ok(fuzzCase.expect.includes(code ?? -1), `closed with ${code}, expected one of ${fuzzCase.expect.join(', ')}`);
      await assertRoomHealthy(fuzzCase.name);
    });
  }
  await assertDataIntact();
});

/** Flips, drops, inserts or truncates bytes of a valid message. */
function mutate(message: Uint8Array, random: () => number): Uint8Array {
  const out = [...message];
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * out.length);
    switch (Math.floor(random() * 4)) {
      case 0:
        out[at] = out[at]! ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        out.splice(at, 1);
        break;
      case 2:
        out.splice(at, 0, Math.floor(random() * 256));
        break;
      default:
        out.length = Math.max(1, at);
    }
  }
  return new Uint8Array(out);
}

test('seeded random frames and mutated messages', async () => {
  const random = seededRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const randomBytes = (max: number): Uint8Array => Uint8Array.from({ length: Math.floor(random() * max) }, () => Math.floor(random() * 256));
  const noise = new Y.Doc();
  noise.clientID = 4242;
  const samples: Uint8Array[] = [];
  for (let i = 0; i < 8; i++) {
    const before = Y.encodeStateVector(noise);
    noise.transact(() => {
      noise.getMap('noise').set(`k${i}`, { n: i, s: 'x'.repeat(i * 10) });
      noise.getText('t').insert(0, `text${i}`);
      if (i > 2) noise.getMap('noise').delete(`k${i - 2}`);
    });
    samples.push(syncUpdate(Y.encodeStateAsUpdate(noise, before)));
  }
  samples.push(syncStep1(noise), encodeSync(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(noise)), awarenessMessage(31337, 3, { user: { name: 'n', color: '#000000' } }), queryAwareness());

  const CASES = 150;
  for (let i = 0; i < CASES; i++) {
    const kind = pick(['mutated', 'mutated', 'random-frame', 'random-bytes'] as const);
    let code: number | null;
    if (kind === 'mutated') {
      code = await outcome([binary(mutate(pick(samples), random))]);
      assert.ok(PROTOCOL_OUTCOMES.includes(code as (typeof PROTOCOL_OUTCOMES)[number]), `case ${i} (mutated message): closed with ${code}`);
    } else if (kind === 'random-frame') {
      const frame = buildFrame({
        opcode: Math.floor(random() * 16),
        fin: random() < 0.8,
        rsv: random() < 0.8 ? 0 : Math.floor(random() * 8),
        mask: random() < 0.9,
        payload: randomBytes(200),
      });
      // Whatever the frame, the server ends the connection (answering our close or its own).
      code = await outcome([frame]);
    } else {
      code = await outcome([Buffer.from(randomBytes(100))]);
    }
    if (i % 10 === 9) await assertRoomHealthy(`random case ${i} (${kind}, ${code})`);
  }
  await assertRoomHealthy('random cases done');
  await assertDataIntact();
  await poll(() => server.server.stats().sockets === 2, 'only the healthy client and the watcher remain');
});
