/**
 * Images in the client, the parts that need no browser: the arithmetic of preparing and placing
 * files, what the upload queue does with each answer of the server, the queue itself against a
 * scripted fetch, the image util, and the select tool keeping an image's aspect.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ASSET_ERROR, MAX_IMAGE_SIDE } from '../../shared/assets.ts';
import { DEFAULT_STYLE, type Shape } from '../../shared/schema.ts';
import type { ImageShape } from '../../shared/shapes/image.ts';
import { placeImages, PLACED_GAP, PLACED_MAX_SIDE, redrawnType, scaledSize } from '../../client/assets/image-size.ts';
import { MAX_RETRY_AFTER_MS, retryAfterMs, uploadOutcome } from '../../client/assets/upload-outcome.ts';
import { createUploadQueue, type UploadRefusal } from '../../client/assets/upload-queue.ts';
import { createMemoryAssetStore } from '../../client/assets/asset-store.ts';
import { shapeUtil } from '../../client/shapes/registry.ts';
import { shapeAssetIds } from '../../shared/schema.ts';
import { NO_FILES } from '../../client/shapes/shape-util.ts';
import { selectionHandles } from '../../client/model/selection-handles.ts';
import { writeShape } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { createToolHarness } from '../helpers/tool-harness.ts';

const ASSET = 'ab'.repeat(32);

/** Queues and libraries a test opened: closed after it even when it fails, so no retry timer keeps the process alive. */
const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const part of opened.splice(0)) part.close();
});

function image(fields: Partial<ImageShape> = {}): ImageShape {
  return { ...DEFAULT_STYLE, id: 'img-1', type: 'image', x: 100, y: 80, rotation: 0, index: 'a0', locked: false, width: 200, height: 100, assetId: ASSET, naturalWidth: 400, naturalHeight: 200, ...fields };
}

describe('preparing and placing', () => {
  test('a picture larger than the limit is scaled down to it on its longer side, keeping its aspect; a smaller one is kept', () => {
    assert.deepEqual(scaledSize(8192, 4096), { width: MAX_IMAGE_SIDE, height: 2048, scaled: true });
    assert.deepEqual(scaledSize(1000, 6000), { width: 683, height: MAX_IMAGE_SIDE, scaled: true });
    assert.deepEqual(scaledSize(4096, 4096), { width: 4096, height: 4096, scaled: false });
    assert.deepEqual(scaledSize(300, 200), { width: 300, height: 200, scaled: false });
    assert.deepEqual(scaledSize(100_000, 1), { width: MAX_IMAGE_SIDE, height: 1, scaled: true }, 'never below a pixel');
  });

  test('a redrawn photo stays JPEG or WebP; PNG, GIF and SVG become PNG', () => {
    assert.equal(redrawnType('image/jpeg'), 'image/jpeg');
    assert.equal(redrawnType('image/webp'), 'image/webp');
    assert.equal(redrawnType('image/png'), 'image/png');
    assert.equal(redrawnType('image/gif'), 'image/png');
    assert.equal(redrawnType('image/svg+xml'), 'image/png');
  });

  test('images land side by side, centred on the point, no larger than the placing limit', () => {
    const [a, b] = placeImages([{ width: 100, height: 50 }, { width: 2000, height: 1000 }], { x: 0, y: 0 });
    assert.deepEqual(a, { x: -(100 + PLACED_GAP + PLACED_MAX_SIDE) / 2, y: -25, width: 100, height: 50 });
    assert.equal(b!.width, PLACED_MAX_SIDE);
    assert.equal(b!.height, PLACED_MAX_SIDE / 2);
    assert.equal(b!.x, a!.x + 100 + PLACED_GAP);
    assert.equal(b!.x + b!.width, (100 + PLACED_GAP + PLACED_MAX_SIDE) / 2);
  });
});

