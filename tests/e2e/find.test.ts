/**
 * Ctrl+F in the browser, on a board seeded by another client with one word in a note far
 * off-screen, in a rectangle's label and in a frame's title. Ctrl+F opens the board's find instead
 * of the browser's; typing the word lists the three; Enter moves the view so the note is in the
 * middle of the screen and selected, Enter again goes to the label, Shift+Enter back, a click to
 * the frame; Esc closes the panel and the keys are the board's again. While a note is being typed
 * into, Ctrl+F is left to the browser, as in every other field.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readAllShapes, writeShape } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import type { Shape } from '../../shared/schema.ts';
import { boardSuite, openBoard, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { poll } from '../helpers/client.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';
import { frameBounds } from '../../client/shapes/frame/frame-geometry.ts';

/** A folder to save screenshots in, for a person to look at (nothing compares them); none when unset. */
const SHOTS = process.env.EASEL_SCREENSHOTS;
const WORD = 'Zephyrine';

function shape(type: string, id: string, index: string, x: number, y: number, text: string): Shape {
  const base = sampleShape(DEFS.find((def) => def.type === type)!, { id, index, x, y });
  return (type === 'frame' ? { ...base, name: text } : { ...base, text }) as Shape;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `find-${name}.png`) });
}

/** Presses Ctrl+F on whatever has the focus; true if the page took it from the browser. */
function pressCtrlF(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new KeyboardEvent('keydown', { key: 'f', code: 'KeyF', ctrlKey: true, bubbles: true, cancelable: true });
    (document.activeElement ?? document.body).dispatchEvent(event);
    return event.defaultPrevented;
  });
}

