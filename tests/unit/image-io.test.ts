/**
 * Images in exports, board files and the clipboard: the files of the image shapes are fetched for
 * an export (a placeholder for one that does not come), carried in the board file and on the
 * clipboard as base64, and checked against their ids before a board adds them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assetIdsOf, DEFAULT_STYLE, NO_LABEL, readShape, type Shape } from '../../shared/schema.ts';
import { readBoardFile, serializeBoard, type BoardFileAsset } from '../../shared/board-file.ts';
import { imageDef } from '../../shared/shapes/image.ts';
import { dataUrl, exportDataUrls, exportFileBytes, exportPictures, ExportFileTimeoutError, svgFiles } from '../../client/export/export-files.ts';
import { exportSvg } from '../../client/export/svg-export.ts';
import { MAX_CLIPBOARD_CHARS, parseClipboard, parseShapes, serializeClipboard, serializeShapes } from '../../client/model/clipboard-data.ts';
import { addCarriedAssets, CarriedAssetMismatchError, checkCarriedAssets } from '../../client/assets/carried-assets.ts';
import { createSelectionFiles } from '../../client/assets/selection-files.ts';
import type { AssetLibrary } from '../../client/assets/asset-library.ts';

/** A PNG signature and some bytes: enough to be sniffed as a PNG (nothing here decodes it). */
const png = (tail: number): Uint8Array => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, tail]);
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const file = (bytes: Uint8Array): BoardFileAsset => ({ id: sha(bytes), type: 'image/png', bytes });

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false, index: 'a0' };
const rect = (id: string): Shape => ({ ...base, id, type: 'rect', ...NO_LABEL, x: 0, y: 0, width: 10, height: 10 }) as Shape;
/** An image shape, through the schema gate. */
function image(id: string, assetId: string): Shape {
  const read = readShape(id, { ...base, type: imageDef.type, x: 10, y: 20, width: 40, height: 30, assetId, naturalWidth: 80, naturalHeight: 60 });
  assert.ok(read.ok);
  return read.shape;
}

/** A library over files in memory; `picture` answers a stand-in object per file. */
function fakeLibrary(files: BoardFileAsset[], options: { slow?: Set<string> } = {}) {
  const held = new Map(files.map((f) => [f.id, f]));
  const added: string[] = [];
  const never = new Promise<never>(() => {});
  const library: Pick<AssetLibrary, 'picture' | 'file' | 'add'> = {
    async picture(id, signal) {
      if (options.slow?.has(id)) {
        return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      }
      if (!held.has(id)) throw new Error('not here');
      return { picture: id } as unknown as CanvasImageSource;
    },
    async file(id) {
      if (options.slow?.has(id)) return never;
      const f = held.get(id);
      return f === undefined ? null : new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type });
    },
    async add(bytes) {
      const id = sha(bytes);
      added.push(id);
      held.set(id, { id, type: 'image/png', bytes });
      return { id, type: 'image/png' };
    },
  };
  return { library, added };
}

test('assetIdsOf: the distinct files of the image shapes, nothing for other shapes', () => {
  const [a, b] = [sha(png(1)), sha(png(2))];
  assert.deepEqual(assetIdsOf([image('i1', a), rect('r'), image('i2', b), image('i3', a)]), [a, b]);
  assert.deepEqual(assetIdsOf([rect('r')]), []);
});

describe('export files', () => {
  const one = file(png(1));
  const two = file(png(2));

  test('PNG: the pictures that come are drawn, the rest listed as missing (after the timeout)', async () => {
    const slow = sha(png(3));
    const { library } = fakeLibrary([one], { slow: new Set([slow]) });
    const { files, missing } = await exportPictures(library, [image('i1', one.id), image('i2', two.id), image('i3', slow)], 50);
    assert.deepEqual(files.image(one.id), { picture: one.id });
    assert.equal(files.image(two.id), null);
    assert.deepEqual(missing.sort(), [two.id, slow].sort());
  });

  test('SVG: each file as a data: URL of its sniffed type; a missing one gets none', async () => {
    const slow = sha(png(3));
    const { library } = fakeLibrary([one], { slow: new Set([slow]) });
    const { files, missing } = await exportDataUrls(library, [image('i1', one.id), image('i2', two.id), image('i3', slow)], 50);
    assert.equal(files.assetUrl(one.id), `data:image/png;base64,${Buffer.from(one.bytes).toString('base64')}`);
    assert.equal(files.assetUrl(two.id), null);
    assert.deepEqual(missing, [two.id, slow]);
    assert.equal(dataUrl(one), files.assetUrl(one.id));
  });

  test('a file the library holds that is not an image is left out', async () => {
    const text = new TextEncoder().encode('<svg/>');
    const { library } = fakeLibrary([{ id: sha(text), type: 'image/png', bytes: text }]);
    const { files, missing } = await exportFileBytes(library, [image('i1', sha(text))]);
    assert.deepEqual(files, []);
    assert.deepEqual(missing, [sha(text)]);
  });

  test('a board file built from the export carries the files; an import checks and adds them', async () => {
    const { library } = fakeLibrary([one, two]);
    const shapes = [image('i1', one.id), rect('r'), image('i2', two.id)];
    const { files, missing } = await exportFileBytes(library, shapes);
    assert.deepEqual(missing, []);
    const text = serializeBoard(shapes, 'Board', files);
    const read = readBoardFile(text);
    assert.deepEqual(read.shapes, shapes);
    assert.deepEqual(read.assets, [one, two]);
    const checked = await checkCarriedAssets(read.assets!, shapes);
    assert.deepEqual(checked, { good: [one, two], bad: [] });
    assert.deepEqual(await checkCarriedAssets(read.assets!, [image('i1', one.id)]), { good: [one], bad: [] }, 'a file no shape shows is not added');
    const target = fakeLibrary([]);
    await addCarriedAssets(target.library, checked.good);
    assert.deepEqual(target.added, [one.id, two.id]);
  });

  test('the SVG export embeds an image given its file, and draws a placeholder without', () => {
    const shapes = [image('i1', one.id)];
    const embedded = exportSvg(shapes, { files: svgFiles([one]) });
    assert.match(embedded, new RegExp(`<g data-id="i1" data-type="image" transform="translate\\(10 20\\)"[^>]*><image href="${dataUrl(one).replace(/[+/]/g, '\\$&')}" width="40" height="30"`));
    const bare = exportSvg(shapes);
    assert.doesNotMatch(bare, /<image /);
    assert.match(bare, /data-type="image"[^>]*><rect /, 'a placeholder box');
  });

  test('the timeout is a named error', () => {
    const error = new ExportFileTimeoutError('abc');
    assert.equal(error.code, 'export-file-timeout');
  });
});

