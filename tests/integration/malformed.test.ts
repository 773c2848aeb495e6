/**
 * Malformed input closes only the sender, with a named close code; another client in the same
 * room keeps syncing and its data stays intact. Includes frames `ws` would never send (reserved
 * bits), written by hand on a raw TCP socket.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, seededRandom, waitFor, type TestClient } from '../helpers/client.ts';
import { CLOSE_CODE } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

let server: TestServer;
let healthy: TestClient;
let observer: TestClient;
const ROOM = 'victim';

before(async () => {
  server = await startTestServer();
  healthy = connectClient(server.syncUrl, ROOM);
  observer = connectClient(server.syncUrl, ROOM);
  await Promise.all([healthy.synced, observer.synced]);
  healthy.doc.transact(() => healthy.doc.getMap('shapes').set('keep', 'me'), LOCAL_ORIGIN);
  await waitFor(() => observer.doc.getMap('shapes').get('keep') === 'me', { doc: observer.doc }, 'initial data');
});

after(async () => {
  healthy.destroy();
  observer.destroy();
  await server.close();
});

/** The room still works: a new edit from the healthy client reaches the observer, old data intact. */
async function assertRoomHealthy(label: string): Promise<void> {
  healthy.doc.transact(() => healthy.doc.getMap('shapes').set(label, 1), LOCAL_ORIGIN);
  await waitFor(() => observer.doc.getMap('shapes').get(label) === 1, { doc: observer.doc }, `room works after ${label}`);
  assert.equal(observer.doc.getMap('shapes').get('keep'), 'me');
  assert.equal(healthy.provider.wsconnected, true, 'the healthy client was not disconnected');
}

/** Opens a plain socket to the room, sends `payload` once it joined, and resolves with the close code. */
async function sendAndGetClose(payload: Uint8Array | string): Promise<number> {
  const socket = new WebSocket(`${server.syncUrl}/${ROOM}`);
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  // The server speaks first (sync step 1) once the room is loaded.
  await new Promise((resolve) => socket.once('message', resolve));
  socket.send(payload, { binary: typeof payload !== 'string' });
  return closed;
}

const CASES: Array<[string, () => Uint8Array | string, number]> = [
  ['truncated varint', () => new Uint8Array([0x80]), CLOSE_CODE.malformedMessage],
  ['overlong varint', () => new Uint8Array(new Array(12).fill(0xff)), CLOSE_CODE.malformedMessage],
  ['empty message', () => new Uint8Array([]), CLOSE_CODE.malformedMessage],
  ['sync with truncated payload length', () => new Uint8Array([0, 2, 0xff, 0xff, 0x03]), CLOSE_CODE.malformedMessage],
  ['garbage update', () => new Uint8Array([0, 2, 8, 0xff, 0xfe, 0x01, 0x99, 0x42, 0x07, 0x00, 0x13]), CLOSE_CODE.invalidUpdate],
  ['garbage state vector', () => new Uint8Array([0, 0, 3, 0xff, 0xff, 0xff]), CLOSE_CODE.malformedMessage],
  ['garbage awareness', () => new Uint8Array([1, 5, 1, 7, 1, 3, 0x7b]), CLOSE_CODE.invalidAwareness],
  ['unknown message type', () => new Uint8Array([42, 0, 0]), CLOSE_CODE.unknownMessageType],
  ['unknown sync sub-type', () => new Uint8Array([0, 9, 0]), CLOSE_CODE.malformedMessage],
  ['trailing bytes', () => new Uint8Array([3, 1, 2, 3]), CLOSE_CODE.malformedMessage],
  ['text frame', () => 'hello', CLOSE_CODE.unsupportedData],
  ['text frame "-1"', () => '-1', CLOSE_CODE.unsupportedData],
];

for (const [name, payload, code] of CASES) {
  test(`${name} closes only the sender with ${code}`, async () => {
    assert.equal(await sendAndGetClose(payload()), code);
    await assertRoomHealthy(name);
  });
}

test('seeded random byte messages never take the room down', async () => {
  const random = seededRandom(20261123);
  for (let i = 0; i < 40; i++) {
    const bytes = new Uint8Array(1 + Math.floor(random() * 64)).map(() => Math.floor(random() * 256));
    const code = await sendAndGetClose(bytes);
    // With this seed no message happens to be valid, so each is refused with a named code.
    assert.ok(code >= 4000 && code < 4100, `case ${i}: code ${code}`);
  }
  await assertRoomHealthy('random');
});

/** Builds one masked client frame by hand, with any header bits we like. */
function frame(opcode: number, payload: Buffer, { rsv = 0, fin = true } = {}): Buffer {
  const mask = randomBytes(4);
  const header = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  if (payload.length < 126) header.push(0x80 | payload.length);
  else header.push(0x80 | 126, payload.length >> 8, payload.length & 0xff);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(header), mask, masked]);
}

/** Upgrades a raw TCP socket by hand; resolves once the server answered 101. */
function rawUpgrade(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    socket.once('error', reject);
    socket.write(
      `GET /sync/${ROOM} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    socket.once('data', (data) => {
      if (!data.toString('latin1').startsWith('HTTP/1.1 101')) reject(new Error(`no upgrade: ${data.toString('latin1')}`));
      else resolve(socket);
    });
  });
}

/** Sends raw bytes and resolves with the close code of the server's close frame (or -1 if none). */
async function rawSendAndGetClose(bytes: Buffer): Promise<number> {
  const socket = await rawUpgrade();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let code = -1;
    socket.on('data', (data) => {
      received = Buffer.concat([received, data]);
      // Scan the server's (unmasked) frames for a close frame and read its code.
      let offset = 0;
      while (offset + 2 <= received.length) {
        const opcode = received[offset]! & 0x0f;
        let length = received[offset + 1]! & 0x7f;
        let start = offset + 2;
        if (length === 126) {
          length = received.readUInt16BE(offset + 2);
          start += 2;
        }
        if (start + length > received.length) break;
        if (opcode === 0x8 && length >= 2) code = received.readUInt16BE(start);
        offset = start + length;
      }
    });
    socket.on('close', () => resolve(code));
    socket.on('error', () => {});
    socket.write(bytes);
  });
}

test('a frame with reserved bits set closes only the sender (1002)', async () => {
  assert.equal(await rawSendAndGetClose(frame(0x2, Buffer.from([0, 0, 0]), { rsv: 0b100 })), CLOSE_CODE.protocolError);
  await assertRoomHealthy('rsv');
});

test('an invalid opcode closes only the sender (1002)', async () => {
  assert.equal(await rawSendAndGetClose(frame(0x3, Buffer.from([1, 2]))), CLOSE_CODE.protocolError);
  await assertRoomHealthy('opcode');
});

test('a text frame with invalid UTF-8 closes only the sender (1007)', async () => {
  assert.equal(await rawSendAndGetClose(frame(0x1, Buffer.from([0xc3, 0x28]))), 1007);
  await assertRoomHealthy('utf8');
});

test('a frame declaring a huge length closes only the sender (1009)', async () => {
  const header = Buffer.from([0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4]);
  assert.equal(await rawSendAndGetClose(header), CLOSE_CODE.messageTooBig);
  await assertRoomHealthy('huge');
});

test('the healthy client kept every update through all of it', async () => {
  const expected = healthy.doc.getMap('shapes').toJSON();
  assert.deepEqual(observer.doc.getMap('shapes').toJSON(), expected);
  const fresh = connectClient(server.syncUrl, ROOM, { doc: new Y.Doc() });
  await fresh.synced;
  assert.deepEqual(fresh.doc.getMap('shapes').toJSON(), expected);
  fresh.destroy();
});