describe('find on the board', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('Ctrl+F lists a note, a label and a frame title holding a word; Enter moves the view to each and selects it; Esc gives the keys back', async () => {
    const room = `e2e-find-${Date.now()}`;
    const writer = await suite.connect(room);
    // At 100 % a jump puts the shape's centre in the middle of the 1200 × 800 view: the 200 × 200
    // note on (500, 300)–(700, 500), the 160 × 100 box on (520, 350)–(680, 450).
    writer.doc.transact(() => {
      writeShape(writer.doc, shape('rect', 'near', 'a0', 100, 100, 'nothing to see'));
      writeShape(writer.doc, shape('sticky', 'note', 'a1', 5000, 4000, `Meet at the ${WORD} cafe`));
      writeShape(writer.doc, shape('rect', 'box', 'a2', -3000, 2000, `${WORD.toLowerCase()} budget`));
      writeShape(writer.doc, shape('frame', 'plans', 'a3', -1000, -2000, `${WORD} plans`));
    }, REMOTE_ORIGIN);
    const errors: string[] = [];
    const page = await openBoard(await suite.newContext(), `${suite.server.httpUrl}/b/${room}`, errors, { watch: 'strict' });
    await waitForPixels(page, 'shapes', { on: [[100, 150]], off: [[600, 400]] }, 'the page shows the box near the origin, nothing in the middle');

    assert.equal(await pressCtrlF(page), true, "Ctrl+F is the board's find, not the browser's");
    const panel = page.locator('.find-panel');
    const input = page.locator('.find-input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.equal(await input.evaluate((element) => element === document.activeElement), true, 'the field has the typing');

    await page.keyboard.type(WORD.slice(0, 6).toUpperCase());
    const matches = page.locator('.find-match');
    const count = page.locator('.find-count');
    await poll(async () => (await matches.count()) === 3, 'the note, the label and the frame are listed, case ignored', TIMEOUT);
    assert.deepEqual(await matches.allInnerTexts(), [`Meet at the ${WORD} cafe`, `${WORD.toLowerCase()} budget`, `${WORD} plans`], 'in z-order, each with its excerpt');
    assert.equal(await count.innerText(), '3 matches');
    const currentId = (): Promise<string | null> => page.locator('.find-match[aria-current="true"]').getAttribute('data-shape-id');
    // A jump centres the match, at 100 %, in the board the panel leaves free below it: `at` is a
    // point that far from that centre.
    let middle: Probe = [600, (800 + (await panel.evaluate((element: HTMLElement) => element.offsetTop + element.offsetHeight))) / 2];
    const at = (dx: number, dy: number): Probe => [middle[0] + dx, Math.round(middle[1] + dy)];
    const noteCorners = (): Probe[] => [at(-100, -100), at(100, 100)];

    await page.keyboard.press('Enter');
    await waitForPixels(page, 'shapes', { on: [at(0, 0), at(-80, -80)], off: [[100, 150], at(-140, 0)] }, 'the note fills the middle of the free board, the box near the origin is gone');
    await waitForPixels(page, 'overlay', { on: noteCorners(), off: [] }, 'the note is selected (handles at its corners)');
    assert.equal(await count.innerText(), '1 of 3');
    assert.equal(await currentId(), 'note');
    await screenshot(page, 'first-match');

    await page.keyboard.press('Enter');
    await poll(async () => (await count.innerText()) === '2 of 3', 'Enter goes on to the label', TIMEOUT);
    assert.equal(await currentId(), 'box');
    // The box is 160 × 100: 90 left of the middle is off it, where the note's left part was.
    await waitForPixels(page, 'shapes', { on: [at(0, 0)], off: [at(-90, 0)] }, 'the labelled box in the middle');
    await waitForPixels(page, 'overlay', { on: [at(-80, -50), at(80, 50)], off: [at(-100, -100)] }, 'and selected in place of the note');

    await page.keyboard.press('Shift+Enter');
    await poll(async () => (await count.innerText()) === '1 of 3', 'Shift+Enter goes back to the note', TIMEOUT);
    await waitForPixels(page, 'overlay', { on: noteCorners(), off: [] }, 'the note is selected again');

    // A click on a listed match jumps to it and leaves the typing in the field. A frame is fitted
    // and selected with its title band, the box its bounds give.
    const bounds = frameBounds(shape('frame', 'plans', 'a3', -1000, -2000, '') as Extract<Shape, { type: 'frame' }>);
    const frameCorners = [-1, 1].map((side) => at(Math.round((side * bounds.width) / 2), (side * bounds.height) / 2));
    await matches.nth(2).click();
    await poll(async () => (await count.innerText()) === '3 of 3', 'a click goes to the frame', TIMEOUT);
    await waitForPixels(page, 'overlay', { on: frameCorners, off: [] }, 'the frame is selected');
    assert.equal(await input.evaluate((element) => element === document.activeElement), true, 'the field keeps the typing after a click');

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await waitForPixels(page, 'overlay', { on: frameCorners, off: [] }, 'Esc closes the panel and leaves the last match selected');
    // The keys are the board's again: Delete deletes the selected frame.
    await page.keyboard.press('Delete');
    await poll(() => !readAllShapes(writer.doc).some((shape) => shape.id === 'plans'), 'Delete after Esc deletes the frame for everyone', TIMEOUT);

    // Opened again, the panel has the last query, searched afresh: the frame is gone from it.
    await page.keyboard.press('Control+F');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.equal(await input.inputValue(), WORD.slice(0, 6).toUpperCase());
    assert.equal(await count.innerText(), '2 matches');
    middle = [600, (800 + (await panel.evaluate((element: HTMLElement) => element.offsetTop + element.offsetHeight))) / 2];
    await page.keyboard.press('Enter');
    await poll(async () => (await count.innerText()) === '1 of 2', 'Enter goes to the note', TIMEOUT);
    await waitForPixels(page, 'overlay', { on: noteCorners(), off: [] }, 'below the shorter panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden', timeout: TIMEOUT });

    // Typing into the note, Ctrl+F is the browser's (it finds in what is being typed); the
    // editor stays open with the typing and the board's panel stays shut.
    await page.mouse.dblclick(...at(0, 0));
    const editor = page.locator('.text-editor[data-kind="sticky"]');
    await editor.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.equal(await pressCtrlF(page), false, 'Ctrl+F in a note is left to the browser');
    assert.equal(await panel.isHidden(), true, "the board's panel stays shut");
    assert.equal(await editor.evaluate((element) => element === document.activeElement), true, 'the note keeps the typing');
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden', timeout: TIMEOUT });
    assert.deepEqual(errors, []);
  });
});
