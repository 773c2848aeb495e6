/**
 * How soon a stroke being drawn in one page shows in another, while it is still being drawn:
 * two pages (separate browser contexts, so everything goes through the server) on one board,
 * page A drawing a straight pen stroke at the display rate, page B watching.
 *
 * A records, for each pointer move its page handles, the time and the x it reached. B checks its
 * draft layer (where others' strokes in progress are drawn) right after each frame's drawing, and
 * records when the painted end of the stroke first reaches each x. Both pages run on this machine,
 * so `performance.timeOrigin + performance.now()` is one clock for both. The figure is from A's
 * pointer event to B's canvas holding the point; the compositor shows it at the next vsync.
 */
import type { Browser, Page } from 'playwright-core';
import { percentiles } from './stats.ts';

const VIEWPORT = { width: 1280, height: 800 };
const ROW_Y = 400;
const FROM_X = 100;
const STEP_X = 5;
/** Pointer moves in the stroke, one per display frame (60 Hz). */
const MOVES = 180;
const FRAME_MS = 1000 / 60;

export interface LiveStrokeResult {
  /** Per pointer move of A: ms until B's canvas showed that point (moves B never showed are left out). */
  latencies: number[];
  moves: number;
  p50: number;
  p95: number;
  max: number;
}

/** Runs in page A: records when each pointer move was handled, and where it was. */
function recordMovesInPage(): void {
  const moves: Array<[x: number, t: number]> = [];
  (globalThis as unknown as { __moves: typeof moves }).__moves = moves;
  window.addEventListener(
    'pointermove',
    (event) => {
      if (event.buttons !== 0) moves.push([event.clientX, performance.timeOrigin + performance.now()]);
    },
    { capture: true },
  );
}

/** Runs in page B: after each frame's drawing, the right end of what the draft layer shows on the row. */
function watchRowInPage({ y }: { y: number }): void {
  const seen: Array<[x: number, t: number]> = [];
  (globalThis as unknown as { __seen: typeof seen }).__seen = seen;
  let furthest = -1;
  const check = (): void => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="draft"]');
    const context = canvas?.getContext('2d', { willReadFrequently: true });
    if (canvas && context) {
      const rect = canvas.getBoundingClientRect();
      const ratio = canvas.width / rect.width;
      const { data } = context.getImageData(0, Math.round((y - rect.top) * ratio), canvas.width, 1);
      for (let i = data.length - 1; i >= 3; i -= 4) {
        if (data[i]! === 0) continue;
        const x = ((i - 3) / 4) / ratio + rect.left;
        if (x > furthest) {
          furthest = x;
          seen.push([x, performance.timeOrigin + performance.now()]);
        }
        break;
      }
    }
    // After this frame's animation callbacks (the app draws in them), so the canvas is current.
    requestAnimationFrame(() => setTimeout(check, 0));
  };
  check();
}

async function openBoard(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  // tsx keeps function names through a `__name` helper that page functions carry along.
  await context.addInitScript('globalThis.__name = (fn) => fn');
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(url);
  await page.locator('.status[data-status="connected"]').waitFor({ timeout: 30_000 });
  return page;
}

/** Draws one stroke in A and measures when B shows each of its points. */
export async function measureLiveStroke(browser: Browser, boardUrl: string): Promise<LiveStrokeResult> {
  const [a, b] = [await openBoard(browser, boardUrl), await openBoard(browser, boardUrl)];
  try {
    await a.evaluate(recordMovesInPage);
    await b.evaluate(watchRowInPage, { y: ROW_Y });
    await a.keyboard.press('p');
    await a.mouse.move(FROM_X, ROW_Y);
    await a.mouse.down();
    const started = performance.now();
    for (let i = 1; i <= MOVES; i++) {
      await a.mouse.move(FROM_X + i * STEP_X, ROW_Y);
      // Paces the pointer at the display rate, as a hand on a 60 Hz screen would move it.
      const next = started + i * FRAME_MS;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    // Give B time to show the last points before letting go.
    await b.waitForFunction((x) => ((globalThis as unknown as { __seen: Array<[number, number]> }).__seen.at(-1)?.[0] ?? 0) >= x, FROM_X + MOVES * STEP_X, { timeout: 10_000 });
    await a.mouse.up();
    const moves = await a.evaluate(() => (globalThis as unknown as { __moves: Array<[number, number]> }).__moves);
    const seen = await b.evaluate(() => (globalThis as unknown as { __seen: Array<[number, number]> }).__seen);
    const latencies: number[] = [];
    for (const [x, t] of moves) {
      const shown = seen.find(([sx]) => sx >= x);
      if (shown !== undefined) latencies.push(Math.max(0, shown[1] - t));
    }
    const [p50, p95, max] = percentiles(latencies, [50, 95, 100]);
    return { latencies, moves: moves.length, p50: p50!, p95: p95!, max: max! };
  } finally {
    await a.context().close();
    await b.context().close();
  }
}
