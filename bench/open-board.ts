/**
 * Opening a big board, as a person does: navigation to the shapes in view painted, and when the
 * board first answers input (a click selects a shape, a wheel pans), for a first visit (nothing
 * kept in the browser) and a later one (the app, and the board's offline copy, kept), each with
 * where the time went, from the page's own User Timing marks (client/sync/open-timeline.ts) and
 * the navigation's timing.
 *
 * "Painted" is the first frame in which the shapes layer has pixels: the renderer mounts and draws
 * every shape in view in one flush (client/canvas/renderer.ts), so that frame shows them all.
 */
import type { Browser, Page } from 'playwright-core';
import { OPEN_MARKS, openMark } from '../client/sync/open-timeline.ts';
import { INITIAL_STATE_MARKS } from '../client/sync/initial-state.ts';
import { offlineDbName } from '../client/sync/offline-read.ts';

export interface OpenTimes {
  /** Navigation start → the view's shapes painted (ms). */
  painted: number;
  /** Navigation start → the frame showing a shape selected by a click sent right after the paint. */
  selected: number;
  /** Navigation start → the frame showing a wheel pan sent right after the click. */
  panned: number;
  /** Stage name → ms from navigation start (only those that happened). */
  marks: Map<string, number>;
}

/**
 * Runs in the page: resolves with the time of the first frame in which the shapes layer has
 * pixels, and where the board's grid was then. It waits for the app's easel:first-draw mark
 * through a PerformanceObserver, not by checking on every animation frame: the benchmark's browser
 * runs frames unthrottled, and a frame loop started at navigation took CPU from the very page it
 * timed. Reading a whole canvas back costs the page's main thread a few ms, so it starts only
 * then; the pixels, not the mark, decide.
 */
export function paintedInPage(firstDraw: string): Promise<{ at: number; grid: string }> {
  return new Promise((resolve) => {
    const check = (): void => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="shapes"]');
      const context = canvas?.getContext('2d', { willReadFrequently: true });
      if (canvas && context && canvas.width > 0) {
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 3; i < data.length; i += 64) {
          if (data[i]! > 0) {
            // The grid's place too, for a watcher of the view's first pan after this.
            resolve({ at: performance.now(), grid: document.querySelector<HTMLElement>('#board')!.style.backgroundPosition });
            return;
          }
        }
      }
      requestAnimationFrame(check);
    };
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(firstDraw).length === 0) return;
      observer.disconnect();
      check();
    });
    // Buffered: the mark may be there already.
    observer.observe({ type: 'mark', buffered: true });
  });
}

/**
 * Runs in the page: resolves with the times of the first frame in which the overlay's canvas has
 * pixels within `around` CSS px of `at` (a shape selected there; only that square is read back, so
 * each frame reads little), and of the first frame after the board's grid left `grid` (the view
 * panned). Both are watched at once, from before the inputs are sent.
 */
function answersInPage({ at, around, grid }: { at: { x: number; y: number }; around: number; grid: string }): Promise<{ selected: number; panned: number }> {
  return new Promise((resolve) => {
    const board = document.querySelector<HTMLElement>('#board')!;
    let selected = Number.NaN;
    let panned = Number.NaN;
    const inked = (): boolean => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="overlay"]');
      const context = canvas?.getContext('2d', { willReadFrequently: true });
      if (!canvas || !context || canvas.width === 0) return false;
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const x = Math.max(0, Math.floor((at.x - box.left - around) * scale));
      const y = Math.max(0, Math.floor((at.y - box.top - around) * scale));
      const { data } = context.getImageData(x, y, Math.ceil(2 * around * scale), Math.ceil(2 * around * scale));
      for (let i = 3; i < data.length; i += 16) if (data[i]! > 0) return true;
      return false;
    };
    const check = (now: number): void => {
      if (Number.isNaN(selected) && inked()) selected = now;
      if (Number.isNaN(panned) && board.style.backgroundPosition !== grid) panned = now;
      if (Number.isNaN(selected) || Number.isNaN(panned)) requestAnimationFrame(check);
      else resolve({ selected, panned });
    };
    requestAnimationFrame(check);
  });
}

/** Runs in the page: the User Timing marks of opening the board, ms from navigation start. */
function marksInPage(): Array<[string, number]> {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const marks: Array<[string, number]> = performance.getEntriesByType('mark').map((mark) => [mark.name, mark.startTime]);
  if (navigation) marks.push(['html', navigation.responseEnd], ['dom', navigation.domInteractive]);
  return marks;
}

/** Runs in the page: resolves once the board's offline copy holds something (a later visit reads it). */
function offlineKeptInPage(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      const request = indexedDB.open(name);
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains('updates')) {
          db.close();
          setTimeout(poll, 50);
          return;
        }
        const count = db.transaction('updates', 'readonly').objectStore('updates').count();
        count.onsuccess = () => {
          db.close();
          if (count.result > 0) resolve();
          else setTimeout(poll, 50);
        };
      };
    };
    poll();
  });
}

