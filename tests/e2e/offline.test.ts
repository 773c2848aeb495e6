/**
 * End to end: offline first. Separate browser contexts are separate users (no shared IndexedDB or
 * BroadcastChannel); the server is stopped for real and restarted on the same port and data dir,
 * so a reload while it is down must come from the service worker and the board from IndexedDB.
 */
import { after, before, describe, test } from 'node:test';
import * as Y from 'yjs';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, WebSocketRoute } from 'playwright-core';
import { indexAbove, readAllShapes, updateShape, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertBuiltClient, drag, openBoard, TIMEOUT, VIEWPORT, waitForOfflineShell, waitForPixels, type Probe } from '../helpers/board-page.ts';

const RECT_EDGES: Probe[] = [[600, 375], [700, 300], [800, 375], [700, 450]];
const STROKE: Probe[] = [[200, 400], [300, 480], [400, 400]];
const STROKE_PROBES: Probe[] = [[250, 440], [350, 440]];

function rect(doc: TestClient['doc'], id: string): Shape {
  return { ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x: 600, y: 300, width: 200, height: 150, rotation: 0, locked: false, index: indexAbove(readAllShapes(doc)) };
}

describe('offline first', { timeout: 180_000 }, () => {
  let browser: Browser;
  const servers: TestServer[] = [];
  const contexts: BrowserContext[] = [];
  const clients: TestClient[] = [];

  before(async () => {
    assertBuiltClient();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const client of clients) client.destroy();
    for (const context of contexts) await context.close();
    await browser?.close();
    for (const server of servers.reverse()) await server.close();
  });

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    return context;
  }

  test('edits made while the server is down survive a reload and merge with everyone else’s when it is back', async () => {
    const first = await startTestServer();
    servers.push(first);
    const room = `e2e-offline-${Date.now()}`;
    const url = `${first.httpUrl}/b/${room}`;
    const errors: string[] = [];
    const [contextA, contextB] = await Promise.all([newContext(), newContext()]);
    const [pageA, pageB] = await Promise.all([openBoard(contextA, url, errors), openBoard(contextB, url, errors)]);
    await Promise.all([waitForOfflineShell(pageA), waitForOfflineShell(pageB)]);

    await first.stop();
    await Promise.all([pageA, pageB].map((page) => page.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT })));
    await pageA.keyboard.press('r');
    await drag(pageA, [[600, 300], [800, 450]]);
    await pageB.keyboard.press('p');
    await drag(pageB, STROKE);
    await waitForPixels(pageA, 'shapes', { on: RECT_EDGES, off: STROKE_PROBES }, 'A has only its rectangle');
    await waitForPixels(pageB, 'shapes', { on: STROKE_PROBES, off: RECT_EDGES }, 'B has only its stroke');
    for (const page of [pageA, pageB]) {
      await page.locator('.status[data-unsynced="true"]').waitFor({ timeout: TIMEOUT });
      assert.match((await page.locator('.status-label').textContent()) ?? '', /unsynced changes/);
    }

    // Reload with the server still down: the page comes from the service worker, the board from
    // IndexedDB, and the changes still read as not on the server.
    await pageA.reload();
    await pageA.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
    await waitForPixels(pageA, 'shapes', { on: RECT_EDGES, off: STROKE_PROBES }, 'A still has its rectangle after an offline reload');
    await pageA.locator('.status[data-unsynced="true"]').waitFor({ timeout: TIMEOUT });
    assert.equal(await pageA.locator('.status[data-first-visit="true"]').count(), 0, 'a board opened before is not a first visit');

    const second = await startTestServer({ dataDir: first.dataDir, port: first.port });
    servers.push(second);
    const union = { on: [...RECT_EDGES, ...STROKE_PROBES], off: [] };
    await waitForPixels(pageA, 'shapes', union, 'A converges to the union', 30_000);
    await waitForPixels(pageB, 'shapes', union, 'B converges to the union', 30_000);
    for (const page of [pageA, pageB]) {
      await page.locator('.status[data-status="connected"][data-unsynced="false"]').waitFor({ timeout: TIMEOUT });
      assert.equal(await page.locator('.status-label').textContent(), 'Connected');
    }
    await second.stop();

    // The stored room has both, read back by a fresh server on the same data dir.
    const third = await startTestServer({ dataDir: first.dataDir });
    servers.push(third);
    const observer = connectClient(third.syncUrl, room);
    clients.push(observer);
    await observer.synced;
    assert.deepEqual(readAllShapes(observer.doc).map((shape) => shape.type).sort(), ['ink', 'rect']);
    assert.deepEqual(errors, []);
  });

  test('a delete made online and a move made offline merge to the same board everywhere', async () => {
    const server = await startTestServer();
    servers.push(server);
    const room = `e2e-conflict-${Date.now()}`;
    const url = `${server.httpUrl}/b/${room}`;
    const observer = connectClient(server.syncUrl, room);
    clients.push(observer);
    await observer.synced;
    observer.doc.transact(() => writeShape(observer.doc, rect(observer.doc, 'contested')), LOCAL_ORIGIN);

    const errors: string[] = [];
    const [contextA, contextB] = await Promise.all([newContext(), newContext()]);
    // B's sync socket goes through a switch: cut, B is offline while A stays connected.
    let cut = false;
    const live = new Set<WebSocketRoute>();
    await contextB.routeWebSocket(/\/sync\//, (ws) => {
      if (cut) {
        void ws.close({ code: 4008, reason: 'test: network down' });
        return;
      }
      ws.connectToServer();
      live.add(ws);
    });
    const [pageA, pageB] = await Promise.all([openBoard(contextA, url, errors), openBoard(contextB, url, errors)]);
    await Promise.all([pageA, pageB].map((page) => waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'both see the rectangle')));

    cut = true;
    for (const ws of live) await ws.close({ code: 4008, reason: 'test: network down' });
    await pageB.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });

    // A deletes it (online), B moves it 100px right (offline).
    await pageA.keyboard.press('v');
    await pageA.mouse.click(600, 375);
    await pageA.keyboard.press('Delete');
    await waitFor(() => readAllShapes(observer.doc).length === 0, { doc: observer.doc }, 'the delete reaches the server', TIMEOUT);
    await pageB.keyboard.press('v');
    await drag(pageB, [[600, 375], [650, 375], [700, 375]]);
    await waitForPixels(pageB, 'shapes', { on: [[700, 300], [900, 375]], off: [[600, 375]] }, 'B moved it while offline');
    await pageB.locator('.status[data-unsynced="true"]').waitFor({ timeout: TIMEOUT });

    cut = false;
    await pageB.locator('.status[data-status="connected"][data-unsynced="false"]').waitFor({ timeout: 30_000 });
    // The delete wins: a move writes into the shape's map, which no longer exists.
    const gone = { on: [], off: [...RECT_EDGES, [700, 300], [900, 375]] as Probe[] };
    await waitForPixels(pageA, 'shapes', gone, 'A shows the merged board');
    await waitForPixels(pageB, 'shapes', gone, 'B shows the same board');
    assert.equal(readAllShapes(observer.doc).length, 0, 'and so does the server');
    assert.deepEqual(errors, []);
  });

  test('with the server down, a board opened before loads from the cache, and a new one says it is new', async () => {
    const server = await startTestServer();
    servers.push(server);
    const room = `e2e-cached-${Date.now()}`;
    const observer = connectClient(server.syncUrl, room);
    clients.push(observer);
    await observer.synced;
    observer.doc.transact(() => writeShape(observer.doc, rect(observer.doc, 'kept')), LOCAL_ORIGIN);

    const errors: string[] = [];
    const context = await newContext();
    const page = await openBoard(context, `${server.httpUrl}/b/${room}`, errors);
    await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'the board loads online');
    await waitForOfflineShell(page);
    await page.close();
    await server.stop();

    const again = await openBoard(context, `${server.httpUrl}/b/${room}`, errors, { status: 'offline' });
    await waitForPixels(again, 'shapes', { on: RECT_EDGES, off: [] }, 'the board opens with no server at all');
    assert.equal(await again.locator('.status[data-first-visit="true"]').count(), 0);

    const fresh = await openBoard(context, `${server.httpUrl}/b/${room}-never-seen`, errors, { status: 'offline' });
    await fresh.locator('.status[data-first-visit="true"]').waitFor({ timeout: TIMEOUT });
    assert.match((await fresh.locator('.status-notice').textContent()) ?? '', /never opened on this device/);
    await fresh.keyboard.press('r');
    await drag(fresh, [[600, 300], [800, 450]]);
    await waitForPixels(fresh, 'shapes', { on: RECT_EDGES, off: [] }, 'drawing works on a board first opened offline');
    assert.deepEqual(errors, []);
  });

  test('a long history in the offline copy is compacted into one update without losing anything', async () => {
    const server = await startTestServer();
    servers.push(server);
    const room = `e2e-compact-${Date.now()}`;
    const context = await newContext();
    const errors: string[] = [];
    const page = await openBoard(context, `${server.httpUrl}/b/${room}`, errors);

    // 600 small edits, as a long session would leave them, written straight into the store.
    const source = new Y.Doc();
    const updates: number[][] = [];
    source.on('update', (update: Uint8Array) => updates.push([...update]));
    source.transact(() => writeShape(source, { ...rect(source, 'busy'), x: 0 }), LOCAL_ORIGIN);
    for (let i = 1; i < 600; i++) source.transact(() => updateShape(source, 'busy', { x: i }), LOCAL_ORIGIN);
    const dbName = `easel-board-${room}`;
    await page.evaluate(
      async ({ dbName, updates }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(dbName);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const tx = db.transaction('updates', 'readwrite');
        for (const update of updates) tx.objectStore('updates').add(new Uint8Array(update));
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      },
      { dbName, updates },
    );
    const stored = () =>
      page.evaluate(async (dbName) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(dbName);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const all = await new Promise<Uint8Array[]>((resolve, reject) => {
          const request = db.transaction('updates', 'readonly').objectStore('updates').getAll();
          request.onsuccess = () => resolve(request.result as Uint8Array[]);
          request.onerror = () => reject(request.error);
        });
        db.close();
        return all.map((update) => [...update]);
      }, dbName);
    assert.ok((await stored()).length >= 600);

    await page.reload();
    await page.locator('.status[data-status="connected"]').waitFor({ timeout: TIMEOUT });
    let entries: number[][] = [];
    await poll(async () => (entries = await stored()).length <= 3, 'the store is compacted on load', TIMEOUT);
    const restored = new Y.Doc();
    for (const entry of entries) Y.applyUpdate(restored, new Uint8Array(entry));
    assert.equal(readAllShapes(restored).find((shape) => shape.id === 'busy')?.x, 599, 'the compacted copy holds the last edit');
    const observer = connectClient(server.syncUrl, room);
    clients.push(observer);
    await observer.synced;
    await waitFor(() => readAllShapes(observer.doc).find((shape) => shape.id === 'busy')?.x === 599, { doc: observer.doc }, 'and the server got it from the page', TIMEOUT);
    assert.deepEqual(errors, []);
  });

  test('a refusal from the server is shown with its reason, and the board stays usable', async () => {
    const server = await startTestServer({ authSecret: 'e2e-secret-that-is-long-enough-for-hs256' });
    servers.push(server);
    const context = await newContext();
    const errors: string[] = [];
    const page = await openBoard(context, `${server.httpUrl}/b/e2e-refused-${Date.now()}`, errors, { status: 'offline' });
    const status = page.locator('.status[data-refused="unauthorized"]');
    await status.waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator('.status-label').textContent(), 'Refused: unauthorized');
    assert.match((await status.getAttribute('title')) ?? '', /will not retry/);
    await page.keyboard.press('r');
    await drag(page, [[600, 300], [800, 450]]);
    await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'drawing still works locally');
    await page.locator('.status[data-unsynced="true"]').waitFor({ timeout: TIMEOUT });
    assert.match((await page.locator('.status-label').textContent()) ?? '', /^Refused: unauthorized · unsynced changes$/);
  });
});
