/**
 * Page helpers for the e2e tests: a server and a browser per describe block, opening a board,
 * reading a canvas layer's pixels, drawing with the mouse. Every wait is on a condition, never a
 * fixed sleep.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { readAllShapes } from '../../shared/doc.ts';
import type { Shape } from '../../shared/schema.ts';
import { launchBrowser } from './browser.ts';
import { connectClient, poll, waitFor, type TestClient } from './client.ts';
import { startTestServer, type TestServer } from './server.ts';

export const TIMEOUT = 15_000;
export const VIEWPORT = { width: 1200, height: 800 };
export type Probe = [x: number, y: number];

const BUILT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

/** Throws unless the client has been built into dist/client. */
export function assertBuiltClient(): void {
  if (!existsSync(BUILT_INDEX)) {
    throw new Error(`${BUILT_INDEX} is missing: build the client first with "npm run build" (npm test does this before the e2e tests)`);
  }
}

/**
 * For each probe (page CSS pixels), whether the canvas of `layer` has a non-transparent pixel
 * within `radius`. Runs in the page, so it closes over nothing.
 */
function paintedInPage({ layer, probes, radius }: { layer: string; probes: Probe[]; radius: number }): boolean[] {
  const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-layer="${layer}"]`);
  if (!canvas) throw new Error(`no canvas for layer ${layer}`);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  const rect = canvas.getBoundingClientRect();
  const ratio = canvas.width / rect.width;
  return probes.map(([x, y]) => {
    const left = Math.round((x - rect.left - radius) * ratio);
    const top = Math.round((y - rect.top - radius) * ratio);
    const size = Math.max(1, Math.round(2 * radius * ratio) + 1);
    const { data } = context.getImageData(left, top, size, size);
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
    return false;
  });
}

export async function painted(page: Page, layer: string, probes: Probe[], radius = 3): Promise<boolean[]> {
  return page.evaluate(paintedInPage, { layer, probes, radius });
}

/** The colour of one pixel of a layer, as #rrggbb (alpha ignored), at page CSS pixel (x, y). */
export async function colorAt(page: Page, layer: string, [x, y]: Probe): Promise<string> {
  return page.evaluate(
    ({ layer, x, y }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-layer="${layer}"]`);
      const context = canvas?.getContext('2d');
      if (!canvas || !context) throw new Error(`no canvas for layer ${layer}`);
      const rect = canvas.getBoundingClientRect();
      const ratio = canvas.width / rect.width;
      const [r, g, b] = context.getImageData(Math.round((x - rect.left) * ratio), Math.round((y - rect.top) * ratio), 1, 1).data;
      return `#${[r, g, b].map((n) => (n ?? 0).toString(16).padStart(2, '0')).join('')}`;
    },
    { layer, x, y },
  );
}

/** Polls until the pixel of `layer` at `probe` has `color` (#rrggbb). */
export async function waitForColor(page: Page, layer: string, probe: Probe, color: string, message: string, timeout = TIMEOUT): Promise<void> {
  let got = '';
  try {
    await poll(async () => (got = await colorAt(page, layer, probe)) === color, message, timeout);
  } catch (error) {
    throw new Error(`${(error as Error).message}: expected ${color} at ${JSON.stringify(probe)}, got ${got}`);
  }
}

