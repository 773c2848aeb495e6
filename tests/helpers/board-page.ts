/**
 * Page helpers for the presence and offline e2e tests: opening a board, reading a canvas layer's
 * pixels, drawing with the mouse. Every wait is on a condition, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { poll } from './client.ts';

export const TIMEOUT = 15_000;
export type Probe = [x: number, y: number];

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

/** Collects page errors and console errors, except failed socket connects (expected offline). */
export function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(text)) return;
    errors.push(`console.error: ${text}`);
  });
}

/** Opens `url` in a new page of `context` and waits for the given status. */
export async function openBoard(context: BrowserContext, url: string, errors: string[], status: 'connected' | 'offline' = 'connected'): Promise<Page> {
  const page = await context.newPage();
  watchErrors(page, errors);
  await page.goto(url);
  await page.locator(`.status[data-status="${status}"]`).waitFor({ timeout: TIMEOUT });
  return page;
}

/** Waits until the service worker controls the page, i.e. the app shell is cached. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: TIMEOUT });
}

/** Presses at the first point, moves through the rest in small steps, releases at the last. */
export async function drag(page: Page, points: Probe[]): Promise<void> {
  const [first, ...rest] = points;
  assert.ok(first);
  await page.mouse.move(first[0], first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 8 });
  await page.mouse.up();
}
