/**
 * Images leave and enter boards with their files: a PNG export shows the image's pixels and an
 * SVG export embeds it as a data: URL; a JSON board file carries the file, so importing it into a
 * board on another, empty server restores the picture there (the page shows it, that server
 * serves it); a copy in one board pasted into another brings the file to the other board's room.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { assetApiPath } from '../../shared/assets.ts';
import { indexAbove, readAllShapes, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape } from '../../shared/schema.ts';
import { imageDef } from '../../shared/shapes/image.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { boardSuite, openBoard, TIMEOUT, waitForColor, type Probe } from '../helpers/board-page.ts';
import { pixelAt, readPng } from '../helpers/png-pixels.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** A PNG of one colour, made here so the test needs no fixture file. */
function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

const RED = solidPng(40, 30, [255, 0, 0]);
const RED_ID = createHash('sha256').update(RED).digest('hex');
/** The image shape's box on the board, and a point inside it (page pixels equal board units at the start). */
const BOX = { x: 300, y: 200, width: 200, height: 150 };
const INSIDE: Probe = [400, 275];

async function download(page: Page, action: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click(`[data-action="${action}"]`)]);
  return readFile(await file.path());
}

/** The server's copy of an asset in a room, or null while it has none. */
async function served(server: TestServer, room: string, id: string): Promise<Buffer | null> {
  const response = await fetch(`${server.httpUrl}${assetApiPath(room, id)}`);
  if (response.status === 404) return null;
  assert.equal(response.status, 200, `GET ${room}/assets/${id}`);
  return Buffer.from(await response.arrayBuffer());
}

async function waitServed(server: TestServer, room: string, id: string, message: string): Promise<void> {
  let bytes: Buffer | null = null;
  await poll(async () => (bytes = await served(server, room, id)) !== null, message, TIMEOUT);
  assert.ok(bytes !== null && RED.equals(bytes), `${message}: the same bytes`);
}

const images = (client: TestClient): Shape[] => readAllShapes(client.doc).filter((shape) => shape.type === imageDef.type);

