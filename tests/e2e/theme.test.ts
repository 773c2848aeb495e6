/**
 * End to end: dark mode. A browser whose system setting is dark opens the board dark; a default
 * (black) rectangle, a text and a note drawn on it read on the dark board (WCAG contrast of the
 * drawn pixels against the background, from a screenshot of the page); the Theme button switches
 * to light without a reload and the choice outlives one; the document keeps the colour as drawn;
 * an SVG export keeps it too, unless "Dark background" is pressed.
 *
 * Set E2E_SCREENSHOTS=<folder> to keep screenshots of both themes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { Shape } from '../../shared/schema.ts';
import { readAllShapes } from '../../shared/doc.ts';
import { poll, waitFor } from '../helpers/client.ts';
import { boardSuite, darkPixelsIn, drag, openBoard, TIMEOUT } from '../helpers/board-page.ts';
import { contrast, luminance } from '../helpers/contrast.ts';
import { pixelAt, readPng } from '../helpers/png-pixels.ts';

type Area = [left: number, top: number, right: number, bottom: number];
type Rgb = [number, number, number];

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`) });
}

/** The page's pixels in `area` as the screen shows them (all layers and the CSS background). */
async function pixels(page: Page, [left, top, right, bottom]: Area): Promise<Rgb[]> {
  const png = await page.screenshot({ clip: { x: left, y: top, width: right - left, height: bottom - top } });
  // The pages' device pixel ratio is 1: the screenshot is the clip's size.
  const { areas } = await readPng(page, png, [{ x: 0, y: 0, width: right - left, height: bottom - top }]);
  return areas[0]!.map(([r, g, b]) => [r, g, b]);
}

/** The colour most of `area` has: the background of an empty area, a note's paper. */
async function backgroundOf(page: Page, area: Area): Promise<Rgb> {
  const counts = new Map<string, number>();
  for (const p of await pixels(page, area)) counts.set(p.join(','), (counts.get(p.join(',')) ?? 0) + 1);
  const [top] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return top.split(',').map(Number) as Rgb;
}

/** The best contrast any pixel of `area` has against `background`: a stroke's or a glyph's core. */
async function inkContrast(page: Page, area: Area, background: Rgb): Promise<number> {
  return Math.max(...(await pixels(page, area)).map((p) => contrast(p, background)));
}

async function download(page: Page, action: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click(`[data-action="${action}"]`)]);
  return readFile(await file.path());
}

/**
 * An exported PNG's top left pixel (its background) and its pixel row `row` from the left edge to
 * column `columns`, decoded in the page.
 */
async function pngRow(page: Page, png: Buffer, row: number, columns: number): Promise<{ corner: Rgb; line: Rgb[] }> {
  const { areas } = await readPng(page, png, [pixelAt(0, 0), { x: 0, y: row, width: columns, height: 1 }]);
  const rgb = ([r, g, b]: [number, number, number, number]): Rgb => [r, g, b];
  return { corner: rgb(areas[0]![0]!), line: areas[1]!.map(rgb) };
}

