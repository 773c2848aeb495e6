/**
 * End to end: board titles and the home page, with a real server and Chromium. A title renamed in
 * one tab shows at once in another (its top bar and its tab title), and travels in the JSON file;
 * `/` lists the boards this browser opened, with titles and thumbnails, filters them as you type,
 * makes new boards, forgets one, and still works with the browser offline.
 *
 * One server and browser for the file; the tests run in order and build on each other: context A
 * is "this browser", which opens boards X and Y and then the home page.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { boardListKey } from '../../client/home/board-list.ts';
import { readBoardTitle } from '../../shared/doc.ts';
import { waitFor, type TestClient } from '../helpers/client.ts';
import { boardSuite, drag, openBoard, TIMEOUT, waitForOfflineShell } from '../helpers/board-page.ts';

/** A token the client reads as view-only. Unsigned: this server has no auth, only the page's UI is under test. */
const VIEW_TOKEN = `x.${Buffer.from(JSON.stringify({ role: 'view' })).toString('base64url')}.x`;

/** How many of the image's pixels are clearly not white (the drawing), read in the page. */
function inkInThumbnail(page: Page, room: string): Promise<number> {
  return page.evaluate(async (room) => {
    const image = document.querySelector<HTMLImageElement>(`.board-card[data-room="${room}"] img`);
    if (image === null) return -1;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 3]! > 128) ink += 1;
    return ink;
  }, room);
}

const cardRooms = (page: Page): Promise<string[]> => page.locator('.board-card').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.room ?? ''));