describe('images in exports, board files and the clipboard', { timeout: 180_000 }, () => {
  const suite = boardSuite();
  let second: TestServer | undefined;
  let context: BrowserContext;
  const errors: string[] = [];
  // The board with the image, made by the first test and used by the rest.
  let source: { room: string; page: Page; observer: TestClient };

  before(async () => {
    second = await startTestServer();
    context = await suite.newContext({ acceptDownloads: true });
    const room = `e2e-image-io-${Date.now()}`;
    const observer = await suite.connect(room);
    const upload = await fetch(`${suite.server.httpUrl}${assetApiPath(room, RED_ID)}`, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(RED) });
    assert.equal(upload.status, 200, `the upload is stored: ${await upload.text()}`);
    const page = await openBoard(context, `${suite.server.httpUrl}/b/${room}`, errors);
    const shape: Shape = { ...DEFAULT_STYLE, id: 'picture', type: imageDef.type, ...BOX, rotation: 0, locked: false, index: indexAbove([]), assetId: RED_ID, naturalWidth: 40, naturalHeight: 30 };
    observer.doc.transact(() => writeShape(observer.doc, shape), LOCAL_ORIGIN);
    await waitForColor(page, 'shapes', INSIDE, '#ff0000', 'the board shows the image');
    source = { room, page, observer };
  });

  after(async () => {
    await second?.close();
  });

  test('the PNG export shows the image\'s pixels; the SVG export embeds the file as a data: URL', async () => {
    const png = await download(source.page, 'export-png');
    // 16 units of margin around the image's box, 2 pixels per unit.
    const pixel = (await readPng(source.page, png, [pixelAt((INSIDE[0] - BOX.x + 16) * 2, (INSIDE[1] - BOX.y + 16) * 2)])).areas[0]![0]!;
    assert.deepEqual(pixel, [255, 0, 0, 255], 'the middle of the image is its red');

    const svg = (await download(source.page, 'export-svg')).toString('utf8');
    const href = /<image [^>]*href="data:image\/png;base64,([^"]+)"/.exec(svg);
    assert.ok(href, `the SVG has an <image> with a data: URL: ${svg.slice(0, 600)}`);
    assert.ok(RED.equals(Buffer.from(href[1]!, 'base64')), 'the data: URL holds the file');
    assert.deepEqual(errors, []);
  });

  test('a JSON board file imported into a board on an empty second server restores the image there', async () => {
    assert.ok(second);
    const json = (await download(source.page, 'export-json')).toString('utf8');
    const file = JSON.parse(json) as { assets?: { id: string; type: string; data: string }[] };
    assert.deepEqual(file.assets?.map(({ id, type }) => ({ id, type })), [{ id: RED_ID, type: 'image/png' }], 'the file carries the image');
    const room = 'e2e-image-io-imported';
    assert.equal(await served(second, room, RED_ID), null, 'the second server has no such file yet');

    const observer = connectClient(second.syncUrl, room);
    await observer.synced;
    const page = await openBoard(context, `${second.httpUrl}/b/${room}`, errors);

    // A file whose picture is not what its id says is refused whole: no shape, no upload.
    const forged = JSON.stringify({ ...file, assets: file.assets!.map((asset) => ({ ...asset, data: solidPng(40, 30, [0, 0, 255]).toString('base64') })) });
    await page.setInputFiles('[data-action="import-file"]', { name: 'forged.json', mimeType: 'application/json', buffer: Buffer.from(forged) });
    const refusal = page.locator('.notice[data-kind="error"]');
    await refusal.waitFor({ timeout: TIMEOUT });
    assert.match((await refusal.textContent()) ?? '', /Could not import forged\.json: an image file does not match its id .*Nothing was changed\./);
    assert.equal(readAllShapes(observer.doc).length, 0, 'nothing was imported');

    await page.setInputFiles('[data-action="import-file"]', { name: 'board.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await page.locator('.notice[data-kind="info"]').waitFor({ timeout: TIMEOUT });
    assert.match((await page.locator('.notice[data-kind="info"]').textContent()) ?? '', /Imported 1 shape and 1 image file from board\.json/);
    await waitForColor(page, 'shapes', INSIDE, '#ff0000', 'the imported board shows the image');
    await waitFor(() => images(observer).length === 1, { doc: observer.doc }, 'the image shape reached the second server', TIMEOUT);
    await waitServed(second, room, RED_ID, 'the second server serves the imported file');
    assert.equal(await served(second, room, createHash('sha256').update(solidPng(40, 30, [0, 0, 255])).digest('hex')), null, 'the forged picture was never uploaded');
    observer.destroy();
    await page.close();
    assert.deepEqual(errors, []);
  });

  test('an image copied in one board and pasted in another brings its file to the other room', async () => {
    const room = `e2e-image-io-pasted-${Date.now()}`;
    const observer = await suite.connect(room);
    const target = await openBoard(context, `${suite.server.httpUrl}/b/${room}`, errors);
    assert.equal(await served(suite.server, room, RED_ID), null, 'the other room has no such file yet');

    await source.page.bringToFront();
    await source.page.mouse.click(INSIDE[0], INSIDE[1]);
    // The selected images' files are loaded as they are selected; a copy takes what is loaded.
    let copied = '';
    await poll(
      async () => {
        copied = await source.page.evaluate(() => {
          const data = new DataTransfer();
          document.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
          return data.getData('text/plain');
        });
        return copied.includes(RED_ID) && copied.includes('"assets"');
      },
      'the copy carries the file',
      TIMEOUT,
    );

    await target.bringToFront();
    await target.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, copied);
    await waitFor(() => images(observer).length === 1, { doc: observer.doc }, 'the image is pasted', TIMEOUT);
    // Pasted 16 units right of and below where it was copied from.
    await waitForColor(target, 'shapes', [INSIDE[0] + 16, INSIDE[1] + 16], '#ff0000', 'the other board shows the pasted image');
    await waitServed(suite.server, room, RED_ID, 'the file is uploaded to the other room');

    // Pasted back into the board it came from: the same file, one more shape.
    await source.page.bringToFront();
    await source.page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, copied);
    await waitFor(() => images(source.observer).length === 2, { doc: source.observer.doc }, 'pasted in its own board too', TIMEOUT);
    assert.deepEqual(errors, []);
  });
});