describe('what an upload answer means', () => {
  test('2xx is stored', () => {
    assert.deepEqual(uploadOutcome(200, null, null, 0), { kind: 'stored' });
  });

  test('400, 401, 403, 413 and 415 are refusals with a message per error code', () => {
    const cases: Array<[number, string | null]> = [
      [400, ASSET_ERROR.hashMismatch],
      [415, ASSET_ERROR.unsupportedType],
      [413, ASSET_ERROR.assetTooLarge],
      [413, ASSET_ERROR.roomQuotaExceeded],
      [401, null],
      [403, null],
    ];
    const messages = new Set<string>();
    for (const [status, code] of cases) {
      const outcome = uploadOutcome(status, code, null, 0);
      assert.equal(outcome.kind, 'refused', `${status} ${code}`);
      if (outcome.kind === 'refused') messages.add(outcome.message);
    }
    assert.equal(messages.size, cases.length, 'each refusal says something of its own');
  });

  test('429 waits as Retry-After says (seconds or a date, capped); 5xx and other statuses retry with backoff', () => {
    assert.deepEqual(uploadOutcome(429, ASSET_ERROR.rateLimited, '7', 0), { kind: 'retry', afterMs: 7000 });
    assert.deepEqual(uploadOutcome(429, ASSET_ERROR.rateLimited, null, 0), { kind: 'retry', afterMs: null });
    assert.deepEqual(uploadOutcome(500, null, null, 0), { kind: 'retry', afterMs: null });
    assert.deepEqual(uploadOutcome(502, null, '3', 0), { kind: 'retry', afterMs: null });
    assert.deepEqual(uploadOutcome(503, null, '3', 0), { kind: 'retry', afterMs: 3000 });
    assert.deepEqual(uploadOutcome(404, null, null, 0), { kind: 'retry', afterMs: null });
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
    assert.equal(retryAfterMs('999999', now), MAX_RETRY_AFTER_MS);
    assert.equal(retryAfterMs('soon', now), null);
    assert.equal(retryAfterMs('-5', now), 0);
  });
});

describe('the upload queue', () => {
  /** A fetch answering from a script, one answer per call, recording the calls. */
  function scripted(answers: Array<() => Response | Promise<Response>>) {
    const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      const answer = answers.shift();
      assert.ok(answer, 'no more answers scripted');
      return answer();
    }) as unknown as typeof globalThis.fetch;
    return { fetch, calls };
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  const online = (connected: { value: boolean }) => {
    const listeners = new Set<() => void>();
    return { signal: { connected: () => connected.value, onChange: (l: () => void) => (listeners.add(l), () => listeners.delete(l)) }, set: (v: boolean) => ((connected.value = v), listeners.forEach((l) => l())) };
  };
  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(check(), 'condition reached');
  };

  test('waits for the connection, uploads with the token, retries a 429 after Retry-After, and forgets a stored file', async () => {
    const store = createMemoryAssetStore();
    await store.putFile(ASSET, { type: 'image/png', bytes: Uint8Array.from([1, 2, 3]) });
    await store.queueUpload('room-a', ASSET);
    const net = online({ value: false });
    const { fetch, calls } = scripted([json(429, { error: ASSET_ERROR.rateLimited, message: 'slow down' }, { 'retry-after': '0' }), json(200, { id: ASSET, type: 'image/png', bytes: 3 })]);
    const stored: string[] = [];
    const queue = createUploadQueue({ room: 'room-a', token: 'tok', fetch, store: Promise.resolve(store), online: net.signal, file: (id) => store.getFile(id), onRefused: () => assert.fail('not refused'), onStored: (id) => stored.push(id) });
    opened.push(queue);
    await until(() => queue.pending.length === 1);
    assert.equal(calls.length, 0, 'nothing is sent while offline');
    net.set(true);
    await until(() => stored.length === 1);
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.url, `/api/rooms/room-a/assets/${ASSET}`);
    assert.equal(calls[0]!.init?.method, 'PUT');
    assert.equal((calls[0]!.init?.headers as Record<string, string>).authorization, 'Bearer tok');
    assert.deepEqual(await store.uploads('room-a'), [], 'the stored file left the queue');
    queue.close();
  });

  test('a refusal drops the file from the queue and is reported with its message', async () => {
    const store = createMemoryAssetStore();
    await store.putFile(ASSET, { type: 'image/png', bytes: Uint8Array.from([1]) });
    await store.queueUpload('room-b', ASSET);
    const { fetch } = scripted([json(413, { error: ASSET_ERROR.roomQuotaExceeded, message: 'full' })]);
    const refusals: UploadRefusal[] = [];
    const queue = createUploadQueue({ room: 'room-b', token: null, fetch, store: Promise.resolve(store), online: online({ value: true }).signal, file: (id) => store.getFile(id), onRefused: (r) => refusals.push(r) });
    opened.push(queue);
    await until(() => refusals.length === 1);
    assert.equal(refusals[0]!.assetId, ASSET);
    assert.equal(refusals[0]!.code, ASSET_ERROR.roomQuotaExceeded);
    assert.match(refusals[0]!.message, /no room left/);
    assert.deepEqual(await store.uploads('room-b'), []);
    queue.close();
  });

  test('a network failure is retried, and the connection coming back retries at once', async () => {
    const store = createMemoryAssetStore();
    await store.putFile(ASSET, { type: 'image/png', bytes: Uint8Array.from([1]) });
    await store.queueUpload('room-c', ASSET);
    const net = online({ value: true });
    const { fetch, calls } = scripted([() => Promise.reject(new TypeError('network down')), json(200, { id: ASSET, type: 'image/png', bytes: 1 })]);
    const stored: string[] = [];
    // A backoff far longer than the test: only the reconnection can bring the retry.
    const queue = createUploadQueue({ room: 'room-c', token: null, fetch, store: Promise.resolve(store), online: net.signal, file: (id) => store.getFile(id), onRefused: () => assert.fail(), onStored: (id) => stored.push(id), random: () => 0.999 });
    opened.push(queue);
    await until(() => calls.length === 1);
    net.set(false);
    net.set(true);
    await until(() => stored.length === 1);
    queue.close();
  });
});

