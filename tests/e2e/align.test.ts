/**
 * Align and snap on a real page: three rectangles at different places, Select all, the style
 * panel's "Align left" button lines them up (one Ctrl+Z puts them back); a drag that ends near
 * another shape's left edge lands exactly on it with a guide on the overlay while it runs, and the
 * same drag with Alt held lands where the pointer let go. A screenshot of the snapped drag is kept
 * at /tmp/snap.png; set E2E_SCREENSHOTS=<folder> to keep one of the align buttons too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { boardSuite, drag, painted, waitForPixels } from '../helpers/board-page.ts';
import { poll } from '../helpers/client.ts';
import type { Shape } from '../../shared/schema.ts';

/** The three rectangles, drawn by dragging from corner to corner (page px). */
const RECTS = [
  { from: [300, 150], to: [400, 230] },
  { from: [450, 300], to: [530, 360] },
  { from: [620, 450], to: [740, 540] },
] as const;

/** Keeps a screenshot when E2E_SCREENSHOTS names a folder. */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`) });
}

const byX = (shapes: Shape[]): Shape[] => [...shapes].sort((a, b) => a.x - b.x);

describe('align and snap', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('Align left lines up three shapes in one undo step; a drag snaps to an edge with a guide, not with Alt; the keys are in the help', async () => {
    const { pageA: page, shapes, until } = await suite.openRoom(`e2e-align-${Date.now()}`);
    await page.keyboard.press('r');
    for (const { from, to } of RECTS) await drag(page, [[...from], [...to]]);
    await until((s) => s.length === 3, 'the three rectangles are in the document');
    const before = byX(shapes()).map((shape) => shape.x);
    assert.equal(new Set(before).size, 3, 'three different lefts');

    await page.keyboard.press('v');
    await page.keyboard.press('Control+a');
    const button = page.getByRole('button', { name: 'Align left', exact: true });
    await button.waitFor({ state: 'visible' });
    await screenshot(page, 'align-buttons');
    await button.click();
    await until((s) => s.every((shape) => shape.x === before[0]), 'every shape shares the leftmost edge');
    await page.keyboard.press('Control+z');
    await until((s) => byX(s).map((shape) => shape.x).join() === before.join(), 'one Ctrl+Z puts them all back');

    // Drag the second rectangle by its top edge so its left edge ends 3 px right of the first's.
    await page.keyboard.press('Escape');
    const [first, second] = RECTS;
    const dx = first.from[0] + 3 - second.from[0];
    const press = [second.from[0] + 40, second.from[1]] as const;
    const end = [press[0] + dx, press[1] + 20] as const;
    // Between the two rectangles, on the first's left edge: only a guide paints there.
    const onGuide: [number, number] = [first.from[0], 265];
    const offGuide: [number, number] = [first.from[0] + 40, 265];
    await page.mouse.move(...press);
    await page.mouse.down();
    await page.mouse.move(...end, { steps: 10 });
    await waitForPixels(page, 'overlay', { on: [onGuide], off: [offGuide] }, 'a guide on the first rectangle\'s left edge while snapped');
    await page.screenshot({ path: '/tmp/snap.png' });
    await page.mouse.up();
    /** The dragged rectangle (the second drawn: between the others in height), and the first (the top one). */
    const moved = (s: Shape[]) => s.find((shape) => shape.y > 250 && shape.y < 400)!;
    const left = (s: Shape[]) => s.find((shape) => shape.y < 200)!;
    await until((s) => moved(s).x !== before[1], 'the drag is in the document');
    assert.equal(moved(shapes()).x, left(shapes()).x, 'the left edges are exactly equal');
    await poll(async () => !(await painted(page, 'overlay', [onGuide], 1))[0]!, 'the guide goes on release', 5_000);

    // The same drag with Alt held: no snap.
    await page.keyboard.press('Control+z');
    await until((s) => moved(s).x === before[1], 'undone');
    await page.keyboard.press('Escape');
    await page.mouse.move(...press);
    await page.keyboard.down('Alt');
    await page.mouse.down();
    await page.mouse.move(...end, { steps: 10 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await until((s) => moved(s).x !== before[1], 'the Alt drag landed');
    assert.equal(moved(shapes()).x, left(shapes()).x + 3, 'with Alt, where the pointer let go: 3 px off the edge');

    // The keys are in the help, from the same table; Ctrl+' turns grid snapping on, as its button shows.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Align left', { exact: true }).waitFor();
    const text = (await help.textContent()) ?? '';
    assert.match(text, /Align leftCtrl\+Shift\+←/);
    assert.match(text, /Distribute horizontallyAlt\+H/);
    assert.match(text, /Snap to grid on \/ offCtrl\+'/);
    await page.keyboard.press('Escape');
    const grid = page.getByRole('button', { name: /^Snap to grid/ });
    assert.equal(await grid.getAttribute('aria-pressed'), 'false');
    await page.keyboard.press("Control+'");
    await poll(async () => (await grid.getAttribute('aria-pressed')) === 'true', "Ctrl+' turns grid snapping on", 5_000);
  });
});
