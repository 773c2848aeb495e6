/**
 * Frames in the browser, two real pages on one board: A draws a frame (F) and shapes into it, one
 * of them reaching past the frame's edge; B shows that part cut off. A drags the frame by its
 * title: B shows the children moving with it while A still drags, clipped to it, and again once
 * dropped. A renames the frame by double-clicking its title; B's frames panel lists it and a
 * click there brings it into view; A exports the frame alone as a PNG, which holds the frame's
 * content and not the shape lying over it that is in no frame.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { Shape } from '../../shared/schema.ts';
import { boardSuite, drag, painted, TIMEOUT, waitForColor, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { pixelAt, readPng } from '../helpers/png-pixels.ts';
import { poll } from '../helpers/client.ts';

/** A folder to save screenshots in, for a person to look at (nothing compares them); none when unset. */
const SHOTS = process.env.EASEL_SCREENSHOTS;
const INK = '#1e1e1e';

/** Presses at `from` and moves through `points` without releasing. */
async function pressAndMove(page: Page, from: Probe, points: Probe[], steps = 8): Promise<void> {
  await page.mouse.move(from[0], from[1]);
  await page.mouse.down();
  for (const [x, y] of points) await page.mouse.move(x, y, { steps });
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `frames-${name}.png`) });
}

