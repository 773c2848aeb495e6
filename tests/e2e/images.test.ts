/**
 * End to end: images. Real pages in headless Chromium on a real server (port 0), one server and
 * one browser for the file. What one page adds (dropped, pasted, while offline) must show as
 * pixels on the others' canvases, come back from the browser's copy after an offline reload, and
 * reach the server as PNG, JPEG, GIF or WebP only (an SVG as PNG); a file refused by the page or
 * by the server leaves the board as it was, with a message saying why.
 *
 * Image files are built here (solid-colour PNGs, node:zlib), so pixel colours are exact.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { ASSET_ERROR, sniffAssetType } from '../../shared/assets.ts';
import { readAllShapes } from '../../shared/doc.ts';
import type { Shape } from '../../shared/schema.ts';
import { poll, waitFor } from '../helpers/client.ts';
import { boardSuite, openBoard, TIMEOUT, waitForColor, waitForOfflineShell, type Probe } from '../helpers/board-page.ts';

const ASSET_PATH = /\/api\/rooms\/([^/]+)\/assets\/([0-9a-f]{64})$/;

/** A PNG of `width` × `height` pixels, all of one colour. */
function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface FileSpec {
  bytes: number[];
  name: string;
  type: string;
}
const fileSpec = (bytes: Uint8Array, name: string, type: string): FileSpec => ({ bytes: [...bytes], name, type });

/** Drops files on the board at page point (x, y), as a drag from the desktop does. */
async function dropFiles(page: Page, files: FileSpec[], [x, y]: Probe): Promise<void> {
  await page.evaluate(
    ({ files, x, y }) => {
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      const target = document.elementFromPoint(x, y);
      if (target === null) throw new Error('nothing at the drop point');
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, dataTransfer: transfer }));
    },
    { files, x, y },
  );
}

/** Pastes files on the board, as Ctrl+V with files on the clipboard does. */
async function pasteFiles(page: Page, files: FileSpec[]): Promise<void> {
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
    document.body.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer }));
  }, files);
}

/** The middle of the board on the page: where pasted and picked images land. */
async function boardMiddle(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const rect = document.querySelector('#board')!.getBoundingClientRect();
    return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] as Probe;
  });
}

