/**
 * Real multi-touch for the e2e tests. Playwright's own touchscreen only taps with one finger, so
 * fingers are put down, moved and lifted through the Chrome DevTools Protocol
 * (`Input.dispatchTouchEvent`), which goes through Chromium's whole input pipeline: touch events,
 * then pointer events with pointerType 'touch', as a phone or a tablet sends them.
 */
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import type { Probe } from './board-page.ts';

/** Fingers on one page's touch screen, each named by a small integer id. */
export interface Touchscreen {
  /** Puts finger `id` down at `at`; fingers already down stay where they are. */
  down(id: number, at: Probe): Promise<void>;
  /**
   * Moves the fingers named in `to` there together, in `steps` equal steps; fingers not named stay
   * still (but are still reported, as a touch screen does).
   */
  move(to: Record<number, Probe>, steps?: number): Promise<void>;
  /** Lifts finger `id`; the others stay down. */
  up(id: number): Promise<void>;
}

/**
 * A touch screen on `page`, whose context must have been created with `hasTouch: true`. Its
 * DevTools session ends with the page.
 */
export async function createTouchscreen(page: Page): Promise<Touchscreen> {
  const session: CDPSession = await page.context().newCDPSession(page);
  const fingers = new Map<number, Probe>();

  /**
   * What Chromium does with each type (seen in Chromium 156; the protocol text does not
   * spell it out): touchStart presses the listed fingers that are not down yet, touchMove moves the
   * listed fingers, touchEnd lifts the listed fingers (all of them if none is listed). One pointer
   * event is sent per finger that changed, and the call returns once the page has handled them.
   */
  const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', touched: Iterable<[number, Probe]>): Promise<unknown> =>
    session.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: [...touched].map(([id, [x, y]]) => ({ id, x, y, radiusX: 4, radiusY: 4, force: 0.5 })),
    });

  return {
    async down(id, at) {
      assert.ok(!fingers.has(id), `finger ${id} is already down`);
      fingers.set(id, at);
      await send('touchStart', fingers);
    },
    async move(to, steps = 8) {
      const from = new Map(fingers);
      for (const id of Object.keys(to).map(Number)) assert.ok(fingers.has(id), `finger ${id} is not down`);
      for (let step = 1; step <= steps; step++) {
        for (const [id, [toX, toY]] of Object.entries(to)) {
          const [fromX, fromY] = from.get(Number(id))!;
          fingers.set(Number(id), [fromX + ((toX - fromX) * step) / steps, fromY + ((toY - fromY) * step) / steps]);
        }
        await send('touchMove', fingers);
      }
    },
    async up(id) {
      const at = fingers.get(id);
      assert.ok(at !== undefined, `finger ${id} is not down`);
      fingers.delete(id);
      await send('touchEnd', [[id, at]]);
    },
  };
}