describe('the image util', () => {
  const util = shapeUtil({ type: 'image' });

  test('bounds and hit test are the whole box, whatever the stroke', () => {
    const shape = image({ strokeWidth: 8 });
    assert.deepEqual(util.localBounds(shape), { x: 0, y: 0, width: 200, height: 100 });
    assert.ok(util.hitTest(shape, { x: 100, y: 50 }, 0), 'the middle hits (a picture has no hole)');
    assert.ok(!util.hitTest(shape, { x: 205, y: 50 }, 2));
    assert.ok(util.hitTest(shape, { x: 201, y: 50 }, 2));
  });

  test('it names its file, resizes as a box and keeps its aspect by default', () => {
    assert.deepEqual(shapeAssetIds(image()), [ASSET]);
    assert.deepEqual(shapeAssetIds({ ...DEFAULT_STYLE, id: 'r', type: 'rect', x: 0, y: 0, rotation: 0, index: 'a0', locked: false, width: 1, height: 1 } as Shape), []);
    const resized = util.resize(image(), 2, 0.5) as ImageShape;
    assert.equal(resized.width, 400);
    assert.equal(resized.height, 50);
    assert.equal(resized.assetId, ASSET);
    assert.equal(util.keepsAspect, true);
  });

  test('SVG: the file embedded and stretched when there is one, else the placeholder', () => {
    const url = 'data:image/png;base64,AAAA';
    const embedded = util.toSvg(image(), { assetUrl: (id) => (id === ASSET ? url : null) });
    assert.match(embedded, /^<image href="data:image\/png;base64,AAAA" width="200" height="100" preserveAspectRatio="none"\/>$/);
    const placeholder = util.toSvg(image(), NO_FILES);
    assert.ok(!placeholder.includes('<image'));
    assert.match(placeholder, /<rect [^>]*fill="#f1f3f5"/);
    assert.match(placeholder, /<path /);
  });

  test('the select tool keeps its aspect on resize, and Shift frees it (the opposite of a rectangle)', () => {
    for (const [shiftKey, expectSame] of [[false, true], [true, false]] as const) {
      const t = createToolHarness('select');
      const shape = image({ strokeWidth: 0 });
      t.doc.transact(() => writeShape(t.doc, shape), REMOTE_ORIGIN);
      t.selection.set([shape.id]);
      const se = selectionHandles([shape], 1)!.points.se;
      t.gesture([[se.x, se.y], [se.x + 100, se.y + 10], [se.x + 200, se.y + 10]], { shiftKey });
      const after = t.board.get(shape.id) as ImageShape;
      const ratio = after.width / after.height;
      if (expectSame) assert.ok(Math.abs(ratio - 2) < 0.05, `aspect kept without Shift (${after.width}×${after.height})`);
      else assert.ok(Math.abs(ratio - 2) > 0.5, `aspect free with Shift (${after.width}×${after.height})`);
      t.close();
    }
  });
});

