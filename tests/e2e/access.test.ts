/**
 * End to end: view-only links in the built client. A page opened with a view token shows the
 * board but cannot edit it (tools off, badge on, nothing written), an editor's Share dialog makes
 * such a link, and on a server without an auth secret the dialog says why there is none.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { readAllShapes } from '../../shared/doc.ts';
import { createAuth } from '../../server/auth.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { boardSuite, drag, openBoard, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';

const SECRET = 'e2e-access-secret-that-is-long-enough-for-hs256';
const RECT_FROM: Probe = [600, 300];
const RECT_TO: Probe = [800, 450];
const RECT_EDGES: Probe[] = [[600, 375], [700, 300], [800, 375], [700, 450]];
const EDITING_TOOLS = ['select', 'pen', 'rectangle', 'ellipse', 'diamond', 'line', 'arrow', 'text', 'sticky', 'eraser'];

/** Asserts the page shows a read-only board: badge, editing tools off, hand and laser on. */
async function assertReadOnly(page: Page): Promise<void> {
  await page.locator('.access-badge').waitFor({ state: 'visible', timeout: TIMEOUT });
  assert.equal(await page.locator('.access-badge').textContent(), 'View only');
  for (const tool of EDITING_TOOLS) {
    assert.equal(await page.isDisabled(`[data-tool="${tool}"]`), true, `${tool} is disabled`);
    assert.equal(await page.getAttribute(`[data-tool="${tool}"]`, 'aria-disabled'), 'true');
  }
  for (const tool of ['hand', 'laser']) assert.equal(await page.isDisabled(`[data-tool="${tool}"]`), false, `${tool} stays enabled`);
  assert.equal(await page.getAttribute('[data-tool="hand"]', 'aria-pressed'), 'true', 'the hand is the active tool');
  assert.equal(await page.isDisabled('[data-action="delete"]'), true);
  assert.equal(await page.isDisabled('[data-action="import"]'), true);
  assert.equal(await page.locator('.style-panel').isVisible(), false, 'no style panel');
  assert.equal(await page.locator('.history-controls').isVisible(), false, 'no undo or redo buttons');
}