describe('dark mode in the browser', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'errors' });

  test('a dark system shows a legible dark board; the toggle switches to light live; the document and exports keep the drawn colours', async () => {
    const room = `e2e-theme-${Date.now()}`;
    const observer = await suite.connect(room);
    const context = await suite.newContext({ colorScheme: 'dark', acceptDownloads: true });
    const errors: string[] = [];
    const page = await openBoard(context, `${suite.server.httpUrl}/b/${room}`, errors, { watch: 'errors' });
    const shapes = (): Shape[] => readAllShapes(observer.doc);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the system says dark');

    // A rectangle from (300, 200) to (500, 320), a text at (650, 220) and a note around (900, 450).
    await page.keyboard.press('r');
    await drag(page, [[300, 200], [500, 320]]);
    await page.keyboard.press('t');
    await page.mouse.click(650, 220);
    await page.keyboard.type('Hello');
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.mouse.click(900, 450);
    await page.keyboard.type('Note');
    await page.keyboard.press('Escape');
    await page.keyboard.press('v');
    await waitFor(() => shapes().length === 3 && shapes().some((s) => s.type === 'text' && s.text === 'Hello') && shapes().some((s) => s.type === 'sticky' && s.text === 'Note'), { doc: observer.doc }, 'three shapes', TIMEOUT);
    await page.mouse.click(700, 650);
    const rect = shapes().find((s) => s.type === 'rect')!;
    assert.equal(rect.strokeColor, '#1e1e1e');
    const text = shapes().find((s) => s.type === 'text')!;
    const textArea: Area = [text.x - 2, text.y - 2, text.x + 80, text.y + 40];
    const note = shapes().find((s) => s.type === 'sticky')!;
    assert.ok(note.type === 'sticky');
    const noteText: Area = [note.x + 4, note.y + 4, note.x + 80, note.y + 50];
    const notePaper: Area = [note.x + 10, note.y + note.height - 40, note.x + note.width - 10, note.y + note.height - 10];
    const empty: Area = [560, 400, 640, 480];
    const edge: Area = [294, 240, 306, 280];
    // The shapes layer draws light strokes: the old "dark pixels" check finds none on the edge.
    await poll(async () => (await page.locator('canvas[data-layer="shapes"]').count()) > 0 && (await darkPixelsIn(page, [295, 195, 505, 205])) === 0, 'the rectangle is not drawn dark', TIMEOUT);

    const checkLegible = async (theme: 'dark' | 'light'): Promise<void> => {
      const background = await backgroundOf(page, empty);
      assert.ok(theme === 'dark' ? luminance(background) < 0.05 : luminance(background) > 0.8, `${theme} background: ${background}`);
      await poll(async () => (await inkContrast(page, edge, background)) >= 4.5, `${theme}: the rectangle's stroke has 4.5:1 against the board`, TIMEOUT);
      await poll(async () => (await inkContrast(page, textArea, background)) >= 4.5, `${theme}: the text has 4.5:1 against the board`, TIMEOUT);
      const paper = await backgroundOf(page, notePaper);
      assert.ok(theme === 'dark' ? luminance(paper) < 0.15 : luminance(paper) > 0.6, `${theme} note paper: ${paper}`);
      assert.ok((await inkContrast(page, noteText, paper)) >= 4.5, `${theme}: the note's text has 4.5:1 against its paper`);
    };
    await checkLegible('dark');
    await screenshot(page, 'theme-dark');
    // The help dialog lists the key, and reads in the dark theme too.
    await page.keyboard.press('?');
    const help = page.locator('dialog.help-dialog');
    await help.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.match((await help.innerText()).replace(/\s+/g, ' '), /Light \/ dark theme Alt\+Shift\+D/);
    await screenshot(page, 'theme-dark-help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden', timeout: TIMEOUT });

    // The toggle switches to light in place: the same page (no reload), the same document.
    await page.evaluate(() => Object.assign(window, { easelSamePage: true }));
    await page.getByRole('button', { name: 'Theme', exact: true }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await checkLegible('light');
    assert.equal(await page.evaluate(() => (window as unknown as { easelSamePage?: boolean }).easelSamePage), true, 'no reload');
    await screenshot(page, 'theme-light');
    assert.equal(shapes().find((s) => s.type === 'rect')!.strokeColor, '#1e1e1e', 'the document keeps the colour as drawn');

    // Remembered: a reload stays light although the system is dark; the key switches back to
    // dark, which is the system's, so the page follows the system again.
    await page.reload();
    await page.locator('.status[data-status="connected"]').waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.mouse.click(700, 650);
    await page.keyboard.press('Alt+Shift+D');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.evaluate(() => localStorage.getItem('easel-theme')), null, 'back to following the system');
    await checkLegible('dark');

    // Exports from the dark page keep the colours as drawn, on white, unless asked for dark.
    const svg = (await download(page, 'export-svg')).toString('utf8');
    assert.match(svg, /stroke="#1e1e1e"/);
    assert.match(svg, /fill="#ffffff"/);
    assert.doesNotMatch(svg, /#e3e3e3|#121212/);
    await page.click('[data-action="export-dark"]');
    assert.equal(await page.getAttribute('[data-action="export-dark"]', 'aria-pressed'), 'true');
    const darkSvg = (await download(page, 'export-svg')).toString('utf8');
    assert.match(darkSvg, /stroke="#e3e3e3"/);
    assert.match(darkSvg, /fill="#121212"/);
    assert.doesNotMatch(darkSvg, /#1e1e1e/);
    // The PNG likewise. The picture starts 16 units left of and above the rectangle's stroke (its
    // top left at (299, 199)), at 2 px per unit: row 154 crosses its left edge, at board y 260.
    const edgeRow = (260 - 199 + 16) * 2;
    const darkPng = await pngRow(page, await download(page, 'export-png'), edgeRow, 60);
    assert.deepEqual(darkPng.corner, [0x12, 0x12, 0x12], 'the dark background');
    assert.ok(Math.max(...darkPng.line.map((p) => contrast(p, darkPng.corner))) >= 4.5, 'a light edge on it');
    await page.click('[data-action="export-dark"]');
    const drawnPng = await pngRow(page, await download(page, 'export-png'), edgeRow, 60);
    assert.deepEqual(drawnPng.corner, [255, 255, 255], 'as drawn: white');
    assert.ok(drawnPng.line.some((p) => p[0] < 0x40 && p[1] < 0x40 && p[2] < 0x40), 'and the edge as drawn, near black');
    assert.equal(shapes().find((s) => s.type === 'rect')!.strokeColor, '#1e1e1e', 'exporting dark writes nothing');
    assert.deepEqual(errors, []);
  });

  test('a dark page is dark from its first script, before the app has loaded', async () => {
    const context = await suite.newContext({ colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      // Hold the app's chunk back: what shows meanwhile is the page and its first script only.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(/\/assets\/main-[^/]*\.js$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${suite.server.httpUrl}/b/e2e-theme-early-${Date.now()}`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark', null, { timeout: TIMEOUT });
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(18, 18, 18)');
      assert.equal(await page.locator('canvas[data-layer="shapes"]').count(), 0, 'the app has not loaded yet');
      release();
      await page.locator('canvas[data-layer="shapes"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    } finally {
      await context.close();
    }
  });
});
