/**
 * End to end: labels in boxes. Two pages (separate browser contexts) on one board of the real
 * server, plus a Node observer of the document: page A double-clicks a rectangle it drew and
 * types; page B draws the characters inside the rectangle while A is still typing; a long label
 * wraps and makes the rectangle taller in both pages; choosing Left and Top in the style panel
 * moves the drawn text to the rectangle's top left.
 *
 * Set E2E_SCREENSHOTS=<folder> to keep screenshots of both pages.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RectShape, Shape } from '../../shared/schema.ts';
import { poll } from '../helpers/client.ts';
import { boardSuite, darkPixelsIn, drag, TIMEOUT } from '../helpers/board-page.ts';

type Area = [left: number, top: number, right: number, bottom: number];

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`) });
}

const rects = (shapes: Shape[]): RectShape[] => shapes.filter((shape): shape is RectShape => shape.type === 'rect');

describe('labels in boxes in the browser', { timeout: 120_000 }, () => {
  // Any console error or warning fails a test.
  const suite = boardSuite({ watch: 'strict' });

  test('A labels a rectangle; B draws the label inside it while A types; a long label grows the rectangle in both pages', async () => {
    const { pageA, pageB, shapes, until, errors } = await suite.openRoom(`e2e-labels-${Date.now()}`);
    // A rectangle from (300, 200) to (500, 320), in page pixels as in board units at zoom 1.
    await pageA.keyboard.press('r');
    await drag(pageA, [
      [300, 200],
      [500, 320],
    ]);
    await until((s) => rects(s).length === 1, 'the rectangle reached the server');
    const [drawn] = rects(shapes());
    assert.deepEqual([drawn!.x, drawn!.y, drawn!.width, drawn!.height, drawn!.text], [300, 200, 200, 120, '']);
    const middle: Area = [340, 245, 460, 275];
    await poll(async () => (await darkPixelsIn(pageB, [295, 195, 505, 205])) > 50, 'page B draws the rectangle', TIMEOUT);
    const blank = await darkPixelsIn(pageB, middle);

    await pageA.keyboard.press('v');
    await pageA.mouse.dblclick(400, 260);
    const editor = pageA.locator('.text-editor[data-kind="rect"]');
    await editor.waitFor({ state: 'visible', timeout: TIMEOUT });
    await pageA.keyboard.type('Hello');
    await until((s) => rects(s)[0]?.text === 'Hello', 'the server has the label');
    await poll(async () => (await darkPixelsIn(pageB, middle)) > blank + 30, 'page B draws Hello in the middle of the rectangle', TIMEOUT);
    assert.equal(await editor.isVisible(), true, 'A is still typing');
    // B shows A's caret after Hello, on the label's centred line.
    const nameOfA = await pageA.locator('.avatar[data-self="true"]').getAttribute('data-name');
    const caret = pageB.locator(`.remote-caret[data-name="${nameOfA}"]`);
    await poll(async () => (await caret.getAttribute('data-index')) === '5', 'B shows A’s caret after Hello', TIMEOUT);
    const bar = await caret.locator('.remote-caret-bar').boundingBox();
    assert.ok(bar && bar.x > 410 && bar.x < 470 && bar.y > 235 && bar.y < 265, `the caret sits after the centred Hello: ${JSON.stringify(bar)}`);
    // Centred: the label's ink is about as much left of the middle as right of it.
    const [left, right] = [await darkPixelsIn(pageB, [340, 245, 400, 275]), await darkPixelsIn(pageB, [400, 245, 460, 275])];
    assert.ok(left > 10 && right > 10 && Math.abs(left - right) < Math.max(left, right) * 0.6, `centred: ${left} left of the middle, ${right} right of it`);

    // Many words: the label wraps, and the rectangle grows taller, its top where it was.
    const more = ' and many more words that cannot fit on one line of this rectangle, so it wraps onto more lines and the box grows';
    await pageA.keyboard.type(more);
    // The height grows line by line as the characters arrive: read it once the whole label is in.
    await until((s) => rects(s)[0]?.text === `Hello${more}` && rects(s)[0]!.height > 120, 'the rectangle grew for the whole label');
    const grown = rects(shapes())[0]!;
    assert.deepEqual([grown.x, grown.y, grown.width], [300, 200, 200]);
    const bottom = grown.y + grown.height;
    for (const [page, name] of [
      [pageA, 'A'],
      [pageB, 'B'],
    ] as const) {
      await poll(async () => (await darkPixelsIn(page, [310, bottom - 2, 490, bottom + 2])) > 50, `page ${name} draws the grown rectangle's bottom edge at ${bottom}`, TIMEOUT);
      // Text below where the bottom edge was, inside the grown box.
      await poll(async () => (await darkPixelsIn(page, [310, 330, 490, bottom - 6])) > 30, `page ${name} draws wrapped lines below the old bottom`, TIMEOUT);
      assert.equal(await darkPixelsIn(page, [505, 200, 600, bottom]), 0, `page ${name}: no text runs out of the rectangle's right side`);
    }
    await screenshot(pageA, 'labels-A');
    await screenshot(pageB, 'labels-B');
    await pageA.keyboard.press('Enter');
    await editor.waitFor({ state: 'hidden', timeout: TIMEOUT });
    assert.equal(rects(shapes())[0]!.height, grown.height, 'finishing keeps the grown height');
    assert.deepEqual(errors, []);
  });

  test('an ellipse and a diamond keep a long label inside their outline, growing for it', async () => {
    const { pageA, pageB, shapes, until, errors } = await suite.openRoom(`e2e-labels-curved-${Date.now()}`);
    const label = 'a label long enough to wrap onto several lines';
    for (const [key, left] of [
      ['o', 300],
      ['d', 600],
    ] as const) {
      await pageA.keyboard.press(key);
      await drag(pageA, [
        [left, 150],
        [left + 200, 270],
      ]);
      await pageA.keyboard.press('v');
      await pageA.mouse.dblclick(left + 100, 210);
      await pageA.locator('.text-editor:visible').waitFor({ state: 'visible', timeout: TIMEOUT });
      await pageA.keyboard.type(label);
      await pageA.keyboard.press('Enter');
    }
    const boxes = (s: Shape[]) => s.filter((shape) => shape.type === 'ellipse' || shape.type === 'diamond') as unknown as RectShape[];
    await until((s) => boxes(s).length === 2 && boxes(s).every((box) => box.text === label && box.height > 120), 'both grew for their labels');
    for (const box of boxes(shapes())) {
      // The box's corners, outside the outline, stay clear of text; its middle has some.
      const corner: Area = [box.x + 4, box.y + 4, box.x + 30, box.y + 20];
      const middle: Area = [box.x + 50, box.y + box.height / 2 - 15, box.x + 150, box.y + box.height / 2 + 15];
      for (const page of [pageA, pageB]) await poll(async () => (await darkPixelsIn(page, middle)) > 30, `${box.type}: the label is drawn in its middle`, TIMEOUT);
      assert.equal(await darkPixelsIn(pageB, corner), 0, `${box.type}: nothing is drawn in the corner outside the outline`);
    }
    await screenshot(pageB, 'labels-curved-B');
    assert.deepEqual(errors, []);
  });

  test('choosing Left and Top in the style panel moves the drawn label to the top left, in both pages', async () => {
    const { pageA, pageB, shapes, until, errors } = await suite.openRoom(`e2e-labels-align-${Date.now()}`);
    await pageA.keyboard.press('r');
    await drag(pageA, [
      [600, 200],
      [800, 320],
    ]);
    await until((s) => rects(s).length === 1, 'the rectangle reached the server');
    await pageA.keyboard.press('v');
    await pageA.mouse.dblclick(700, 260);
    await pageA.locator('.text-editor[data-kind="rect"]').waitFor({ state: 'visible', timeout: TIMEOUT });
    await pageA.keyboard.type('Label');
    await pageA.keyboard.press('Enter');
    await until((s) => rects(s)[0]?.text === 'Label', 'the server has the label');
    const middle: Area = [660, 245, 740, 275];
    const topLeft: Area = [604, 204, 670, 236];
    for (const page of [pageA, pageB]) await poll(async () => (await darkPixelsIn(page, middle)) > 30, 'the label is drawn in the middle', TIMEOUT);
    assert.equal(await darkPixelsIn(pageB, topLeft), 0, 'nothing at the top left yet');

    // Select the rectangle and choose the alignment.
    await pageA.mouse.click(780, 300);
    await pageA.locator('[data-style="textAlign"][data-value="left"]').click();
    await pageA.locator('[data-style="verticalAlign"][data-value="top"]').click();
    await until((s) => rects(s)[0]?.textAlign === 'left' && rects(s)[0]?.verticalAlign === 'top', 'the server has left, top');
    for (const [page, name] of [
      [pageA, 'A'],
      [pageB, 'B'],
    ] as const) {
      await poll(async () => (await darkPixelsIn(page, topLeft)) > 30 && (await darkPixelsIn(page, middle)) === 0, `page ${name} draws the label at the top left`, TIMEOUT);
    }
    await screenshot(pageB, 'labels-aligned-B');
    assert.deepEqual(errors, []);
  });
});
