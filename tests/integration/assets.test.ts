/**
 * The asset endpoints (shared/assets.ts) on real servers: an upload and its fetch, byte for byte
 * and header for header; every refusal (hash 400, not an image 415 whatever Content-Type says,
 * too large 413 declared or chunked, room quota 413, a deleted board 404, rate 429 with
 * Retry-After); idempotent re-uploads and two racing uploads against one quota; the access rules
 * with an auth secret and rooms kept apart; a file surviving a restart (LevelDB) and shared by two
 * processes (Redis); board files carrying files into an import, through the API and the CLI (--url
 * and --data); and a seeded fuzz of the upload endpoint with truncated, garbage and aborted
 * bodies, after which the server answers, uploads work and nothing stored has changed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { BACKUP_API_PATH, roomApiPath, type ApiErrorBody } from '../../shared/api.ts';
import { ASSET_ERROR, assetApiPath, assetIdOf, type AssetUploadResponse } from '../../shared/assets.ts';
import { readBoardFile, serializeBoard, type BoardFileAsset } from '../../shared/board-file.ts';
import { ACCESS_ROLE, type AccessRole } from '../../shared/protocol.ts';
import type { Shape } from '../../shared/schema.ts';
import { ASSET_CSP } from '../../server/api/router.ts';
import { createAuth } from '../../server/auth.ts';
import { createLevelArchive } from '../../server/store/level-archive.ts';
import { createLevelStore, openLevelDb } from '../../server/store/level-store.ts';
import type { Archive } from '../../server/store/archive.ts';
import { startChildServer } from '../helpers/child-server.ts';
import { startRedis } from '../helpers/redis.ts';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { seededRandom } from '../helpers/client.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const SECRET = 'assets-test-secret-0123456789-abcdefghijkl';
const ADMIN_TOKEN = 'assets-test-admin-token-0123456789-abcdefg';
const YEAR = 'max-age=31536000, immutable';
const imageDef = DEFS.find((def) => def.type === 'image');

/** An image shape showing the file `assetId`. */
const imageShape = (id: string, assetId: string, index = 'a1'): Shape => ({ ...sampleShape(imageDef!, { id, index }), assetId }) as unknown as Shape;

/** A real, decodable RGB PNG of `width` × `height` noisy pixels (noise: it does not compress away). */
function png(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) rows[y * (1 + width * 3) + 1 + x] = Math.floor(random() * 256);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]));
}

/** A file as the board file carries it. */
async function asset(bytes: Uint8Array): Promise<BoardFileAsset> {
  return { id: await assetIdOf(bytes), type: 'image/png', bytes };
}

interface Answer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  json<T = ApiErrorBody>(): T;
}

