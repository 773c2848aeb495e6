/**
 * The minimap in the browser, two real pages on one board: A draws a rectangle and its minimap
 * draws it where the fit says; a press in A's minimap centres A's view on the board point under
 * it and a drag moves the view along with the pointer, a click centres it again (the rectangle
 * shows up on A's board where that says); B's viewport shows as a rectangle in B's colour in A's minimap and follows B when B drags in
 * its own minimap; the toggle button and Shift+M hide and show it. It starts off on the suite's
 * 1200 × 800 windows, on in a larger one, and a choice outlives a reload. A board of more shapes
 * than the minimap draws in one frame ends up drawn whole.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Bounds } from '../../client/model/plane.ts';
import { boardSuite, drag, openBoard, VIEWPORT, waitForColor, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { poll } from '../helpers/client.ts';
import { boardToMinimap, extentOf, fitMinimap, MINIMAP_SHAPE_FILL, type MinimapTransform } from '../../client/canvas/minimap-layout.ts';
import { IDENTITY_STORAGE_KEY } from '../../client/presence/identity.ts';
import { indexAbove, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, NO_LABEL, type Shape } from '../../shared/schema.ts';

/** A folder to save screenshots in, for a person to look at (nothing compares them); none when unset. */
const SHOTS = process.env.EASEL_SCREENSHOTS;
const INK = '#1e1e1e';

async function screenshot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `minimap-${name}.png`) });
}

async function minimapRect(page: Page): Promise<{ left: number; top: number; width: number; height: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="minimap"]');
    if (!canvas || canvas.hidden) throw new Error('no minimap shown');
    const { left, top, width, height } = canvas.getBoundingClientRect();
    return { left, top, width, height };
  });
}

/**
 * The pixels of the minimap within 24 of `color` per channel, in `within` (minimap CSS pixels)
 * if given: how many, and their mean position in device pixels. Viewport outlines blend where
 * they cross, so a region keeps such blends from passing for a shape's fill.
 */
async function pixelsOf(page: Page, color: string, within?: Bounds): Promise<{ count: number; x: number; y: number }> {
  return page.evaluate(({ color, within }) => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="minimap"]');
    if (!canvas) throw new Error('no minimap canvas');
    // Read through a copy made for reading: repeated reads of the minimap itself make Chrome warn.
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(canvas, 0, 0);
    const want = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    const { data, width } = context.getImageData(0, 0, copy.width, copy.height);
    let count = 0;
    let sumX = 0;
    let sumY = 0;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    // Inline, not a helper function: tsx names functions with a helper the page does not have.
    const [left, top, right, bottom] = within === undefined ? [0, 0, Infinity, Infinity] : [within.x, within.y, within.x + within.width, within.y + within.height].map((v) => v * ratio);
    for (let i = 0; i < data.length; i += 4) {
      const x = (i / 4) % width;
      const y = Math.floor(i / 4 / width);
      if (x >= left! && x <= right! && y >= top! && y <= bottom! && want.every((channel, c) => Math.abs(data[i + c]! - channel) <= 24)) {
        count++;
        sumX += (i / 4) % width;
        sumY += Math.floor(i / 4 / width);
      }
    }
    return { count, x: count ? sumX / count : 0, y: count ? sumY / count : 0 };
  }, { color, within });
}

/** The board point `point` in a minimap whose fit is `transform`, as a page point. */
function onMap(map: { left: number; top: number }, transform: MinimapTransform, point: { x: number; y: number }): Probe {
  const pixel = boardToMinimap(transform, { ...point, width: 0, height: 0 });
  return [map.left + pixel.x, map.top + pixel.y];
}