describe('board titles and the home page', { timeout: 180_000 }, () => {
  const suite = boardSuite();
  const stamp = Date.now();
  const roomX = `e2e-home-x-${stamp}`;
  const roomY = `e2e-home-y-${stamp}`;
  const errors: string[] = [];
  let contextA: BrowserContext;
  let pageA: Page;
  let pageY: Page;
  let observer: TestClient;
  const home = (): string => `${suite.server.httpUrl}/`;

  before(async () => {
    contextA = await suite.newContext({ acceptDownloads: true });
  });

  test('a rename shows at once in another tab and its tab title; Esc cancels; a view-only page cannot rename', async () => {
    observer = await suite.connect(roomX);
    pageA = await openBoard(contextA, `${suite.server.httpUrl}/b/${roomX}`, errors);
    await pageA.keyboard.press('r');
    await drag(pageA, [[400, 300], [700, 500]]);
    // Another person's view-only tab on the same board.
    const pageB = await openBoard(await suite.newContext(), `${suite.server.httpUrl}/b/${roomX}#token=${VIEW_TOKEN}`, errors);
    for (const page of [pageA, pageB]) {
      assert.equal(await page.textContent('.board-title-label'), 'Untitled board');
      assert.equal(await page.title(), `${roomX} · Easel`, 'untitled: the tab shows the room');
    }

    await pageA.click('.board-title-label');
    await pageA.keyboard.type('Q3 Roadmap');
    // The field takes the keys: R typed into it picked no rectangle tool and drew nothing.
    await pageA.keyboard.press('Enter');
    // B waits; A does nothing more.
    await pageB.locator('.board-title-label', { hasText: 'Q3 Roadmap' }).waitFor({ timeout: TIMEOUT });
    await pageB.waitForFunction(() => document.title === 'Q3 Roadmap · Easel', null, { timeout: TIMEOUT });
    assert.equal(await pageA.title(), 'Q3 Roadmap · Easel');
    await waitFor(() => readBoardTitle(observer.doc) === 'Q3 Roadmap', { doc: observer.doc }, 'the server has the title', TIMEOUT);

    await pageA.click('.board-title-label');
    await pageA.keyboard.type('Scrapped');
    await pageA.keyboard.press('Escape');
    assert.equal(await pageA.textContent('.board-title-label'), 'Q3 Roadmap', 'Esc leaves the title as it was');
    assert.equal(await pageA.locator('.board-title-input').isHidden(), true);

    assert.equal(await pageB.locator('.board-title-label').isDisabled(), true, 'view only: the title is no button');
    await pageB.click('.board-title-label', { force: true });
    assert.equal(await pageB.locator('.board-title-input').isHidden(), true, 'view only: no rename field');
    assert.equal(readBoardTitle(observer.doc), 'Q3 Roadmap');
    if (process.env.EASEL_E2E_SCREENSHOTS) await pageA.screenshot({ path: path.join(process.env.EASEL_E2E_SCREENSHOTS, 'board-title.png') });
    // B's browser lists the board with the link's token, so its home page opens it the same way.
    const listed = await pageB.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { token?: unknown } | null, boardListKey(roomX));
    assert.equal(listed?.token, VIEW_TOKEN);
    await pageB.close();
    assert.deepEqual(errors, []);
  });

  test('the JSON file carries the title, and importing it names an untitled board', async () => {
    const [file] = await Promise.all([pageA.waitForEvent('download', { timeout: TIMEOUT }), pageA.click('[data-action="export-json"]')]);
    const json = await readFile(await file.path(), 'utf8');
    assert.equal((JSON.parse(json) as { title?: unknown }).title, 'Q3 Roadmap');
    // Another browser, so this board stays out of A's list.
    const other = await openBoard(await suite.newContext(), `${suite.server.httpUrl}/b/e2e-home-import-${stamp}`, errors);
    await other.setInputFiles('[data-action="import-file"]', { name: 'board.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await other.locator('.board-title-label', { hasText: 'Q3 Roadmap' }).waitFor({ timeout: TIMEOUT });
    assert.equal(await other.title(), 'Q3 Roadmap · Easel');
    await other.close();
    assert.deepEqual(errors, []);
  });

  test('/ lists the boards this browser opened, newest first, with titles and thumbnails; search filters as you type', async () => {
    pageY = await openBoard(contextA, `${suite.server.httpUrl}/b/${roomY}`, errors);
    await pageY.keyboard.press('o');
    await drag(pageY, [[300, 200], [600, 500]]);
    // Leaving X for the home page hides it, which draws its thumbnail; Y stays open and draws its
    // own once its changes settle, and the home page follows.
    await pageA.goto(home());
    await pageA.locator(`.board-card[data-room="${roomY}"] img`).waitFor({ timeout: TIMEOUT });
    assert.deepEqual(await cardRooms(pageA), [roomY, roomX], 'newest first');
    assert.equal(await pageA.textContent(`.board-card[data-room="${roomX}"] .board-card-title`), 'Q3 Roadmap');
    assert.equal(await pageA.textContent(`.board-card[data-room="${roomY}"] .board-card-title`), roomY, 'untitled: the room');
    assert.match((await pageA.textContent(`.board-card[data-room="${roomX}"] .board-card-opened`)) ?? '', /^Opened (just now|1 minute ago)$/);
    assert.ok((await inkInThumbnail(pageA, roomX)) > 20, 'X has a picture of its rectangle');
    assert.ok((await inkInThumbnail(pageA, roomY)) > 20, 'Y has a picture of its ellipse');
    if (process.env.EASEL_E2E_SCREENSHOTS) await pageA.screenshot({ path: path.join(process.env.EASEL_E2E_SCREENSHOTS, 'home.png') });

    const search = pageA.locator('.home-search');
    await search.pressSequentially('road');
    assert.deepEqual(await cardRooms(pageA), [roomX], 'by title');
    await search.fill('');
    await search.pressSequentially('home-y');
    assert.deepEqual(await cardRooms(pageA), [roomY], 'by room');
    await search.pressSequentially('zzz');
    assert.deepEqual(await cardRooms(pageA), []);
    assert.match((await pageA.textContent('.home-empty')) ?? '', /No board matches/);
    await search.fill('');
    assert.deepEqual(await cardRooms(pageA), [roomY, roomX]);
    assert.deepEqual(errors, []);
  });

  test('New board opens a fresh board, which joins the list', async () => {
    await pageA.click('[data-action="new-board"]');
    await pageA.waitForURL(/\/b\/[A-Za-z0-9_-]{12}$/, { timeout: TIMEOUT });
    await pageA.locator('.status[data-status="connected"]').waitFor({ timeout: TIMEOUT });
    const fresh = decodeURIComponent(new URL(pageA.url()).pathname.slice('/b/'.length));
    assert.equal(await pageA.textContent('.board-title-label'), 'Untitled board');
    const observerFresh = await suite.connect(fresh);
    assert.equal(observerFresh.doc.getMap('shapes').size, 0, 'a board nobody used before');
    await pageA.goto(home());
    await pageA.locator('.board-card').first().waitFor({ timeout: TIMEOUT });
    assert.deepEqual(await cardRooms(pageA), [fresh, roomY, roomX]);
    assert.deepEqual(errors, []);
  });

  test('offline, / still lists the boards and opens a kept one', async () => {
    await waitForOfflineShell(pageA);
    await contextA.setOffline(true);
    try {
      assert.equal(await pageA.evaluate(() => fetch('/healthz').then(() => 'reached', () => 'offline')), 'offline', 'the network is really gone');
      await pageA.reload();
      await pageA.locator(`.board-card[data-room="${roomX}"] img`).waitFor({ timeout: TIMEOUT });
      assert.equal((await cardRooms(pageA)).length, 3);
      await pageA.click(`.board-card[data-room="${roomX}"] a`);
      await pageA.waitForURL(`**/b/${roomX}`, { timeout: TIMEOUT });
      await pageA.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
      await pageA.locator('.board-title-label', { hasText: 'Q3 Roadmap' }).waitFor({ timeout: TIMEOUT });
      assert.equal(await pageA.title(), 'Q3 Roadmap · Easel');
    } finally {
      await contextA.setOffline(false);
    }
    await pageA.locator('.status[data-status="connected"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
  });

  test('removing a board forgets it in this browser only', async () => {
    await pageA.goto(home());
    await pageA.locator(`.board-card[data-room="${roomY}"]`).hover();
    await pageA.click(`.board-card[data-room="${roomY}"] [data-action="forget-board"]`);
    assert.ok(!(await cardRooms(pageA)).includes(roomY));
    await pageA.reload();
    await pageA.locator('.board-card').first().waitFor({ timeout: TIMEOUT });
    assert.ok(!(await cardRooms(pageA)).includes(roomY), 'still gone after a reload');
    // The board itself is untouched: its page still has the ellipse.
    const observerY = await suite.connect(roomY);
    assert.equal(observerY.doc.getMap('shapes').size, 1);
    await pageY.close();
    assert.deepEqual(errors, []);
  });

  test('the home page follows a dark system, as the boards do', async () => {
    const context = await suite.newContext({ colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      await page.goto(home());
      await page.locator('.home-new').waitFor({ timeout: TIMEOUT });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(18, 18, 18)');
    } finally {
      await context.close();
    }
  });
});