/** Polls until every probe in `on` is painted and every probe in `off` is blank on `layer`. */
export async function waitForPixels(page: Page, layer: string, expected: { on: Probe[]; off: Probe[] }, message: string, timeout = TIMEOUT): Promise<void> {
  const probes = [...expected.on, ...expected.off];
  const want = [...expected.on.map(() => true), ...expected.off.map(() => false)];
  let got: boolean[] = [];
  try {
    await poll(
      async () => {
        got = await painted(page, layer, probes);
        return got.every((value, i) => value === want[i]);
      },
      message,
      timeout,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: expected ${JSON.stringify(want)} at ${JSON.stringify(probes)}, got ${JSON.stringify(got)}`);
  }
}

/**
 * What a page may not log, besides uncaught errors: 'strict', any console error or warning;
 * 'errors', any console error; 'offline', console errors except failed socket connects and
 * resource loads (expected while the server is down or refuses).
 */
export type ErrorWatch = 'strict' | 'errors' | 'offline';

const OFFLINE_NOISE = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Failed to load resource/;

/** Collects page errors and the console messages `watch` counts into `errors`. */
export function watchErrors(page: Page, errors: string[], watch: ErrorWatch = 'offline'): void {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const type = message.type();
    if (type !== 'error' && !(watch === 'strict' && type === 'warning')) return;
    const text = message.text();
    if (watch === 'offline' && OFFLINE_NOISE.test(text)) return;
    errors.push(`console.${type}: ${text}`);
  });
}

export interface OpenBoardOptions {
  /** The status to wait for. */
  status?: 'connected' | 'offline';
  watch?: ErrorWatch;
}

/** Opens `url` in a new page of `context` and waits for the given status. */
export async function openBoard(context: BrowserContext, url: string, errors: string[], options: OpenBoardOptions = {}): Promise<Page> {
  const { status = 'connected', watch = 'offline' } = options;
  const page = await context.newPage();
  watchErrors(page, errors, watch);
  await page.goto(url);
  await page.locator(`.status[data-status="${status}"]`).waitFor({ timeout: TIMEOUT });
  return page;
}

/** Waits until the service worker controls the page, i.e. the app shell is cached. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: TIMEOUT });
}

/**
 * Presses at the first point, moves through the rest in `steps` small steps each, releases at the
 * last; with `shift`, Shift is held from before the press until after the release.
 */
export async function drag(page: Page, points: Probe[], options: { steps?: number; shift?: boolean; alt?: boolean } = {}): Promise<void> {
  const { steps = 8, shift = false, alt = false } = options;
  const [first, ...rest] = points;
  assert.ok(first);
  await page.mouse.move(first[0], first[1]);
  if (shift) await page.keyboard.down('Shift');
  // Alt places freely: a drag that must land exactly where it is sent is not snapped to neighbours.
  if (alt) await page.keyboard.down('Alt');
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(x, y, { steps });
  await page.mouse.up();
  if (alt) await page.keyboard.up('Alt');
  if (shift) await page.keyboard.up('Shift');
}

/**
 * For a describe block: starts a server and a browser before its tests, and after them closes
 * both and every context and Node client opened through it. `watch` is what the pages of
 * `openRoom` may not log.
 */
export function boardSuite(options: { watch?: ErrorWatch } = {}) {
  const { watch = 'offline' } = options;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const clients: TestClient[] = [];

  before(async () => {
    assertBuiltClient();
    server = await startTestServer();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const client of clients) client.destroy();
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  const started = <T>(value: T | undefined): T => {
    assert.ok(value !== undefined, 'boardSuite: used before its before() hook ran');
    return value;
  };

  /** A browser context (one user: own storage, no shared BroadcastChannel), closed after the suite. */
  async function newContext(extra: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await started(browser).newContext({ viewport: VIEWPORT, ...extra });
    contexts.push(context);
    return context;
  }

  /** A synced Node client in `room`, destroyed after the suite. */
  async function connect(room: string): Promise<TestClient> {
    const client = connectClient(started(server).syncUrl, room);
    clients.push(client);
    await client.synced;
    return client;
  }

  /**
   * Two pages on `room` in separate browser contexts (sync must go through the server) plus a
   * Node observer; `shapes()` reads the observer's document, `until` waits for it to pass a check.
   */
  async function openRoom(room: string) {
    const errors: string[] = [];
    const observer = await connect(room);
    const [contextA, contextB] = await Promise.all([newContext(), newContext()]);
    const url = `${started(server).httpUrl}/b/${room}`;
    const [pageA, pageB] = await Promise.all([openBoard(contextA, url, errors, { watch }), openBoard(contextB, url, errors, { watch })]);
    const shapes = (): Shape[] => readAllShapes(observer.doc);
    const until = (check: (shapes: Shape[]) => boolean, message: string): Promise<void> => waitFor(() => check(shapes()), { doc: observer.doc }, message, TIMEOUT);
    return { observer, pageA, pageB, contextA, contextB, errors, url, shapes, until };
  }

  return {
    get server(): TestServer {
      return started(server);
    },
    get browser(): Browser {
      return started(browser);
    },
    newContext,
    connect,
    openRoom,
  };
}

/** Dark pixels (drawn text, or a dark outline) of the shapes layer in a page rectangle [left, top, right, bottom]. */
export async function darkPixelsIn(page: Page, [left, top, right, bottom]: [number, number, number, number]): Promise<number> {
  return page.evaluate(
    ({ left, top, right, bottom }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="shapes"]');
      const context = canvas?.getContext('2d');
      if (!canvas || !context) throw new Error('no shapes canvas');
      const rect = canvas.getBoundingClientRect();
      const ratio = canvas.width / rect.width;
      const { data } = context.getImageData(Math.round((left - rect.left) * ratio), Math.round((top - rect.top) * ratio), Math.round((right - left) * ratio), Math.round((bottom - top) * ratio));
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && data[i]! < 120 && data[i + 1]! < 120 && data[i + 2]! < 120) dark++;
      return dark;
    },
    { left, top, right, bottom },
  );
}
