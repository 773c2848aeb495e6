/**
 * End to end: Easel is an installable app. The pages link a web app manifest whose icons load,
 * Chromium itself finds the app installable, the Workbox service worker takes over, and with the
 * network off a reload still opens a board opened before (a board never opened shows the app,
 * empty, not the browser's error page). Pages stay network first, so a new deploy is seen on
 * the next load. The server serves a copy of the build, so the deploy test can change a page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { indexAbove, readAllShapes, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, NO_LABEL, type Shape } from '../../shared/schema.ts';
import { chromiumPath, launchBrowser } from '../helpers/browser.ts';
import { connectClient, poll, type TestClient } from '../helpers/client.ts';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { assertBuiltClient, openBoard, TIMEOUT, VIEWPORT, waitForOfflineShell, waitForPixels, watchErrors, type Probe } from '../helpers/board-page.ts';

const BUILT = fileURLToPath(new URL('../../dist/client', import.meta.url));
const RECT_EDGES: Probe[] = [[600, 375], [700, 300], [800, 375], [700, 450]];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk (right after the signature). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG file');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** What a long-lived cache header looks like: the worker and the manifest must never get one. */
function cachedForLong(cacheControl: string | null): boolean {
  const maxAge = /max-age=(\d+)/.exec(cacheControl ?? '');
  return /immutable/.test(cacheControl ?? '') || (maxAge !== null && Number(maxAge[1]) > 0);
}

function rect(doc: TestClient['doc'], id: string): Shape {
  return { ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x: 600, y: 300, width: 200, height: 150, rotation: 0, locked: false, index: indexAbove(readAllShapes(doc)) };
}

