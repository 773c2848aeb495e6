/**
 * Export and import in the browser: SVG and PNG pictures of what was drawn, a JSON board file
 * that round-trips exactly into another board (by button and by drag and drop), and a broken
 * file refused with a clear message and nothing changed.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { readAllShapes } from '../../shared/doc.ts';
import { waitFor } from '../helpers/client.ts';
import { boardSuite, drag, openBoard, TIMEOUT } from '../helpers/board-page.ts';
import { pixelAt, readPng } from '../helpers/png-pixels.ts';

async function download(page: Page, action: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click(`[data-action="${action}"]`)]);
  const path = await file.path();
  return readFile(path);
}

describe('export and import in the browser', { timeout: 120_000 }, () => {
  const suite = boardSuite();
  let context: BrowserContext;

  before(async () => {
    context = await suite.newContext({ acceptDownloads: true });
  });

  async function open(room: string, errors: string[]) {
    const observer = await suite.connect(room);
    const page = await openBoard(context, `${suite.server.httpUrl}/b/${room}`, errors, { watch: 'errors' });
    return { observer, page };
  }

  test('SVG and PNG show the drawing; JSON round-trips exactly; a broken file is refused, nothing changed', async () => {
    const errors: string[] = [];
    const { observer, page } = await open(`e2e-export-${Date.now()}`, errors);
    await page.keyboard.press('r');
    await drag(page, [[300, 200], [500, 350]], { steps: 6 });
    await page.keyboard.press('o');
    await drag(page, [[600, 200], [700, 300]], { steps: 6 });
    await waitFor(() => readAllShapes(observer.doc).length === 2, { doc: observer.doc }, 'two shapes', TIMEOUT);
    const shapes = readAllShapes(observer.doc);

    const svg = (await download(page, 'export-svg')).toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /data-type="rect" transform="translate\(300 200\)"[^>]*><rect width="200" height="150"/);
    assert.match(svg, /data-type="ellipse"[^>]*><ellipse cx="50" cy="50" rx="50" ry="50"/);

    // The PNG is the 200×150 box (plus the ellipse) on white, 16 units of margin, at 2 px per unit.
    const png = await download(page, 'export-png');
    assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    // Board (300, 275) is the rectangle's left edge; (400, 275) is inside it, empty.
    const read = await readPng(page, png, [pixelAt((300 - 299 + 16) * 2, (275 - 199 + 16) * 2), pixelAt((400 - 299 + 16) * 2, (275 - 199 + 16) * 2)]);
    const pixels = { width: read.width, height: read.height, edge: read.areas[0]![0]!, inside: read.areas[1]![0]! };
    assert.deepEqual([pixels.width, pixels.height], [(402 + 32) * 2, (152 + 32) * 2]);
    assert.ok(pixels.edge[0]! < 100 && pixels.edge[3] === 255, `the edge is drawn dark: ${pixels.edge}`);
    assert.deepEqual(pixels.inside, [255, 255, 255, 255], 'inside is the white background');

    const json = (await download(page, 'export-json')).toString('utf8');
    const other = await open(`e2e-import-${Date.now()}`, errors);
    await other.page.setInputFiles('[data-action="import-file"]', { name: 'board.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await waitFor(() => readAllShapes(other.observer.doc).length === 2, { doc: other.observer.doc }, 'imported', TIMEOUT);
    assert.deepEqual(readAllShapes(other.observer.doc), shapes, 'the import is exactly the exported board');
    await other.page.locator('.notice[data-kind="info"]').waitFor({ timeout: TIMEOUT });
    await other.page.keyboard.press('Control+z');
    await waitFor(() => readAllShapes(other.observer.doc).length === 0, { doc: other.observer.doc }, 'one undo takes the import back', TIMEOUT);

    let updates = 0;
    other.observer.doc.on('update', () => updates++);
    await other.page.setInputFiles('[data-action="import-file"]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(json.slice(0, json.length / 2)) });
    const notice = other.page.locator('.notice[data-kind="error"]');
    await notice.waitFor({ timeout: TIMEOUT });
    assert.match((await notice.textContent()) ?? '', /Could not import broken\.json: it is not valid JSON .*Nothing was changed\./);
    assert.equal(updates, 0, 'nothing reached the document');

    // Drag and drop the good file onto the board.
    await other.page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      const board = document.querySelector('#board')!;
      board.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      board.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, json);
    await waitFor(() => readAllShapes(other.observer.doc).length === 2, { doc: other.observer.doc }, 'dropped file imported', TIMEOUT);
    assert.deepEqual(readAllShapes(other.observer.doc), shapes);
    assert.deepEqual(errors, []);
  });
});
