/**
 * shared/assets.ts and the board file's assets: the type of a file is read from its bytes alone,
 * an asset id is the SHA-256 of the bytes, and a board file carries its images' files through a
 * round trip while refusing broken ones with a message saying which.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assetIdOf, isAssetId, sniffAssetType } from '../../shared/assets.ts';
import { BoardFileError, readBoardFile, serializeBoard } from '../../shared/board-file.ts';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('sniffAssetType', () => {
  test('knows PNG, JPEG, GIF and WebP by their first bytes', () => {
    assert.equal(sniffAssetType(PNG), 'image/png');
    assert.equal(sniffAssetType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg');
    assert.equal(sniffAssetType(bytesOf('GIF89a\x01\x00')), 'image/gif');
    assert.equal(sniffAssetType(bytesOf('GIF87a\x01\x00')), 'image/gif');
    assert.equal(sniffAssetType(bytesOf('RIFF\x24\x00\x00\x00WEBPVP8 ')), 'image/webp');
  });
  test('refuses everything else, whatever it claims to be', () => {
    for (const text of ['<svg xmlns="http://www.w3.org/2000/svg"/>', '<!doctype html><script>alert(1)</script>', 'GIF88a', 'RIFF\x24\x00\x00\x00WAVEfmt ', '']) {
      assert.equal(sniffAssetType(bytesOf(text)), null, text);
    }
    assert.equal(sniffAssetType(PNG.subarray(0, 7)), null, 'a truncated PNG signature');
  });
});

test('an asset id is the lowercase hex SHA-256 of the bytes', async () => {
  const id = await assetIdOf(PNG);
  assert.equal(id, createHash('sha256').update(PNG).digest('hex'));
  assert.ok(isAssetId(id));
  assert.ok(!isAssetId(id.toUpperCase()));
  assert.ok(!isAssetId(`${id}0`));
});

describe('board file assets', () => {
  test('round trip: the bytes come back with their sniffed type', async () => {
    const id = await assetIdOf(PNG);
    const file = readBoardFile(serializeBoard([], 'Pictures', [{ id, type: 'image/png', bytes: PNG }]));
    assert.deepEqual(file.assets, [{ id, type: 'image/png', bytes: PNG }]);
    assert.deepEqual(readBoardFile(serializeBoard([])).assets, [], 'a file without assets reads as none');
  });
  test('a broken asset refuses the whole file, saying which and why', () => {
    const id = 'a'.repeat(64);
    const withAssets = (assets: unknown): string => JSON.stringify({ type: 'easel/board', version: 1, shapes: [], assets });
    const refusals: Array<[unknown, RegExp]> = [
      ['nope', /assets are not a list/],
      [[{ id: 'not-a-hash', data: '' }], /asset 1 .*SHA-256/],
      [[{ id, data: '%%%' }], /asset 1 .*not base64/],
      [[{ id, data: btoa('<svg/>') }], /asset 1 .*not a PNG/],
      [[{ id, data: btoa(String.fromCharCode(...PNG)) }, { id, data: btoa(String.fromCharCode(...PNG)) }], /asset 2 .*appears twice/],
    ];
    for (const [assets, message] of refusals) assert.throws(() => readBoardFile(withAssets(assets)), (error: unknown) => error instanceof BoardFileError && message.test(error.message));
  });
});