async function request(server: TestServer, method: string, path: string, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(`${server.httpUrl}${path}`, { method, headers: init.headers ?? {}, ...(init.body !== undefined && { body: init.body as BodyInit }) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, json: <T>() => JSON.parse(Buffer.from(bytes).toString('utf8')) as T };
}

const bearer = (token: string | null): Record<string, string> => (token === null ? {} : { authorization: `Bearer ${token}` });

async function upload(server: TestServer, room: string, bytes: Uint8Array, options: { id?: string; token?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const id = options.id ?? (await assetIdOf(bytes));
  return request(server, 'PUT', assetApiPath(room, id), { body: bytes, headers: { ...bearer(options.token ?? null), ...options.headers } });
}

/** Asserts an answer is the JSON error `code` with `status`. */
function refused(answer: Answer, status: number, code: string, label = ''): void {
  assert.equal(answer.status, status, `${label} ${Buffer.from(answer.bytes).toString('utf8').slice(0, 300)}`);
  const body = answer.json();
  assert.equal(body.error, code, label);
  assert.equal(typeof body.message, 'string', label);
}

/**
 * A PUT whose body `write` sends (maybe never ending it): resolves with the answer as soon as it
 * comes, as a refusal before the whole body is read must.
 */
function putStreaming(server: TestServer, path: string, headers: http.OutgoingHttpHeaders, write: (req: http.ClientRequest) => void): Promise<{ status: number; body: ApiErrorBody }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.httpUrl}${path}`, { method: 'PUT', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ApiErrorBody });
        req.destroy();
      });
    });
    // The server closes once it has answered; writes after that fail, which is expected here.
    req.on('error', (error) => (req.writableEnded || req.destroyed ? undefined : reject(error)));
    write(req);
  });
}

/** Writes `chunk` over and over until the request is answered or `limit` bytes went. */
function pump(req: http.ClientRequest, chunk: Buffer, limit: number): void {
  let sent = 0;
  const go = (): void => {
    while (sent <= limit && !req.destroyed) {
      sent += chunk.byteLength;
      if (!req.write(chunk)) {
        req.once('drain', go);
        return;
      }
    }
  };
  go();
}

describe('upload and fetch on one server (LevelDB)', () => {
  const MAX = 64 * 1024;
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN, maxAssetBytes: MAX, uploadBytesPerIp: 0 });
  });
  after(async () => {
    await server.close();
  });

  test('an upload answers its id, type and size; the fetch gives the bytes with the safe headers, and 304 for its ETag', async () => {
    const bytes = png(9, 7, 1);
    const id = await assetIdOf(bytes);
    // The declared type is ignored either way; here it is a generic one.
    const put = await upload(server, 'gallery', bytes, { headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json<AssetUploadResponse>(), { id, type: 'image/png', bytes: bytes.byteLength });

    const got = await request(server, 'GET', assetApiPath('gallery', id));
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, bytes);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('content-length'), String(bytes.byteLength));
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(got.headers.get('content-security-policy'), ASSET_CSP);
    assert.match(ASSET_CSP, /default-src 'none'/);
    assert.doesNotMatch(ASSET_CSP, /script-src/);
    // No auth secret: anyone may read the room anyway, so shared caches may keep it.
    assert.equal(got.headers.get('cache-control'), `public, ${YEAR}`);
    assert.equal(got.headers.get('etag'), `"${id}"`);

    for (const tag of [`"${id}"`, `W/"${id}"`, `"other", "${id}"`, '*']) {
      const cached = await request(server, 'GET', assetApiPath('gallery', id), { headers: { 'if-none-match': tag } });
      assert.equal(cached.status, 304, tag);
      assert.equal(cached.bytes.byteLength, 0, tag);
      assert.equal(cached.headers.get('etag'), `"${id}"`, tag);
    }
    const stale = await request(server, 'GET', assetApiPath('gallery', id), { headers: { 'if-none-match': '"something-else"' } });
    assert.equal(stale.status, 200);
    assert.deepEqual(stale.bytes, bytes);
  });

  test('GIF, JPEG and WebP are told from their bytes and served as such', async () => {
    const headers: Array<[string, number[]]> = [
      ['image/gif', [...Buffer.from('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x3b]],
      ['image/jpeg', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...Buffer.from('JFIF'), 0, 0xff, 0xd9]],
      ['image/webp', [...Buffer.from('RIFF'), 12, 0, 0, 0, ...Buffer.from('WEBPVP8 '), 0, 0, 0, 0]],
    ];
    for (const [type, bytes] of headers) {
      const file = new Uint8Array(bytes);
      // Declared as PNG: the bytes say otherwise, and the bytes win.
      const put = await upload(server, 'types', file, { headers: { 'content-type': 'image/png' } });
      assert.equal(put.status, 200, type);
      assert.equal(put.json<AssetUploadResponse>().type, type);
      const got = await request(server, 'GET', assetApiPath('types', await assetIdOf(file)));
      assert.equal(got.headers.get('content-type'), type);
      assert.deepEqual(got.bytes, file);
    }
  });

  test('a body whose SHA-256 is not the id is 400 hash_mismatch, and nothing is stored under either', async () => {
    const bytes = png(4, 4, 2);
    const other = await assetIdOf(png(4, 4, 3));
    refused(await upload(server, 'gallery', bytes, { id: other }), 400, ASSET_ERROR.hashMismatch);
    refused(await request(server, 'GET', assetApiPath('gallery', other)), 404, 'not_found');
    refused(await request(server, 'GET', assetApiPath('gallery', await assetIdOf(bytes))), 404, 'not_found');
  });

  test('an HTML file and an SVG file claiming to be PNG are 415 unsupported_type', async () => {
    const hostile = {
      html: '<!doctype html><html><body><script>fetch("/api/boards").then(r => r.text()).then(alert)</script></body></html>',
      svg: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>',
    };
    for (const [name, text] of Object.entries(hostile)) {
      const bytes = new TextEncoder().encode(text);
      refused(await upload(server, 'gallery', bytes, { headers: { 'content-type': 'image/png' } }), 415, ASSET_ERROR.unsupportedType, name);
      refused(await request(server, 'GET', assetApiPath('gallery', await assetIdOf(bytes))), 404, 'not_found', name);
    }
  });

  test('ids that are not a SHA-256 in lowercase hex are 404', async () => {
    const bytes = png(2, 2, 4);
    const id = await assetIdOf(bytes);
    for (const bad of [id.toUpperCase(), id.slice(1), `${id}0`, 'logo.png']) {
      refused(await upload(server, 'gallery', bytes, { id: bad }), 404, 'not_found', bad);
      refused(await request(server, 'GET', assetApiPath('gallery', bad)), 404, 'not_found', bad);
    }
  });

  test('a file over --max-asset-bytes is 413 asset_too_large: with an honest Content-Length before it is read, chunked while it is read', async () => {
    const big = Buffer.concat([Buffer.from(png(1, 1, 5)), Buffer.alloc(MAX)]);
    const id = await assetIdOf(big);
    const declared = await putStreaming(server, assetApiPath('gallery', id), { 'content-length': String(big.byteLength), 'content-type': 'image/png' }, (req) => req.write(big.subarray(0, 100)));
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error, ASSET_ERROR.assetTooLarge);
    const chunked = await putStreaming(server, assetApiPath('gallery', id), { 'content-type': 'image/png' }, (req) => pump(req, big.subarray(0, 8192), 4 * MAX));
    assert.equal(chunked.status, 413);
    assert.equal(chunked.body.error, ASSET_ERROR.assetTooLarge);
    // Exactly the largest is fine.
    const largest = Buffer.concat([Buffer.from(png(1, 1, 6)), Buffer.alloc(MAX)]).subarray(0, MAX);
    assert.equal((await upload(server, 'gallery', largest)).status, 200);
    refused(await request(server, 'GET', assetApiPath('gallery', id)), 404, 'not_found');
  });

  test('a file belongs to its room: the same id through another room is 404', async () => {
    const bytes = png(6, 6, 7);
    const id = await assetIdOf(bytes);
    assert.equal((await upload(server, 'room-a', bytes)).status, 200);
    refused(await request(server, 'GET', assetApiPath('room-b', id)), 404, 'not_found');
    // Even to a client that says it has it cached.
    refused(await request(server, 'GET', assetApiPath('room-b', id), { headers: { 'if-none-match': `"${id}"` } }), 404, 'not_found');
    assert.equal((await request(server, 'GET', assetApiPath('room-a', id))).status, 200);
  });

  test('a deleted board refuses uploads and fetches as its other endpoints do (404), and has them again once undeleted', async () => {
    const bytes = png(3, 5, 8);
    const id = await assetIdOf(bytes);
    assert.equal((await request(server, 'PUT', roomApiPath('doomed'), { body: serializeBoard([], 'doomed') })).status, 200);
    assert.equal((await upload(server, 'doomed', bytes)).status, 200);
    assert.equal((await request(server, 'DELETE', roomApiPath('doomed'), { headers: bearer(ADMIN_TOKEN) })).status, 200);
    const put = await upload(server, 'doomed', png(3, 5, 9));
    refused(put, 404, 'not_found');
    assert.match(put.json().message, /was deleted/);
    refused(await request(server, 'GET', assetApiPath('doomed', id)), 404, 'not_found');
    assert.equal((await request(server, 'POST', `${roomApiPath('doomed')}/undelete`, { headers: bearer(ADMIN_TOKEN) })).status, 200);
    assert.deepEqual((await request(server, 'GET', assetApiPath('doomed', id))).bytes, bytes);
  });

  test('a backup carries the files; restored into another server they are served, and count against its quota', async () => {
    const bytes = png(6, 5, 10);
    const id = await assetIdOf(bytes);
    assert.equal((await request(server, 'PUT', roomApiPath('backed-up'), { body: serializeBoard([], 'backed up') })).status, 200);
    assert.equal((await upload(server, 'backed-up', bytes)).status, 200);
    const backup = await request(server, 'GET', BACKUP_API_PATH, { headers: bearer(ADMIN_TOKEN) });
    assert.equal(backup.status, 200);
    const target = await startTestServer({ adminToken: ADMIN_TOKEN, maxRoomAssetBytes: bytes.byteLength + 10, uploadBytesPerIp: 0 });
    try {
      const restored = await request(target, 'POST', BACKUP_API_PATH, { body: backup.bytes, headers: bearer(ADMIN_TOKEN) });
      assert.equal(restored.status, 200, Buffer.from(restored.bytes).toString('utf8'));
      const got = await request(target, 'GET', assetApiPath('backed-up', id));
      assert.equal(got.status, 200);
      assert.deepEqual(got.bytes, bytes);
      assert.equal(got.headers.get('content-type'), 'image/png');
      // The restored file fills the room's quota: another is refused, the same one is not.
      refused(await upload(target, 'backed-up', png(6, 5, 11)), 413, ASSET_ERROR.roomQuotaExceeded);
      assert.equal((await upload(target, 'backed-up', bytes)).status, 200);
    } finally {
      await target.close();
    }
  });

  test('uploads are counted by result in /metrics', async () => {
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    assert.match(text, /easel_asset_uploads_total\{result="stored"\} [1-9]/);
    assert.match(text, new RegExp(`easel_asset_uploads_total\\{result="${ASSET_ERROR.unsupportedType}"\\} 2`));
    assert.match(text, new RegExp(`easel_asset_uploads_total\\{result="${ASSET_ERROR.hashMismatch}"\\} 1`));
  });
});

describe('room quota', () => {
  const [a, b, c] = [png(18, 18, 11), png(18, 18, 12), png(18, 18, 13)];
  // Room for a and b and half of c.
  const quota = a.byteLength + b.byteLength + Math.floor(c.byteLength / 2);
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxRoomAssetBytes: quota, uploadBytesPerIp: 0 });
  });
  after(async () => {
    await server.close();
  });

  test('a room whose files would pass --max-room-asset-bytes is 413 room_quota_exceeded; a re-upload is 200 and not counted again', async () => {
    assert.equal((await upload(server, 'full', a)).status, 200);
    assert.equal((await upload(server, 'full', b)).status, 200);
    refused(await upload(server, 'full', c), 413, ASSET_ERROR.roomQuotaExceeded);
    // Idempotent: the room has it, so it costs nothing more, again and again.
    for (let i = 0; i < 3; i++) {
      const again = await upload(server, 'full', a);
      assert.equal(again.status, 200);
      assert.deepEqual(again.json<AssetUploadResponse>(), { id: await assetIdOf(a), type: 'image/png', bytes: a.byteLength });
    }
    refused(await upload(server, 'full', c), 413, ASSET_ERROR.roomQuotaExceeded);
    // The quota is per room.
    assert.equal((await upload(server, 'other', c)).status, 200);
  });

  test('two uploads racing into one room do not both pass the quota', async () => {
    // Each fits alone; both do not.
    const [x, y] = [png(25, 25, 14), png(25, 25, 15)];
    assert.ok(x.byteLength <= quota && y.byteLength <= quota && x.byteLength + y.byteLength > quota);
    for (let round = 0; round < 5; round++) {
      const room = `race-${round}`;
      const answers = await Promise.all([upload(server, room, x), upload(server, room, y)]);
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 413], `round ${round}`);
      const stored = await Promise.all([x, y].map(async (bytes) => (await request(server, 'GET', assetApiPath(room, await assetIdOf(bytes)))).status));
      assert.deepEqual(stored.sort(), [200, 404], `round ${round}`);
    }
  });

  test('an import whose files would pass the quota is refused whole: no file stored, no board made', async () => {
    const file = serializeBoard([], 'too many', [await asset(a), await asset(b), await asset(c)]);
    refused(await request(server, 'PUT', roomApiPath('imported-full'), { body: file }), 413, ASSET_ERROR.roomQuotaExceeded);
    refused(await request(server, 'GET', roomApiPath('imported-full')), 404, 'not_found');
    refused(await request(server, 'GET', assetApiPath('imported-full', await assetIdOf(a))), 404, 'not_found');
  });
});

describe('rate limit per address', () => {
  let server: TestServer;
  before(async () => {
    // Two minimum charges of burst and a trickle after it; the address from X-Forwarded-For.
    server = await startTestServer({ trustProxy: true, maxAssetBytes: 4096, uploadBytesPerIp: 1, uploadBurstBytesPerIp: 8192, maxRoomAssetBytes: 0 });
  });
  after(async () => {
    await server.close();
  });

  test('past its burst an address gets 429 rate_limited with Retry-After; another address does not', async () => {
    const from = (address: string): Record<string, string> => ({ 'x-forwarded-for': address });
    assert.equal((await upload(server, 'busy', png(2, 2, 21), { headers: from('10.0.0.1') })).status, 200);
    assert.equal((await upload(server, 'busy', png(2, 2, 22), { headers: from('10.0.0.1') })).status, 200);
    const limited = await upload(server, 'busy', png(2, 2, 23), { headers: from('10.0.0.1') });
    refused(limited, 429, ASSET_ERROR.rateLimited);
    const retry = limited.headers.get('retry-after');
    assert.match(retry ?? '', /^[1-9][0-9]*$/);
    // A byte a second: the 4096 bytes an upload costs at least come back in a little over an hour.
    assert.ok(Number(retry) > 3000 && Number(retry) <= 4096, retry ?? '');
    // Chunked (no length to judge before reading) is counted once read.
    const chunked = await putStreaming(server, assetApiPath('busy', await assetIdOf(png(2, 2, 24))), { 'x-forwarded-for': '10.0.0.1' }, (req) => req.end(Buffer.from(png(2, 2, 24))));
    assert.equal(chunked.status, 429);
    assert.equal((await upload(server, 'busy', png(2, 2, 23), { headers: from('10.0.0.2') })).status, 200);
  });
});

describe('access with an auth secret', () => {
  let server: TestServer;
  const token: Record<string, string> = {};
  before(async () => {
    server = await startTestServer({ authSecret: SECRET, uploadBytesPerIp: 0 });
    const auth = createAuth(SECRET);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const sign = (room: string, role: AccessRole): Promise<string> => auth.sign({ room, role, expiresAt });
    token.viewA = await sign('room-a', ACCESS_ROLE.view);
    token.editA = await sign('room-a', ACCESS_ROLE.edit);
    token.editB = await sign('room-b', ACCESS_ROLE.edit);
  });
  after(async () => {
    await server.close();
  });

  test('no token is 401, a view token cannot upload (403), an edit token can; a view token reads with private caching', async () => {
    const bytes = png(5, 5, 31);
    const id = await assetIdOf(bytes);
    const none = await upload(server, 'room-a', bytes);
    refused(none, 401, 'unauthorized');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    refused(await upload(server, 'room-a', bytes, { token: token.viewA! }), 403, 'forbidden');
    refused(await upload(server, 'room-a', bytes, { token: token.editB! }), 403, 'forbidden');
    assert.equal((await upload(server, 'room-a', bytes, { token: token.editA! })).status, 200);
    refused(await request(server, 'GET', assetApiPath('room-a', id)), 401, 'unauthorized');
    const got = await request(server, 'GET', assetApiPath('room-a', id), { headers: bearer(token.viewA!) });
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, bytes);
    assert.equal(got.headers.get('cache-control'), `private, ${YEAR}`);
  });

  test("a token for room A cannot read room B's file (403)", async () => {
    const bytes = png(5, 5, 32);
    assert.equal((await upload(server, 'room-b', bytes, { token: token.editB! })).status, 200);
    refused(await request(server, 'GET', assetApiPath('room-b', await assetIdOf(bytes)), { headers: bearer(token.viewA!) }), 403, 'forbidden');
    refused(await request(server, 'GET', assetApiPath('room-b', await assetIdOf(bytes)), { headers: bearer(token.editA!) }), 403, 'forbidden');
  });
});

test('a stored file survives a restart on the same data folder', async () => {
  const dataDir = await makeTempDir();
  try {
    const bytes = png(7, 3, 41);
    const first = await startTestServer({ dataDir });
    assert.equal((await upload(first, 'kept', bytes)).status, 200);
    await first.stop();
    const second = await startTestServer({ dataDir });
    try {
      const got = await request(second, 'GET', assetApiPath('kept', await assetIdOf(bytes)));
      assert.equal(got.status, 200);
      assert.deepEqual(got.bytes, bytes);
      assert.equal(got.headers.get('content-type'), 'image/png');
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('with Redis, a file uploaded through one process is served by another, and the other way round', async () => {
  const redis = await startRedis();
  const dataDir = await makeTempDir();
  try {
    const [inProcess, child] = await Promise.all([startTestServer({ redisUrl: redis.url }), startChildServer(dataDir, ['--redis', redis.url])]);
    try {
      const other = { httpUrl: child.httpUrl } as TestServer;
      const one = png(8, 8, 51);
      const two = png(8, 8, 52);
      assert.equal((await upload(inProcess, 'shared', one)).status, 200);
      assert.equal((await upload(other, 'shared', two)).status, 200);
      for (const [server, bytes] of [[other, one], [inProcess, two]] as const) {
        const got = await request(server, 'GET', assetApiPath('shared', await assetIdOf(bytes)));
        assert.equal(got.status, 200);
        assert.deepEqual(got.bytes, bytes);
        assert.equal(got.headers.get('content-type'), 'image/png');
      }
      // The quota's sizes live in Redis too: a re-upload through the other process is no new file.
      const again = await upload(other, 'shared', one);
      assert.equal(again.status, 200);
    } finally {
      child.child.kill('SIGTERM');
      await child.exited;
      await inProcess.close();
    }
  } finally {
    await redis.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('board files carry their files', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ uploadBytesPerIp: 0 });
  });
  after(async () => {
    await server.close();
  });

  test('a board file with assets imported into an empty server serves them afterwards', async () => {
    const files = [await asset(png(4, 6, 61)), await asset(png(6, 4, 62))];
    const put = await request(server, 'PUT', roomApiPath('imported'), { body: serializeBoard([], 'with pictures', files) });
    assert.equal(put.status, 200, Buffer.from(put.bytes).toString('utf8'));
    for (const file of files) {
      const got = await request(server, 'GET', assetApiPath('imported', file.id));
      assert.equal(got.status, 200);
      assert.deepEqual(got.bytes, file.bytes);
    }
    // Imported into one room, they are that room's.
    refused(await request(server, 'GET', assetApiPath('elsewhere', files[0]!.id)), 404, 'not_found');
  });

  test('a board file whose asset is not the SHA-256 of its bytes is 400 hash_mismatch, and nothing changes', async () => {
    const right = await asset(png(4, 4, 63));
    const wrong = { ...(await asset(png(4, 4, 64))), id: right.id.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    refused(await request(server, 'PUT', roomApiPath('mismatched'), { body: serializeBoard([], 'bad', [right, wrong]) }), 400, ASSET_ERROR.hashMismatch);
    refused(await request(server, 'GET', roomApiPath('mismatched')), 404, 'not_found');
    refused(await request(server, 'GET', assetApiPath('mismatched', right.id)), 404, 'not_found');
  });

  test(
    "the board file of GET /api/rooms/<room> holds the files its image shapes name (and only those)",
    async () => {
      const shown = await asset(png(5, 3, 65));
      const unused = await asset(png(3, 5, 66));
      const image = imageShape('picture', shown.id);
      const put = await request(server, 'PUT', roomApiPath('pictured'), { body: serializeBoard([image], 'pictured', [shown, unused]) });
      assert.equal(put.status, 200, Buffer.from(put.bytes).toString('utf8'));
      const got = await request(server, 'GET', roomApiPath('pictured'));
      const file = readBoardFile(Buffer.from(got.bytes).toString('utf8'));
      assert.deepEqual(file.assets, [shown]);
    },
  );
});

describe('the CLI moves files inside board files', () => {
  const SCRIPT = fileURLToPath(new URL('../../scripts/easel.ts', import.meta.url));
  const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const easel = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(TSX, [SCRIPT, ...args], { env: { ...process.env, EASEL_URL: '', EASEL_TOKEN: '' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      });
    });

  test('export with --url and with --data writes the files the board’s images show', async () => {
    const dir = await makeTempDir();
    const dataDir = path.join(dir, 'data');
    const exported = path.join(dir, 'exported.json');
    const shown = await asset(png(4, 2, 72));
    const server = await startTestServer({ dataDir });
    try {
      const put = await request(server, 'PUT', roomApiPath('to-export'), { body: serializeBoard([imageShape('picture', shown.id)], 'export me', [shown]) });
      assert.equal(put.status, 200, Buffer.from(put.bytes).toString('utf8'));
      const remote = await easel(['export', 'to-export', exported, '--url', server.httpUrl]);
      assert.equal(remote.code, 0, remote.stderr);
      assert.deepEqual(readBoardFile(await readFile(exported, 'utf8')).assets, [shown]);
      await server.stop();
      const offline = await easel(['export', 'to-export', '--data', dataDir]);
      assert.equal(offline.code, 0, offline.stderr);
      assert.deepEqual(readBoardFile(offline.stdout).assets, [shown]);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('import with --url and with --data stores the file’s assets, served afterwards', async () => {
    const dir = await makeTempDir();
    const dataDir = path.join(dir, 'data');
    const boardPath = path.join(dir, 'board.json');
    const files = [await asset(png(3, 3, 71))];
    await writeFile(boardPath, serializeBoard([], 'cli', files));
    let server = await startTestServer({ dataDir });
    try {
      const remote = await easel(['import', 'over-url', boardPath, '--url', server.httpUrl]);
      assert.equal(remote.code, 0, remote.stderr);
      assert.match(remote.stderr, /1 image files/);
      assert.deepEqual((await request(server, 'GET', assetApiPath('over-url', files[0]!.id))).bytes, files[0]!.bytes);
      await server.stop();
      const offline = await easel(['import', 'over-data', boardPath, '--data', dataDir]);
      assert.equal(offline.code, 0, offline.stderr);
      server = await startTestServer({ dataDir });
      assert.deepEqual((await request(server, 'GET', assetApiPath('over-data', files[0]!.id))).bytes, files[0]!.bytes);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('fuzzing the upload endpoint', () => {
  const MAX = 4096;
  let server: TestServer;
  let archive: Archive;
  let dataDir: string;
  before(async () => {
    dataDir = await makeTempDir();
    // The store handed in, so this test can read what the archive holds while the server runs.
    const db = await openLevelDb(dataDir);
    archive = createLevelArchive(db);
    server = await startTestServer({ dataDir, store: createLevelStore(db), archive, maxAssetBytes: MAX, uploadBytesPerIp: 0, handshakeTimeoutMs: 2_000 });
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Sends `head` and `body` on a raw socket, then waits for the answer (each request says
   * Connection: close, so the server closes after it) or cuts the connection; resolves once the
   * socket is closed, with what came back. Never a half-close: Node's server would abort the
   * request then, answered or not, and the case would test nothing.
   */
  function raw(head: string, body: Uint8Array, finish: 'answer' | 'destroy'): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1');
      const received: Buffer[] = [];
      socket.on('data', (chunk) => received.push(chunk));
      socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
      socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
      socket.write(head);
      socket.write(body, () => {
        if (finish === 'destroy') socket.destroy();
      });
    });
  }

  test('200 seeded cases of truncated, garbage and cut-off bodies: the server stays up, stores nothing, and uploads still work', async () => {
    const random = seededRandom(0xea5e1);
    const int = (n: number): number => Math.floor(random() * n);
    const rooms = ['fuzz', 'fuzz-b'];
    const kept = [png(4, 4, 81), png(5, 5, 82)];
    for (const bytes of kept) assert.equal((await upload(server, 'fuzz', bytes)).status, 200);
    const before = await Promise.all(rooms.map((room) => archive.assets.sizes(room)));
    const valid = png(10, 10, 83);
    const validId = await assetIdOf(valid);
    const garbage = (length: number): Uint8Array => {
      const bytes = Uint8Array.from({ length }, () => int(256));
      // Never an image's magic number by chance: a garbage file must never be stored.
      if (length > 0) bytes[0] = 0;
      return bytes;
    };
    const statuses = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const room = rooms[int(rooms.length)]!;
      const kind = int(6);
      const randomId = Array.from({ length: 64 }, () => '0123456789abcdef'[int(16)]).join('');
      let id = validId;
      let body: Uint8Array;
      let declared: string | null;
      let finish: 'answer' | 'destroy' = 'answer';
      switch (kind) {
        case 0: // A valid file cut short, its full length declared, the connection cut.
          body = valid.subarray(0, int(valid.byteLength));
          declared = String(valid.byteLength);
          finish = 'destroy';
          break;
        case 1: // Garbage with an honest length, under its own hash or any id.
          body = garbage(int(MAX + 2000));
          declared = String(body.byteLength);
          id = random() < 0.5 ? await assetIdOf(body) : randomId;
          break;
        case 2: // A random declared length, less than what is sent (the rest reads as a broken next request).
          body = garbage(int(3000) + 1);
          declared = String(int(body.byteLength));
          id = randomId;
          break;
        case 3: // A random declared length, more than is sent, then cut.
          body = random() < 0.5 ? garbage(int(2000)) : valid.subarray(0, int(valid.byteLength));
          declared = String(body.byteLength + 1 + int(MAX * 2));
          finish = 'destroy';
          break;
        case 4: // Chunked, maybe past the limit, maybe cut off mid-chunk.
          body = garbage(int(MAX * 2));
          declared = null;
          id = random() < 0.5 ? await assetIdOf(body) : randomId;
          finish = random() < 0.5 ? 'answer' : 'destroy';
          break;
        default: // A valid image under another's id, or truncated under its own.
          if (random() < 0.5) {
            body = valid;
            id = await assetIdOf(kept[0]!);
          } else {
            body = valid.subarray(0, 8 + int(valid.byteLength - 9));
            id = validId;
          }
          declared = String(body.byteLength);
      }
      let payload = body;
      if (declared === null) {
        // Chunks of random sizes; an ended request gets the last chunk, a cut one does not.
        const parts: Buffer[] = [];
        for (let at = 0; at < body.byteLength; ) {
          const size = Math.min(body.byteLength - at, 1 + int(1500));
          parts.push(Buffer.from(`${size.toString(16)}\r\n`), Buffer.from(body.subarray(at, at + size)), Buffer.from('\r\n'));
          at += size;
        }
        if (finish === 'answer') parts.push(Buffer.from('0\r\n\r\n'));
        payload = new Uint8Array(Buffer.concat(parts));
      }
      const head =
        `PUT ${assetApiPath(room, id)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nConnection: close\r\n` +
        (declared === null ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${declared}\r\n`) +
        '\r\n';
      const answer = await raw(head, payload, finish);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'none';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      assert.ok(!status.startsWith('5'), `case ${i} (kind ${kind}): ${answer.slice(0, 300)}`);
      assert.notEqual(status, '200', `case ${i} (kind ${kind}) stored something: ${answer.slice(0, 300)}`);
    }
    // The cases reached the checks, not only the parser.
    for (const status of ['400', '413', '415']) assert.ok((statuses.get(status) ?? 0) > 0, `some ${status}: ${JSON.stringify([...statuses])}`);

    const health = await fetch(`${server.httpUrl}/healthz`);
    assert.equal(health.status, 200);
    const after = await Promise.all(rooms.map((room) => archive.assets.sizes(room)));
    assert.deepEqual(after, before);
    const put = await upload(server, 'fuzz', valid);
    assert.equal(put.status, 200);
    assert.deepEqual(await archive.assets.list('fuzz'), [...before[0]!.keys(), validId].sort());
    assert.deepEqual((await request(server, 'GET', assetApiPath('fuzz', validId))).bytes, valid);
  });
});