describe('installable app', { timeout: 120_000 }, () => {
  let staticDir: string;
  let profileDir: string;
  let server: TestServer;
  // A persistent profile, not an incognito-like context: Chromium reports no app as installable
  // in incognito, and the installability check below is Chromium's own.
  let context: BrowserContext;
  const clients: TestClient[] = [];
  const errors: string[] = [];

  before(async () => {
    assertBuiltClient();
    staticDir = await makeTempDir('easel-static-');
    cpSync(BUILT, staticDir, { recursive: true });
    server = await startTestServer({ staticDir });
    profileDir = await makeTempDir('easel-profile-');
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath(),
      headless: true,
      viewport: VIEWPORT,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await context?.close();
    await server?.close();
    for (const dir of [staticDir, profileDir]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function seededRoom(prefix: string): Promise<string> {
    const room = `${prefix}-${Date.now()}`;
    const client = connectClient(server.syncUrl, room);
    clients.push(client);
    await client.synced;
    client.doc.transact(() => writeShape(client.doc, rect(client.doc, 'kept')), LOCAL_ORIGIN);
    return room;
  }

  /** Turns the network off for `run`, checking that it is really off, and back on after. */
  async function offline(page: Page, run: () => Promise<void>): Promise<void> {
    await context.setOffline(true);
    try {
      assert.equal(await page.evaluate(() => fetch('/healthz').then(() => 'reached', () => 'offline')), 'offline', 'the network is really gone');
      await run();
    } finally {
      await context.setOffline(false);
    }
  }

  test('both pages link the manifest, the theme colour and a touch icon; the manifest and its icons are served right', async () => {
    const page = await context.newPage();
    watchErrors(page, errors);
    const icons: ManifestIcon[] = [];
    const touchIcons = new Set<string>();
    let manifestHref = '';
    for (const pathname of ['/', `/b/pwa-links-${Date.now()}`]) {
      await page.goto(`${server.httpUrl}${pathname}`);
      const href = await page.locator('link[rel="manifest"]').getAttribute('href');
      assert.ok(href, `${pathname} links a manifest`);
      manifestHref = href;
      assert.equal(await page.locator('meta[name="theme-color"]').getAttribute('content'), '#4a6cf7', `${pathname} has the theme colour`);
      touchIcons.add((await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')) ?? `none on ${pathname}`);
    }
    await page.close();

    const response = await fetch(new URL(manifestHref, server.httpUrl));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/manifest\+json/);
    assert.ok(!cachedForLong(response.headers.get('cache-control')), 'a changed manifest is seen at once');
    const manifest = (await response.json()) as Record<string, unknown>;
    assert.equal(manifest.name, 'Easel');
    assert.equal(manifest.short_name, 'Easel');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.theme_color, '#4a6cf7');
    assert.match(String(manifest.background_color), /^#[0-9a-f]{6}$/);
    icons.push(...(manifest.icons as ManifestIcon[]));

    const purposes = icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort();
    assert.deepEqual(purposes, ['192x192 any', '512x512 any', '512x512 maskable']);
    const wanted = [...icons.map((icon) => ({ src: icon.src, sizes: icon.sizes })), ...[...touchIcons].map((src) => ({ src, sizes: '180x180' }))];
    for (const { src, sizes } of wanted) {
      const icon = await fetch(new URL(src, server.httpUrl));
      assert.equal(icon.status, 200, `${src} loads`);
      assert.equal(icon.headers.get('content-type'), 'image/png', `${src} is served as PNG`);
      const { width, height } = pngSize(Buffer.from(await icon.arrayBuffer()));
      assert.equal(`${width}x${height}`, sizes, `${src} is as large as it says`);
    }
    assert.deepEqual(errors, []);
  });

  test('the service worker is active, precaches both pages, and Chromium finds the app installable', async () => {
    const worker = await fetch(new URL('/sw.js', server.httpUrl));
    assert.equal(worker.status, 200);
    assert.match(worker.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok(!cachedForLong(worker.headers.get('cache-control')), 'browsers look for a new worker on every load');

    const page = await openBoard(context, `${server.httpUrl}/b/pwa-worker-${Date.now()}`, errors);
    await waitForOfflineShell(page);
    const state = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const precached: string[] = [];
      for (const name of await caches.keys()) {
        if (!name.startsWith('workbox-precache')) continue;
        for (const request of await (await caches.open(name)).keys()) precached.push(new URL(request.url).pathname);
      }
      return { active: registration.active?.state, scope: registration.scope, precached };
    });
    assert.equal(state.active, 'activated');
    assert.equal(state.scope, `${server.httpUrl}/`);
    for (const file of ['/index.html', '/home.html', '/manifest.webmanifest', '/icons/icon-192.png']) assert.ok(state.precached.includes(file), `${file} is precached`);
    assert.ok(state.precached.some((file) => /^\/assets\/.+\.js$/.test(file)), 'and the scripts');

    const cdp = await context.newCDPSession(page);
    for (const pathname of ['/b/pwa-install', '/']) {
      await page.goto(`${server.httpUrl}${pathname}`);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors, [], `${pathname} is installable`);
    }
    await cdp.detach();
    await page.close();
    assert.deepEqual(errors, []);
  });

  test('offline, a reload opens a board opened before with its shapes, and a board never opened shows the app, empty', async () => {
    const room = await seededRoom('pwa-offline');
    const page = await openBoard(context, `${server.httpUrl}/b/${room}`, errors);
    await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'the board loads online');
    await waitForOfflineShell(page);

    await offline(page, async () => {
      await page.reload();
      await page.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
      await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'the board and its rectangle open offline');
      assert.equal(await page.locator('.status[data-first-visit="true"]').count(), 0, 'a board opened before is not a first visit');

      const response = await page.goto(`${server.httpUrl}/b/${room}-never-opened`);
      assert.equal(response?.status(), 200, 'the kept page answers, not a network error');
      await page.locator('.status[data-status="offline"][data-first-visit="true"]').waitFor({ timeout: TIMEOUT });
      await waitForPixels(page, 'shapes', { on: [], off: RECT_EDGES }, 'its offline copy is empty');
      assert.equal(await page.locator('canvas[data-layer="shapes"]').count(), 1, 'the board itself, ready to draw on');
    });
    await page.close();
    assert.deepEqual(errors, []);
  });

  test('pages come from the network while online: a new deploy shows on the next load, and offline the kept one still opens the board', async () => {
    const room = await seededRoom('pwa-deploy');
    const page = await openBoard(context, `${server.httpUrl}/b/${room}`, errors);
    await waitForOfflineShell(page);
    // The build's page with one mark added, standing for a new deploy.
    const deployed = () => page.locator('meta[name="easel-test-deploy"]').count();
    assert.equal(await deployed(), 0);

    const indexFile = path.join(staticDir, 'index.html');
    const built = readFileSync(indexFile, 'utf8');
    writeFileSync(indexFile, built.replace('</head>', '<meta name="easel-test-deploy" content="2"></head>'));
    try {
      await page.reload();
      assert.equal(await deployed(), 1, 'the new page, not the kept one');
      await page.locator('.status[data-status="connected"]').waitFor({ timeout: TIMEOUT });
      await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'the board loads from the new page');

      // A page the server refuses (no such room name) is passed on as it is, not replaced.
      const refused = await page.goto(`${server.httpUrl}/b/${'x'.repeat(200)}`);
      assert.equal(refused?.status(), 404);
      assert.match((await page.textContent('body')) ?? '', /Board names are 1 to 128 characters/);

      await page.goto(`${server.httpUrl}/b/${room}`);
      await offline(page, async () => {
        await page.reload();
        assert.equal(await deployed(), 0, 'offline: the page kept at install');
        await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'which still opens the board');
      });
    } finally {
      writeFileSync(indexFile, built);
    }
    await page.close();
    assert.deepEqual(errors, []);
  });

  test('the caches of the hand-written worker Easel had before are deleted once the Workbox worker is active', async () => {
    // A browser of its own, so no worker is registered yet; /healthz runs no app code.
    const browser = await launchBrowser();
    try {
      const fresh = await browser.newContext({ viewport: VIEWPORT });
      const page = await fresh.newPage();
      await page.goto(`${server.httpUrl}/healthz`);
      await page.evaluate(async () => {
        await (await caches.open('easel-shell-v2')).put('/index.html', new Response('the old shell'));
      });
      await page.goto(`${server.httpUrl}/b/pwa-retire-${Date.now()}`);
      await waitForOfflineShell(page);
      await poll(async () => !(await page.evaluate(() => caches.keys())).includes('easel-shell-v2'), 'the old cache is deleted', TIMEOUT);
      assert.ok((await page.evaluate(() => caches.keys())).some((name) => name.startsWith('workbox-precache')), 'Workbox’s own copy stays');
    } finally {
      await browser.close();
    }
  });
});