describe('minimap between two pages', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('a press and drag in the minimap move the view with the pointer, a click centres it; the other page’s viewport shows in its colour and follows it; the toggle and Shift+M hide and show it', async () => {
    const { pageA, pageB, errors, until } = await suite.openRoom(`e2e-minimap-${Date.now()}`);
    const screen = await pageA.evaluate(() => ({ width: document.querySelector('#board')!.clientWidth, height: document.querySelector('#board')!.clientHeight }));
    const toggle = pageA.getByRole('button', { name: 'Minimap', exact: true });
    // Off by default on a 1200 × 800 window; Shift+M shows it on A, its button on B.
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', `off by default on a ${VIEWPORT.width} × ${VIEWPORT.height} window`);
    assert.ok(await pageA.locator('canvas[data-layer="minimap"]').isHidden(), 'and hidden');
    await pageA.keyboard.press('Shift+M');
    await pageB.getByRole('button', { name: 'Minimap', exact: true }).click();
    await minimapRect(pageB);

    await pageA.keyboard.press('r');
    await drag(pageA, [[100, 100], [300, 250]]);
    await until((s) => s.some((shape) => shape.type === 'rect' && shape.x === 100 && shape.y === 100), 'the rectangle is in the document');
    await waitForColor(pageA, 'shapes', [100, 175], INK, 'A draws the rectangle where it was drawn');
    await pageA.keyboard.press('Escape');

    // Both pages look at the board's origin at 100%: the minimap fits the rectangle and that view.
    const rect = { x: 100, y: 100, width: 200, height: 150 };
    const middle = { x: 200, y: 175 };
    const origin = { x: 0, y: 0, ...screen };
    const map = await minimapRect(pageA);
    const size = { width: map.width, height: map.height };
    const ratio = (await pageA.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas[data-layer="minimap"]')!.width)) / map.width;
    const start = fitMinimap(extentOf([rect, origin])!, size);
    const [drawnX, drawnY] = onMap({ left: 0, top: 0 }, start, middle);
    const drawn = boardToMinimap(start, rect);
    let shapeFill = { count: 0, x: 0, y: 0 };
    await poll(
      async () => {
        shapeFill = await pixelsOf(pageA, MINIMAP_SHAPE_FILL, { x: drawn.x - 4, y: drawn.y - 4, width: drawn.width + 8, height: drawn.height + 8 });
        return shapeFill.count > 0.8 * drawn.width * drawn.height * ratio ** 2 && Math.abs(shapeFill.x / ratio - drawnX) < 3 && Math.abs(shapeFill.y / ratio - drawnY) < 3;
      },
      `A's minimap draws the rectangle's bounds around ${drawnX}, ${drawnY}`,
    ).catch(async (error: Error) => {
      await screenshot(pageA, 'failed-fill');
      assert.fail(`${error.message}: ${shapeFill.count} pixels around ${shapeFill.x / ratio}, ${shapeFill.y / ratio}`);
    });
    await screenshot(pageA, 'before');

    // Pressing on the rectangle's middle in the minimap centres A's view on it; dragging on moves
    // the view with the pointer, step by step, at the same zoom (the map holds still meanwhile).
    const leftEdgeAt = (centreX: number): Probe => [screen.width / 2 - (centreX - rect.x), screen.height / 2];
    const step = 120;
    const [pressX, pressY] = onMap(map, start, middle);
    await pageA.mouse.move(pressX, pressY);
    await pageA.mouse.down();
    await waitForPixels(pageA, 'shapes', { on: [leftEdgeAt(middle.x)], off: [[100, 175]] }, "pressing centres the rectangle's middle");
    for (const moved of [step, 2 * step]) {
      await pageA.mouse.move(...onMap(map, start, { x: middle.x + moved, y: middle.y }), { steps: 4 });
      await waitForPixels(pageA, 'shapes', { on: [leftEdgeAt(middle.x + moved)], off: [leftEdgeAt(middle.x + moved - step)] }, `dragging ${moved} board units on moves the view with it`);
    }
    await pageA.mouse.up();
    const viewA = { x: middle.x + 2 * step - screen.width / 2, y: middle.y - screen.height / 2, ...screen };

    // B's viewport (still at the origin) is a rectangle in B's colour in A's minimap.
    const colorB = await pageB.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? 'null') as { color?: string } | null)?.color ?? '', IDENTITY_STORAGE_KEY);
    assert.match(colorB, /^#[0-9a-f]{6}$/i, "B's colour is stored");
    let before = { count: 0, x: 0, y: 0 };
    await poll(async () => (before = await pixelsOf(pageA, colorB)).count > 40, "A's minimap shows B's viewport in B's colour", 15_000);
    await screenshot(pageA, 'peer');

    // A click (no drag) on the rectangle's middle, in the fit of the rectangle and both views,
    // centres A's view on it again.
    const fitted = fitMinimap(extentOf([rect, origin, viewA])!, size);
    // A click lands on the map as it is shown: wait until it shows that fit (the drag's end is
    // drawn a frame later, and B's colour can show before).
    const [fittedX, fittedY] = onMap({ left: 0, top: 0 }, fitted, middle);
    const fittedBox = boardToMinimap(fitted, rect);
    await poll(async () => {
      const fill = await pixelsOf(pageA, MINIMAP_SHAPE_FILL, { x: fittedBox.x - 4, y: fittedBox.y - 4, width: fittedBox.width + 8, height: fittedBox.height + 8 });
      return fill.count > 0 && Math.abs(fill.x / ratio - fittedX) < 3 && Math.abs(fill.y / ratio - fittedY) < 3;
    }, "A's minimap shows the fit of the rectangle and both views");
    await pageA.mouse.click(...onMap(map, fitted, middle));
    await waitForPixels(pageA, 'shapes', { on: [leftEdgeAt(middle.x)], off: [leftEdgeAt(middle.x + 2 * step)] }, "a click centres the rectangle's middle");

    // B drags in its own minimap, from its left edge to its right: B's rectangle moves right in A's.
    const mapB = await minimapRect(pageB);
    await drag(pageB, [[mapB.left + 20, mapB.top + mapB.height / 2], [mapB.left + mapB.width - 10, mapB.top + mapB.height / 2]]);
    let after = before;
    await poll(async () => (after = await pixelsOf(pageA, colorB)).count > 40 && after.x > before.x + 10, "B's viewport in A's minimap follows B's drag to the right", 15_000);
    await screenshot(pageA, 'peer-moved');

    // The toggle button hides it and says so; Shift+M shows it again.
    await toggle.click();
    await poll(async () => (await pageA.locator('canvas[data-layer="minimap"]').isHidden()) && (await toggle.getAttribute('aria-pressed')) === 'false', 'the button hides the minimap', 5_000);
    await pageA.keyboard.press('Shift+M');
    await poll(async () => (await pageA.locator('canvas[data-layer="minimap"]').isVisible()) && (await toggle.getAttribute('aria-pressed')) === 'true', 'Shift+M shows it again', 5_000);

    assert.deepEqual(errors, []);
  });

  test('on by default in a large window; the choice is kept across a reload', async () => {
    const errors: string[] = [];
    const context = await suite.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openBoard(context, `${suite.server.httpUrl}/b/e2e-minimap-large-${Date.now()}`, errors, { watch: 'strict' });
    const toggle = page.getByRole('button', { name: 'Minimap', exact: true });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'on by default on a 1440 × 900 window');
    await minimapRect(page);
    await screenshot(page, 'large');
    await toggle.click();
    await page.reload();
    await page.locator('.status[data-status="connected"]').waitFor();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'still off after a reload');
    assert.ok(await page.locator('canvas[data-layer="minimap"]').isHidden(), 'and hidden');
    assert.deepEqual(errors, []);
  });

  test('a board of more shapes than one frame draws (12,000) fills the minimap once every part is drawn', async () => {
    const errors: string[] = [];
    const room = `e2e-minimap-many-${Date.now()}`;
    const observer = await suite.connect(room);
    // A 120 × 100 grid of 90-unit squares, 100 apart: nearly solid in the minimap, bottom rows last.
    const columns = 120;
    const rows = 100;
    let index: string | null = null;
    observer.doc.transact(() => {
      for (let i = 0; i < columns * rows; i++) {
        index = indexAbove(index === null ? [] : [{ index }]);
        const square: Shape = { ...DEFAULT_STYLE, ...NO_LABEL, id: `square-${i}`, type: 'rect', x: (i % columns) * 100, y: Math.floor(i / columns) * 100, width: 90, height: 90, rotation: 0, locked: false, index };
        writeShape(observer.doc, square);
      }
    }, LOCAL_ORIGIN);
    const context = await suite.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openBoard(context, `${suite.server.httpUrl}/b/${room}`, errors, { watch: 'strict' });
    const map = await minimapRect(page);
    const fit = fitMinimap({ x: 0, y: 0, width: columns * 100 - 10, height: rows * 100 - 10 }, { width: map.width, height: map.height });
    const grid = boardToMinimap(fit, { x: 0, y: 0, width: columns * 100 - 10, height: rows * 100 - 10 });
    let drawn = { count: 0, x: 0, y: 0 };
    // Shapes' pixels: grey, unlike the background and the blue own viewport.
    await poll(
      async () => {
        drawn = await page.evaluate(() => {
          const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="minimap"]')!;
          const copy = document.createElement('canvas');
          copy.width = canvas.width;
          copy.height = canvas.height;
          const context = copy.getContext('2d', { willReadFrequently: true })!;
          context.drawImage(canvas, 0, 0);
          const ratio = canvas.width / canvas.getBoundingClientRect().width;
          const { data, width } = context.getImageData(0, 0, copy.width, copy.height);
          let count = 0;
          let sumX = 0;
          let sumY = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i]! >= 150 && data[i]! < 0xf7 - 16) {
              count++;
              sumX += (i / 4) % width;
              sumY += Math.floor(i / 4 / width);
            }
          }
          return { count: count / ratio ** 2, x: count ? sumX / count / ratio : 0, y: count ? sumY / count / ratio : 0 };
        });
        return drawn.count > 0.8 * grid.width * grid.height && Math.abs(drawn.y - (grid.y + grid.height / 2)) < 4 && Math.abs(drawn.x - (grid.x + grid.width / 2)) < 4;
      },
      'the whole grid is drawn in the minimap',
      30_000,
    ).catch((error: Error) => assert.fail(`${error.message}: ${JSON.stringify(drawn)} for a grid at ${JSON.stringify(grid)}`));
    await screenshot(page, 'many');
    assert.deepEqual(errors, []);
  });
});