describe('view-only links in the browser', { timeout: 60_000 }, () => {
  // Any console error or warning on a page fails the test.
  const suite = boardSuite({ watch: 'strict' });
  let guarded: TestServer | undefined;
  const clients: TestClient[] = [];
  const auth = createAuth(SECRET);
  const sign = (room: string, role: 'edit' | 'view'): Promise<string> => auth.sign({ room, role, expiresAt: Math.floor(Date.now() / 1000) + 600 });
  const server = (): TestServer => {
    assert.ok(guarded);
    return guarded;
  };

  before(async () => {
    guarded = await startTestServer({ authSecret: SECRET });
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await guarded?.close();
  });

  /** An editor page and a Node observer (with an edit token) on a fresh room of the guarded server. */
  async function openEditor(prefix: string) {
    const room = `${prefix}-${Date.now()}`;
    const editToken = await sign(room, 'edit');
    const observer = connectClient(server().syncUrl, room, { params: { token: editToken } });
    clients.push(observer);
    await observer.synced;
    const errors: string[] = [];
    const editor = await openBoard(await suite.newContext(), `${server().httpUrl}/b/${room}#token=${editToken}`, errors, { watch: 'strict' });
    const until = (count: number, message: string): Promise<void> => waitFor(() => readAllShapes(observer.doc).length === count, { doc: observer.doc }, message, TIMEOUT);
    return { room, editor, observer, errors, until };
  }

  test('a view token gets the board but no editing: tools off, badge on, a drag only pans', async () => {
    const { room, editor, observer, errors, until } = await openEditor('e2e-view');
    await editor.keyboard.press('r');
    await drag(editor, [RECT_FROM, RECT_TO]);
    await until(1, 'the editor’s rectangle is on the server');

    const viewer = await openBoard(await suite.newContext(), `${server().httpUrl}/b/${room}#token=${await sign(room, 'view')}`, errors, { watch: 'strict' });
    await waitForPixels(viewer, 'shapes', { on: RECT_EDGES, off: [] }, 'the viewer receives the editor’s drawing');
    await assertReadOnly(viewer);

    // R picks nothing; the drag is the hand's: it pans the view by (100, 50) and writes nothing.
    await viewer.keyboard.press('r');
    assert.equal(await viewer.getAttribute('[data-tool="rectangle"]', 'aria-pressed'), 'false');
    await drag(viewer, [[200, 550], [250, 575], [300, 600]]);
    const panned = RECT_EDGES.map(([x, y]): Probe => [x + 100, y + 50]);
    await waitForPixels(viewer, 'shapes', { on: panned, off: [] }, 'the drag panned the viewer’s board');
    assert.deepEqual(await viewer.evaluate(() => document.querySelector('.status')?.getAttribute('data-unsynced')), 'false', 'no local change waits for the server');
    // Edit keys do nothing either (Ctrl+A would select, Delete delete, Ctrl+D duplicate).
    await viewer.keyboard.press('Control+a');
    await viewer.keyboard.press('Delete');
    await viewer.keyboard.press('Control+d');
    await viewer.keyboard.press('Control+z');

    // A later edit from the editor reaches the observer and the viewer: by then anything the viewer
    // had sent would have too. The server holds just the editor's two shapes.
    await editor.keyboard.press('o');
    await drag(editor, [[200, 150], [300, 220]]);
    await until(2, 'the editor’s ellipse is on the server');
    await waitForPixels(viewer, 'shapes', { on: [[250 + 100, 150 + 50]], off: [] }, 'the viewer receives the ellipse');
    assert.deepEqual(readAllShapes(observer.doc).map((shape) => shape.type).sort(), ['ellipse', 'rect']);
    assert.equal(await viewer.getAttribute('.status', 'data-unsynced'), 'false');
    assert.deepEqual(errors, []);
  });

  test('the editor’s Share dialog makes a view link that opens a read-only board', async () => {
    const { room, editor, errors, until } = await openEditor('e2e-share');
    await editor.keyboard.press('r');
    await drag(editor, [RECT_FROM, RECT_TO]);
    await until(1, 'the rectangle is on the server');

    await editor.click('[data-action="share"]');
    await editor.locator('.share-dialog[data-state="view-link"]').waitFor({ timeout: TIMEOUT });
    const link = await editor.inputValue('.share-link');
    const prefix = `${server().httpUrl}/b/${room}#token=`;
    assert.ok(link.startsWith(prefix), `a board link with a token: ${link}`);
    const grant = await auth.verify(link.slice(prefix.length));
    assert.deepEqual([grant.room, grant.role], [room, 'view']);
    assert.match((await editor.textContent('.share-detail')) ?? '', /works until/);
    await editor.click('[data-action="copy-link"]');
    await editor.waitForFunction(() => (document.querySelector('.share-copy-status')?.textContent ?? '') !== '', null, { timeout: TIMEOUT });
    assert.match((await editor.textContent('.share-copy-status')) ?? '', /copied|Ctrl\+C/);
    await editor.click('[data-action="close-share"]');
    assert.equal(await editor.locator('.share-dialog').isVisible(), false);

    const viewer = await openBoard(await suite.newContext(), link, errors, { watch: 'strict' });
    await waitForPixels(viewer, 'shapes', { on: RECT_EDGES, off: [] }, 'the view link shows the board');
    await assertReadOnly(viewer);
    // A viewer's dialog hands on the link it came with.
    await viewer.click('[data-action="share"]');
    await viewer.locator('.share-dialog[data-state="viewer"]').waitFor({ timeout: TIMEOUT });
    assert.equal(await viewer.inputValue('.share-link'), link);
    assert.deepEqual(errors, []);
  });

  test('without an auth secret the Share dialog says read-only links need one and offers the plain link', async () => {
    const room = `e2e-noshare-${Date.now()}`;
    const errors: string[] = [];
    const page = await openBoard(await suite.newContext(), `${suite.server.httpUrl}/b/${room}`, errors, { watch: 'errors' });
    assert.equal(await page.locator('.access-badge').isVisible(), false, 'an editor sees no badge');
    assert.equal(await page.isDisabled('[data-tool="rectangle"]'), false);
    await page.click('[data-action="share"]');
    await page.locator('.share-dialog[data-state="sharing-disabled"]').waitFor({ timeout: TIMEOUT });
    assert.match((await page.textContent('.share-message')) ?? '', /auth secret.*--auth-secret.*AUTH_SECRET/);
    assert.equal(await page.inputValue('.share-link'), `${suite.server.httpUrl}/b/${room}`);
    // The 404 of the share endpoint is the expected answer; Chromium logs it as a failed load.
    assert.deepEqual(errors.filter((error) => !/Failed to load resource.*404/.test(error)), []);
  });
});