describe('the asset library', () => {
  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
  const picture = { decoded: true } as unknown as CanvasImageSource;
  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(check(), 'condition reached');
  };
  const never = { connected: () => true, onChange: () => () => {} };

  test('a missing file is asked for again while a shape shows it, then shows and is kept; no shape, no more asking', async () => {
    const { createAssetLibrary } = await import('../../client/assets/create-asset-library.ts');
    const { assetIdOf } = await import('../../shared/assets.ts');
    const id = await assetIdOf(PNG);
    const store = createMemoryAssetStore();
    let gets = 0;
    let uploaded = false;
    const fetch = (async (_url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') return new Response(JSON.stringify({ id, type: 'image/png', bytes: PNG.length }), { status: 200 });
      gets++;
      return uploaded ? new Response(PNG, { status: 200 }) : new Response('{}', { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    let shown = true;
    const library = createAssetLibrary({ room: 'r', token: null, fetch, online: never, inUse: () => shown, store: Promise.resolve(store), decode: async () => picture, fetchBackoff: { baseMs: 4, maxMs: 8 } });
    opened.push(library);
    const arrived: string[] = [];
    library.onPicture((assetId) => arrived.push(assetId));
    assert.equal(library.image(id), null, 'not here yet: the view draws a placeholder');
    await until(() => gets >= 3);
    assert.deepEqual(arrived, [], 'nothing arrived while the server had nothing');
    uploaded = true;
    await until(() => arrived.length === 1);
    assert.equal(library.image(id), picture);
    assert.notEqual(await store.getFile(id), null, 'kept in the browser for next time (offline too)');
    library.close();

    // Nobody shows it: one try, then no more.
    shown = false;
    uploaded = false;
    gets = 0;
    const other = createAssetLibrary({ room: 'r', token: null, fetch, online: never, inUse: () => shown, store: Promise.resolve(createMemoryAssetStore()), decode: async () => picture, fetchBackoff: { baseMs: 4, maxMs: 8 } });
    opened.push(other);
    other.image(id);
    await until(() => gets === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(gets, 1, 'no retry once no shape shows the file');
    other.close();
  });

  test('add refuses what is no image, keeps the file, shows it at once and queues its upload', async () => {
    const { createAssetLibrary } = await import('../../client/assets/create-asset-library.ts');
    const { AssetError } = await import('../../client/assets/asset-error.ts');
    const store = createMemoryAssetStore();
    const puts: string[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') puts.push(url);
      return new Response(JSON.stringify({ id: url.split('/').pop() }), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const library = createAssetLibrary({ room: 'r', token: null, fetch, online: never, inUse: () => true, store: Promise.resolve(store), decode: async () => picture });
    opened.push(library);
    await assert.rejects(library.add(new TextEncoder().encode('<svg/>')), (error: unknown) => error instanceof AssetError && error.code === 'unsupported_type');
    const added = await library.add(PNG);
    assert.equal(added.type, 'image/png');
    assert.equal(library.image(added.id), picture, 'shows at once');
    assert.equal((await library.file(added.id))?.type, 'image/png');
    await until(() => puts.length === 1);
    assert.match(puts[0]!, new RegExp(`/api/rooms/r/assets/${added.id}$`));
    library.close();
  });
});

describe('inserting images', () => {
  const ID_A = 'a1'.repeat(32);
  const ID_B = 'b2'.repeat(32);
  const file = (name: string) => ({ name }) as File;

  async function setup(options: { writable?: boolean } = {}) {
    const { createImageInserter } = await import('../../client/assets/insert-images.ts');
    const { createHistory } = await import('../../client/model/history.ts');
    const { AssetError } = await import('../../client/assets/asset-error.ts');
    const t = createToolHarness('select');
    const history = createHistory(t.doc);
    const notices: string[] = [];
    const refused = new Set<(refusal: UploadRefusal) => void>();
    const sizes: Record<string, { id: string; width: number; height: number }> = {
      'a.png': { id: ID_A, width: 200, height: 100 },
      'b.png': { id: ID_B, width: 50, height: 80 },
    };
    const library = {
      image: () => null,
      onPicture: () => () => {},
      picture: () => Promise.reject(new Error('unused')),
      file: async () => null,
      add: async (bytes: Uint8Array) => ({ id: new TextDecoder().decode(bytes), type: 'image/png' as const }),
      close: () => {},
      onRefused: (listener: (refusal: UploadRefusal) => void) => (refused.add(listener), () => refused.delete(listener)),
    };
    const inserter = createImageInserter({
      board: t.board,
      selection: t.selection,
      library,
      notice: { show: (message) => notices.push(message) },
      writable: () => options.writable ?? true,
      prepare: async (f) => {
        const size = sizes[f.name];
        if (size === undefined) throw new AssetError('unsupported_type', `${f.name} is not an image Easel can show.`);
        return { bytes: new TextEncoder().encode(size.id), width: size.width, height: size.height };
      },
    });
    const images = () => t.board.ordered().filter((shape): shape is ImageShape => shape.type === 'image');
    return { t, history, notices, inserter, images, refuse: (refusal: UploadRefusal) => refused.forEach((listener) => listener(refusal)), close: () => (inserter.close(), history.close(), t.close()) };
  }

  test('one image shape per file, side by side around the point, in the frame there, selected, one undo step', async () => {
    const s = await setup();
    s.t.doc.transact(() => writeShape(s.t.doc, { ...DEFAULT_STYLE, id: 'frame-1', type: 'frame', x: -1000, y: -1000, width: 2000, height: 2000, rotation: 0, index: 'a0', locked: false, name: '' }), REMOTE_ORIGIN);
    await s.inserter.insert([file('a.png'), file('b.png')], { x: 0, y: 0 });
    const [a, b] = s.images();
    assert.ok(a && b, 'two image shapes');
    assert.deepEqual([a.assetId, a.width, a.height, a.naturalWidth, a.naturalHeight], [ID_A, 200, 100, 200, 100]);
    assert.equal(b.assetId, ID_B);
    assert.equal(a.frameId, 'frame-1', 'in the frame it landed in');
    assert.ok(a.x < b.x, 'side by side');
    assert.deepEqual(new Set(s.t.selection.ids()), new Set([a.id, b.id]), 'selected');
    assert.ok(s.history.undo());
    assert.equal(s.images().length, 0, 'one undo takes both back');
    s.close();
  });

  test('a file that is no image adds nothing and says why; the others are still added', async () => {
    const s = await setup();
    await s.inserter.insert([file('notes.txt')], { x: 0, y: 0 });
    assert.equal(s.images().length, 0);
    assert.match(s.notices.at(-1)!, /notes\.txt is not an image.*Nothing was added/);
    await s.inserter.insert([file('notes.txt'), file('a.png')], { x: 0, y: 0 });
    assert.equal(s.images().length, 1);
    s.close();
  });

  test('a view-only board takes no image', async () => {
    const s = await setup({ writable: false });
    await s.inserter.insert([file('a.png')], { x: 0, y: 0 });
    assert.equal(s.images().length, 0);
    assert.match(s.notices.at(-1)!, /view only/);
    s.close();
  });

  test('a refused upload takes back the shapes this page added for that file, with the message', async () => {
    const s = await setup();
    await s.inserter.insert([file('a.png'), file('b.png')], { x: 0, y: 0 });
    s.refuse({ assetId: ID_A, code: ASSET_ERROR.roomQuotaExceeded, message: 'no room left' });
    assert.deepEqual(s.images().map((image) => image.assetId), [ID_B]);
    assert.equal(s.notices.at(-1), 'no room left');
    s.close();
  });
});