describe('clipboard with files', () => {
  const one = file(png(1));
  const two = file(png(2));

  test('round trip: shapes and files come back; without files it is the old format', () => {
    const shapes = [rect('r'), image('i1', one.id), image('i2', two.id)];
    const { text, skipped } = serializeClipboard(shapes, [one, two]);
    assert.deepEqual(skipped, []);
    const content = parseClipboard(text);
    assert.ok(content);
    assert.deepEqual(content.shapes, shapes);
    assert.deepEqual(content.assets, [one, two]);
    assert.equal(content.refused, 0);
    assert.equal(serializeClipboard([rect('r')]).text, serializeShapes([rect('r')]));
    assert.ok(!('assets' in JSON.parse(serializeShapes([rect('r')]))));
    assert.deepEqual(parseShapes(text), shapes);
    assert.equal(parseClipboard('plain words'), null);
  });

  test('files past the size bound stay behind and are named', () => {
    const big = file(Uint8Array.from({ length: 3000 }, (_, i) => (i < 8 ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][i]! : i % 251)));
    const { text, skipped } = serializeClipboard([rect('r')], [one, big, two], 2000);
    assert.deepEqual(skipped, [big.id]);
    assert.ok(text.length <= 2000);
    assert.deepEqual(parseClipboard(text)!.assets, [one, two]);
    assert.ok(MAX_CLIPBOARD_CHARS >= 25 * 1024 * 1024);
  });

  test('a carried file that is not an image, or has a malformed id, is refused when read', () => {
    const text = JSON.stringify({
      type: 'easel/clipboard',
      version: 1,
      shapes: [],
      assets: [
        { id: sha(png(1)), type: 'image/png', data: Buffer.from(png(1)).toString('base64') },
        { id: sha(new TextEncoder().encode('<svg/>')), type: 'image/png', data: Buffer.from('<svg/>').toString('base64') },
        { id: 'not-a-hash', type: 'image/png', data: Buffer.from(png(2)).toString('base64') },
        { id: sha(png(3)), type: 'image/png', data: '%%% not base64' },
        'nonsense',
      ],
    });
    const content = parseClipboard(text)!;
    assert.deepEqual(content.assets, [one]);
    assert.equal(content.refused, 4);
  });

  test('a carried file whose bytes are not its id is caught before it is added', async () => {
    const forged = { ...one, id: two.id };
    const { good, bad } = await checkCarriedAssets([forged, two], [image('i1', one.id), image('i2', two.id)]);
    assert.deepEqual(good, [two]);
    assert.deepEqual(bad, [two.id]);
    const error = new CarriedAssetMismatchError(bad);
    assert.equal(error.code, 'carried-asset-mismatch');
    assert.match(error.message, /an image file does not match its id/);
  });

  test('a library that hashes a file to another id fails the add', async () => {
    const library: Pick<AssetLibrary, 'add'> = { add: async () => ({ id: two.id, type: 'image/png' }) };
    await assert.rejects(addCarriedAssets(library, [one]), CarriedAssetMismatchError);
  });
});

describe('selection files: a copy has the selected images\' bytes at hand', () => {
  const one = file(png(1));
  const two = file(png(2));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

  test('loads the files of what is selected, drops those no longer selected', async () => {
    const { library } = fakeLibrary([one, two]);
    let selected: Shape[] = [image('i1', one.id), rect('r')];
    let changed = (): void => {};
    const files = createSelectionFiles({ library, selected: () => selected, onChange: (listener) => ((changed = listener), () => {}) });
    assert.deepEqual(files.now(selected), { files: [], missing: [one.id] }, 'nothing yet at the very start');
    await settle();
    assert.deepEqual(files.now(selected), { files: [one], missing: [] });
    selected = [image('i2', two.id)];
    changed();
    await settle();
    assert.deepEqual(files.now([image('i1', one.id), image('i2', two.id)]), { files: [two], missing: [one.id] });
    files.close();
  });

  test('a file the library did not have when selected is tried again at the next copy', async () => {
    const { library, added } = fakeLibrary([]);
    const selected = [image('i1', one.id)];
    const files = createSelectionFiles({ library, selected: () => selected, onChange: () => () => {} });
    await settle();
    assert.deepEqual(files.now(selected).missing, [one.id]);
    await library.add(one.bytes);
    assert.deepEqual(added, [one.id]);
    await settle();
    assert.deepEqual(files.now(selected).missing, [one.id], 'still missing at this copy; loading again');
    await settle();
    assert.deepEqual(files.now(selected), { files: [one], missing: [] });
    files.close();
  });
});