describe('images', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'offline' });
  const room = `e2e-images-${Date.now()}`;
  const RED: [number, number, number] = [255, 0, 0];
  const BLUE: [number, number, number] = [0, 0, 255];
  const GREEN: [number, number, number] = [0, 160, 0];

  /** The stored file of an asset of `room`, as the server gives it, or null. */
  const serverAsset = async (id: string): Promise<Buffer | null> => {
    const response = await fetch(`${suite.server.httpUrl}/api/rooms/${encodeURIComponent(room)}/assets/${id}`);
    return response.ok ? Buffer.from(await response.arrayBuffer()) : null;
  };

  let a: Page;
  let b: Page;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  const errors: string[] = [];
  let shapes: () => Shape[];
  let until: (check: (shapes: Shape[]) => boolean, message: string) => Promise<void>;
  /** A's sync socket goes through this switch: cut, A is offline while the others stay connected. */
  let cut = false;
  const live = new Set<WebSocketRoute>();

  const open = async (): Promise<void> => {
    const observer = await suite.connect(room);
    shapes = () => readAllShapes(observer.doc);
    until = (check, message) => waitFor(() => check(shapes()), { doc: observer.doc }, message, TIMEOUT);
    contextA = await suite.newContext();
    contextB = await suite.newContext();
    await contextA.routeWebSocket(/\/sync\//, (ws) => {
      if (cut) {
        void ws.close({ code: 4008, reason: 'test: network down' });
        return;
      }
      ws.connectToServer();
      live.add(ws);
    });
    const url = `${suite.server.httpUrl}/b/${room}`;
    [a, b] = await Promise.all([openBoard(contextA, url, errors), openBoard(contextB, url, errors)]);
  };

  const images = (): Extract<Shape, { type: 'image' }>[] => shapes().filter((shape): shape is Extract<Shape, { type: 'image' }> => shape.type === 'image');

  test('an image dropped on one page shows on the other, and on a page opened later', async () => {
    await open();
    const png = solidPng(200, 100, RED);
    await dropFiles(a, [fileSpec(png, 'red.png', 'image/png')], [400, 300]);
    await until(() => images().length === 1, 'the image shape reaches the document');
    const [shape] = images();
    assert.equal(shape!.assetId, sha256(png), 'the shape names the file by its SHA-256');
    assert.deepEqual([shape!.width, shape!.height, shape!.naturalWidth, shape!.naturalHeight], [200, 100, 200, 100]);
    await waitForColor(a, 'shapes', [400, 300], '#ff0000', 'A shows its own image at once');
    await waitForColor(b, 'shapes', [400, 300], '#ff0000', 'B shows the picture');
    await poll(async () => (await serverAsset(shape!.assetId)) !== null, 'the file reached the server');

    const contextC = await suite.newContext();
    const later = await openBoard(contextC, `${suite.server.httpUrl}/b/${room}`, errors);
    await waitForColor(later, 'shapes', [400, 300], '#ff0000', 'a page opened later shows it');
    await later.close();
    assert.deepEqual(errors, []);
  });

  test('the image tool opens a file picker, puts the file in the middle of the view and hands back to the select tool', async () => {
    const before = images().length;
    const png = solidPng(50, 50, GREEN);
    // The picker itself is the browser's: the test sees the tool open it (a click on the file input,
    // kept from opening a dialog) and then gives the input its file as a person choosing it would.
    const input = a.locator('input[data-action="image-file"]');
    await input.evaluate((element) => element.addEventListener('click', (event) => {
      event.preventDefault();
      element.dataset.opened = String(Number(element.dataset.opened ?? 0) + 1);
    }));
    await a.keyboard.press('9');
    assert.equal(await input.getAttribute('data-opened'), '1', 'the 9 key opened the file picker');
    assert.equal(await input.getAttribute('multiple'), '', 'several files can be picked at once');
    await input.setInputFiles({ name: 'green.png', mimeType: 'image/png', buffer: png });
    await until(() => images().length === before + 1, 'the picked image reaches the document');
    await waitForColor(a, 'shapes', await boardMiddle(a), '#00a000', 'A shows it in the middle of the view');
    assert.equal(await a.getAttribute('[data-tool="select"]', 'aria-pressed'), 'true', 'back to the select tool');
    // Out of the way of the next tests, which look at the middle of the view.
    await a.keyboard.press('Delete');
    await until(() => images().length === before, 'the picked image is deleted again');
    assert.deepEqual(errors, []);
  });

  test('an image added offline shows at once, survives an offline reload, and reaches the others once back online', async () => {
    await waitForOfflineShell(a);
    cut = true;
    for (const ws of live) await ws.close({ code: 4008, reason: 'test: network down' });
    live.clear();
    await contextA.setOffline(true);
    try {
      await a.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
      const png = solidPng(120, 80, BLUE);
      const middle = await boardMiddle(a);
      await pasteFiles(a, [fileSpec(png, 'blue.png', 'image/png')]);
      await waitForColor(a, 'shapes', middle, '#0000ff', 'A shows the image it pasted offline');

      await a.reload();
      await a.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
      await waitForColor(a, 'shapes', middle, '#0000ff', 'after an offline reload the image comes from the browser’s copy');
      await waitForColor(a, 'shapes', [400, 300], '#ff0000', 'and so does the one seen before');
      assert.equal(await serverAsset(sha256(png)), null, 'nothing reached the server while offline');
    } finally {
      await contextA.setOffline(false);
      cut = false;
    }
    await a.locator('.status[data-status="connected"]').waitFor({ timeout: 30_000 });
    await until(() => images().length === 2, 'the offline image reaches the document');
    const middle = await boardMiddle(b);
    await waitForColor(b, 'shapes', middle, '#0000ff', 'B shows the picture once A is back online');
    assert.deepEqual(errors, []);
  });

  test('a pasted SVG becomes a PNG; a pasted file that is no image is refused with a message and adds nothing', async () => {
    const before = images().length;
    await pasteFiles(a, [fileSpec(new TextEncoder().encode('just some notes'), 'notes.txt', 'text/plain')]);
    await a.locator('.notice[data-kind="error"]', { hasText: 'notes.txt is not an image' }).waitFor({ timeout: TIMEOUT });
    assert.equal(images().length, before, 'no shape for a file that is no image');

    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><rect width="60" height="40" fill="#00a000"/></svg>';
    await pasteFiles(a, [fileSpec(new TextEncoder().encode(svg), 'square.svg', 'image/svg+xml')]);
    await until(() => images().length === before + 1, 'the SVG became an image shape');
    const shape = images().find((image) => image.naturalWidth === 60 && image.naturalHeight === 40);
    assert.ok(shape, 'an image of the SVG’s size');
    let stored: Buffer | null = null;
    await poll(async () => (stored = await serverAsset(shape.assetId)) !== null, 'the drawn SVG reached the server');
    assert.equal(sniffAssetType(stored!), 'image/png', 'stored as PNG, never as SVG');
    assert.deepEqual(errors, []);
  });

  test('a file the server refuses is taken off the board, with a message saying why', async () => {
    // The server's answer when the room is full, for this page's uploads only.
    await contextA.route(ASSET_PATH, (route) =>
      route.request().method() === 'PUT' ? route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: ASSET_ERROR.roomQuotaExceeded, message: 'room full' }) }) : route.fallback(),
    );
    const png = solidPng(90, 90, GREEN);
    const id = sha256(png);
    await dropFiles(a, [fileSpec(png, 'green.png', 'image/png')], [900, 600]);
    await a.locator('.notice[data-kind="error"]', { hasText: 'no room left' }).waitFor({ timeout: TIMEOUT });
    await until((all) => !all.some((shape) => shape.type === 'image' && shape.assetId === id), 'the refused image is not on the board');
    assert.equal(await serverAsset(id), null);
    await contextA.unroute(ASSET_PATH);
    // The page logged the refusal as an error, as it should; nothing else.
    assert.deepEqual(errors.filter((error) => !error.includes('refused asset')), []);
  });

  test('images a page fetched once open on it offline, from the browser’s copy', async () => {
    await waitForOfflineShell(b);
    const middle = await boardMiddle(b);
    // Only what B has fetched can open offline: the SVG A pasted last must be on B's screen first.
    await waitForColor(b, 'shapes', middle, '#00a000', 'B shows the SVG A pasted, before it goes offline');
    await contextB.setOffline(true);
    try {
      await b.reload();
      await b.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
      await waitForColor(b, 'shapes', [400, 300], '#ff0000', 'the image B fetched from the server shows offline');
      // The blue one is under the SVG pasted later (60 × 40 in its middle): looked at beside it.
      await waitForColor(b, 'shapes', [middle[0] + 45, middle[1]], '#0000ff', 'and so does the one A added offline');
      await waitForColor(b, 'shapes', middle, '#00a000', 'and the SVG, drawn as PNG');
    } finally {
      await contextB.setOffline(false);
    }
    await b.locator('.status[data-status="connected"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(errors.filter((error) => !error.includes('refused asset')), []);
  });
});