describe('frames between two pages', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('a frame drawn with F holds what is drawn in it, clipped; moved on A, B shows its children moved and clipped while A drags; renamed, listed, zoomed to and exported alone', async () => {
    const { pageA, pageB, errors, shapes, until } = await suite.openRoom(`e2e-frames-${Date.now()}`);
    const frameOf = (list: Shape[]) => list.find((s) => s.type === 'frame');

    // A frame 400 × 300 at (200, 200), and two rectangles drawn into it: the second reaches 80
    // past its right edge (its centre is inside, so it is the frame's too).
    await pageA.keyboard.press('f');
    await drag(pageA, [[200, 200], [600, 500]]);
    await until((s) => frameOf(s)?.x === 200 && (frameOf(s) as { width?: number }).width === 400, 'the frame is in the document');
    const frameId = frameOf(shapes())!.id;
    await pageA.keyboard.press('r');
    await drag(pageA, [[260, 260], [360, 340]]);
    await drag(pageA, [[480, 380], [680, 460]]);
    await until((s) => s.filter((shape) => shape.type === 'rect' && shape.frameId === frameId).length === 2, 'both rectangles are in the frame');
    const [inner, reaching] = shapes().filter((shape) => shape.type === 'rect');
    assert.deepEqual([inner?.x, inner?.y, reaching?.x, reaching?.y], [260, 260, 480, 380], 'children are read in board coordinates');

    // B draws the part inside the frame and not the part past its edge.
    await waitForColor(pageB, 'shapes', [560, 380], INK, "B draws the reaching rectangle's top edge inside the frame");
    await waitForPixels(pageB, 'shapes', { on: [[400, 350]], off: [[640, 380], [660, 460], [680, 420]] }, 'B clips the rectangle at the frame edge');
    await screenshot(pageB, 'b-clipped');

    // A drags the frame by its title 300 right and 100 down, and holds it there.
    await pageA.keyboard.press('v');
    await pressAndMove(pageA, [215, 188], [[515, 288]]);
    // A's own preview moves the children with the frame.
    await waitForColor(pageA, 'draft', [560, 400], INK, "A's preview shows the inner rectangle moved with the frame");
    // B, live: the frame is at (500, 300)–(900, 600), the inner rectangle's left edge at x 560,
    // the reaching one from 780 to 980, cut at 900.
    await waitForColor(pageB, 'shapes', [560, 400], INK, 'B shows the inner rectangle moving with the frame while A drags');
    await waitForColor(pageB, 'shapes', [850, 480], INK, 'B shows the reaching rectangle moving with the frame');
    await waitForPixels(pageB, 'shapes', { on: [[700, 450]], off: [[940, 480], [960, 560], [300, 300], [260, 300]] }, 'B clips the moving child at the moved frame, and nothing is left behind');
    await screenshot(pageB, 'b-while-dragging');
    assert.equal(frameOf(shapes())?.x, 200, 'the document still has the frame where it was while A drags');
    await pageA.mouse.up();
    await until((s) => frameOf(s)?.x === 500 && frameOf(s)?.y === 300, 'the move is in the document on release');
    const moved = shapes().filter((shape) => shape.type === 'rect');
    assert.deepEqual(moved.map((s) => [s.x, s.y, s.frameId]), [[560, 360, frameId], [780, 480, frameId]], 'the children moved with the frame, still its children');
    await waitForColor(pageB, 'shapes', [560, 400], INK, 'B shows the inner rectangle where it was dropped');
    await waitForPixels(pageB, 'shapes', { on: [[700, 450]], off: [[940, 480], [960, 560]] }, 'B keeps the child clipped after the drop');

    // A shape in no frame lying over the frame's right part (its centre is outside it).
    await pageA.keyboard.press('r');
    await drag(pageA, [[850, 350], [1000, 450]]);
    await until((s) => s.some((shape) => shape.type === 'rect' && shape.x === 850 && shape.frameId === undefined), 'a rectangle over the frame, in no frame');
    await waitForColor(pageB, 'shapes', [850, 400], INK, 'B draws it above the frame');

    // Rename: a double-click on the title opens the editor; Enter writes the name.
    await pageA.keyboard.press('v');
    await pageA.mouse.dblclick(515, 288);
    const editor = pageA.locator('.frame-title-editor');
    await editor.waitFor({ state: 'visible', timeout: TIMEOUT });
    await editor.fill('Sketches');
    await editor.press('Enter');
    await until((s) => (frameOf(s) as { name?: string } | undefined)?.name === 'Sketches', 'the new name is in the document');
    assert.equal(await editor.isVisible(), false, 'the editor closes on Enter');

    // B's frames panel lists it by name; a click brings it into view wherever B looks.
    await pageB.mouse.move(600, 400);
    await pageB.mouse.wheel(2000, 1500);
    await waitForPixels(pageB, 'shapes', { on: [], off: [[600, 400], [420, 420]] }, 'B looks elsewhere');
    await pageB.click('[data-action="frames"]');
    const entry = pageB.locator('.frames-entry');
    await poll(async () => (await entry.count()) === 1 && (await entry.first().innerText()).includes('Sketches'), 'the panel lists the frame by its name', TIMEOUT);
    await entry.locator('[data-action="zoom-to-frame"]').click();
    // Fitted (never past 100 %): the frame's box (500, 300)–(900, 600), its title above, centred in the 1200 × 800 view.
    await waitForPixels(pageB, 'shapes', { on: [[420, 420], [600, 400], [780, 540]], off: [[380, 420], [600, 200], [820, 540]] }, 'B shows the frame in the middle of the view');
    await screenshot(pageB, 'b-zoomed-to-frame');

    // Export: with the frame selected, PNG exports it alone: its 400 × 300 box at 2 px per unit.
    await pageA.mouse.click(515, 288);
    await poll(async () => (await pageA.getAttribute('[data-action="export-png"]', 'data-target')) === 'frame', 'the PNG button exports the selected frame', TIMEOUT);
    const [file] = await Promise.all([pageA.waitForEvent('download', { timeout: TIMEOUT }), pageA.click('[data-action="export-png"]')]);
    assert.match(file.suggestedFilename(), /Sketches\.png$/);
    const png = await readFile(await file.path());
    // Board points, from the frame's origin (500, 300), at 2 px per unit.
    const read = await readPng(pageA, png, [
      pixelAt((560 - 500) * 2, (400 - 300) * 2),
      pixelAt((850 - 500) * 2, (480 - 300) * 2 + 1),
      pixelAt((850 - 500) * 2, (400 - 300) * 2),
      pixelAt((700 - 500) * 2, (450 - 300) * 2),
    ]);
    const [innerEdge, reachingEdge, overlying, empty] = read.areas.map((area) => area[0]!);
    const pixels = { width: read.width, height: read.height, innerEdge: innerEdge!, reachingEdge: reachingEdge!, overlying: overlying!, empty: empty! };
    assert.deepEqual([pixels.width, pixels.height], [800, 600], "the picture is the frame's box");
    assert.ok(pixels.innerEdge[0]! < 100, `the inner child is in it: ${pixels.innerEdge}`);
    assert.ok(pixels.reachingEdge[0]! < 100, `the reaching child's part inside is in it: ${pixels.reachingEdge}`);
    assert.deepEqual(pixels.overlying, [255, 255, 255, 255], `the shape in no frame lying over it is not: ${pixels.overlying}`);
    assert.deepEqual(pixels.empty, [255, 255, 255, 255], 'the frame is white where nothing is drawn');
    assert.deepEqual(await painted(pageA, 'shapes', [[850, 400]]), [true], 'on the board that shape is drawn over the frame');
    assert.deepEqual(errors, []);
  });
});