/**
 * Opens the board at `url` in `page` and measures it. `click` is a point (CSS px in the page)
 * on a shape that a click selects.
 */
async function openOnce(page: Page, url: string, click: { x: number; y: number }): Promise<OpenTimes> {
  const input = await page.context().newCDPSession(page);
  await page.goto(url, { waitUntil: 'commit' });
  const { at: painted, grid } = await page.evaluate(paintedInPage, OPEN_MARKS.firstDraw);
  // A click and a wheel, sent together as soon as the view is painted, through the browser's
  // input path: they wait for whatever the page still does. They go out as raw input events in
  // one batch: sending each after the last was acknowledged (or the wheel after the click's
  // selection showed) added the driver's round trips to the page's answer. Should the watcher
  // start after they were handled, it finds both answered at its first frame: a later time, never
  // an earlier one.
  const answers = page.evaluate(answersInPage, { at: click, around: 80, grid });
  const mouse = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased' | 'mouseWheel', extra: Record<string, unknown> = {}) => input.send('Input.dispatchMouseEvent', { type, x: click.x, y: click.y, ...extra });
  await Promise.all([
    mouse('mouseMoved'),
    mouse('mousePressed', { button: 'left', buttons: 1, clickCount: 1 }),
    mouse('mouseReleased', { button: 'left', buttons: 0, clickCount: 1 }),
    mouse('mouseWheel', { deltaX: 0, deltaY: 60 }),
  ]);
  const { selected, panned } = await answers;
  await input.detach();
  const marks = new Map(await page.evaluate(marksInPage));
  return { painted, selected, panned, marks };
}

export interface OpenResult {
  first: OpenTimes;
  cached: OpenTimes;
}

/**
 * A first visit in a fresh browser context, then a later visit in the same context once the
 * board's offline copy is kept and the service worker has cached the app.
 */
export async function measureOpen(browser: Browser, options: { url: string; room: string; viewport: { width: number; height: number }; click: { x: number; y: number } }): Promise<OpenResult> {
  const context = await browser.newContext({ viewport: options.viewport });
  // tsx keeps function names through a `__name` helper, which the page functions carry along.
  await context.addInitScript('globalThis.__name = (fn) => fn');
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    const first = await openOnce(page, options.url, options.click);
    // Kept: the board's offline copy written, and the app installed by its service worker (it
    // controls the page once it has cached the app). A later visit comes after that, not while
    // the worker is still caching the app beside it.
    await page.evaluate(offlineKeptInPage, offlineDbName(options.room));
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    await page.close();
    const again = await context.newPage();
    again.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    const cached = await openOnce(again, options.url, options.click);
    return { first, cached };
  } finally {
    await context.close();
  }
}

/** When the page had painted the view and answered both inputs: what the targets judge. */
export function answeredAt(times: OpenTimes): number {
  return Math.max(times.painted, times.selected, times.panned);
}

/** The try whose `key` is the median (the middle one of an odd count; the upper middle of an even one). */
export function medianBy<T>(tries: readonly T[], key: (value: T) => number): T {
  const sorted = [...tries].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Column names of `openRow`. */
export const OPEN_COLUMNS = ['shapes', 'visit', 'html', 'app', 'offline read', 'state fetched', 'applied', 'board', 'ready', 'socket', 'sync answer', 'first draw', 'painted', 'selected', 'panned'];

/**
 * One row of the breakdown, every time from navigation start: the page's HTML, the app's script
 * running, this browser's offline copy read, the server's board fetched over HTTP (first visits),
 * the board applied to the doc (decoded), the board's schema gate done, the page built, the socket
 * open, the socket's sync answer applied (only what is newer than what the page had), the shapes
 * layer's first draw, and the three the person sees.
 */
export function openRow(shapes: string, visit: string, times: OpenTimes, fmt: (n: number) => string): string[] {
  const at = (name: string): string => fmt(times.marks.get(name) ?? Number.NaN);
  return [
    shapes,
    visit,
    at('html'),
    at(OPEN_MARKS.app),
    at(INITIAL_STATE_MARKS.offlineRead),
    at(INITIAL_STATE_MARKS.stateFetched),
    at(INITIAL_STATE_MARKS.applied),
    at(OPEN_MARKS.boardReady),
    at(OPEN_MARKS.appReady),
    at(OPEN_MARKS.socketOpen),
    at(openMark('server', 'start')),
    at(OPEN_MARKS.firstDraw),
    fmt(times.painted),
    fmt(times.selected),
    fmt(times.panned),
  ];
}
