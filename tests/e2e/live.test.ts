/**
 * Drawing together, live: two real pages on one board, and what one is in the middle of doing
 * (a stroke, a drag, a resize) shows on the other before it lets go, while the document still
 * gets one update at the end. A page that joins mid-gesture sees it; a page that closes
 * mid-gesture takes it away.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { boardSuite, openBoard, painted, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { poll } from '../helpers/client.ts';

/** Presses at `from` and moves through `points` without releasing. */
async function pressAndMove(page: Page, from: Probe, points: Probe[], steps = 8): Promise<void> {
  await page.mouse.move(from[0], from[1]);
  await page.mouse.down();
  for (const [x, y] of points) await page.mouse.move(x, y, { steps });
}

describe('live gestures between two pages', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  // A V-shaped stroke; probes sit on its two arms.
  const STROKE: Probe[] = [[200, 400], [300, 480], [400, 400]];
  const STROKE_PROBES: Probe[] = [[250, 440], [350, 440]];

  test("B sees A's stroke while A draws it, a page joining meanwhile sees it too, and the document gets it once, on release", async () => {
    const { pageA, pageB, errors, url, shapes, until, observer } = await suite.openRoom(`e2e-live-stroke-${Date.now()}`);
    let updates = 0;
    observer.doc.on('update', () => (updates += 1));
    await pageA.keyboard.press('p');
    await pressAndMove(pageA, STROKE[0]!, STROKE.slice(1));
    await waitForPixels(pageB, 'draft', { on: STROKE_PROBES, off: [] }, "B shows A's stroke being drawn");
    assert.equal(shapes().length, 0, 'nothing is in the document while A still draws');
    assert.equal(updates, 0, 'no document update while A still draws');

    // Someone opening the board now sees the stroke in progress, not a backlog.
    const late = await openBoard(await suite.newContext(), url, errors, { watch: 'strict' });
    await waitForPixels(late, 'draft', { on: STROKE_PROBES, off: [] }, 'a page that joined mid-stroke shows it');

    await pageA.mouse.up();
    await until((s) => s.length === 1 && s[0]?.type === 'ink', 'the stroke is in the document once released');
    await poll(() => updates >= 1, 'the document got the stroke');
    assert.equal(updates, 1, 'one document update for the whole stroke');
    for (const page of [pageB, late]) {
      await waitForPixels(page, 'shapes', { on: STROKE_PROBES, off: [] }, 'the committed stroke is drawn');
      await waitForPixels(page, 'draft', { on: [], off: STROKE_PROBES }, 'the preview is gone once committed');
    }
    assert.deepEqual(errors, []);
  });

  test("B sees A's rectangle move and resize while A drags, and the outline of A's selection follows it", async () => {
    const { pageA, pageB, errors, shapes, until } = await suite.openRoom(`e2e-live-drag-${Date.now()}`);
    await pageA.keyboard.press('r');
    await pageA.mouse.move(300, 200);
    await pageA.mouse.down();
    await pageA.mouse.move(500, 350, { steps: 6 });
    await pageA.mouse.up();
    await until((s) => s.length === 1, 'the rectangle is in the document');
    const oldEdges: Probe[] = [[300, 275], [400, 200]];
    await waitForPixels(pageB, 'shapes', { on: oldEdges, off: [] }, 'B shows the rectangle');

    // Drag it 300 px to the right without letting go.
    await pageA.keyboard.press('v');
    await pressAndMove(pageA, [400, 200], [[700, 200]]);
    const movedEdges: Probe[] = [[600, 275], [700, 200], [800, 275]];
    await waitForPixels(pageB, 'shapes', { on: movedEdges, off: oldEdges }, 'B shows the rectangle moving with A');
    await waitForPixels(pageB, 'presence', { on: [[590, 275]], off: [[290, 275]] }, "A's selection outline on B moves along");
    const during = shapes()[0];
    assert.equal(during?.x, 300, 'the document still has the old place while A drags');
    await pageA.mouse.up();
    await until((s) => s[0]?.x === 600, 'the move is in the document on release');

    // Resize from the bottom-right handle (on the selection box, 5 px out from the shape's edge,
    // 6 px from its geometry with the stroke): the pointer 100 px further makes it 106 px larger.
    const [shape] = shapes();
    assert.ok(shape?.type === 'rect');
    const right = shape.x + shape.width;
    const bottom = shape.y + shape.height;
    await pressAndMove(pageA, [right + 6, bottom + 6], [[right + 106, bottom + 106]]);
    await waitForPixels(pageB, 'shapes', { on: [[right + 106, bottom]], off: [[right, bottom - 50]] }, 'B shows the rectangle growing while A resizes');
    assert.equal((shapes()[0] as { width: number }).width, 200, 'the document keeps the old size while A resizes');
    await pageA.mouse.up();
    await until((s) => (s[0] as { width?: number }).width === 306, 'the resize is in the document on release');
    assert.deepEqual(errors, []);
  });

  test("a page that closes mid-stroke takes its stroke away from the others, and nothing is stored", async () => {
    const { pageA, pageB, errors, shapes } = await suite.openRoom(`e2e-live-leave-${Date.now()}`);
    await pageA.keyboard.press('p');
    await pressAndMove(pageA, STROKE[0]!, STROKE.slice(1));
    await waitForPixels(pageB, 'draft', { on: STROKE_PROBES, off: [] }, "B shows A's stroke being drawn");
    await pageA.context().close();
    await waitForPixels(pageB, 'draft', { on: [], off: STROKE_PROBES }, 'the stroke goes when A leaves', TIMEOUT);
    assert.equal(shapes().length, 0);
    assert.deepEqual(await painted(pageB, 'shapes', STROKE_PROBES), [false, false]);
    assert.deepEqual(errors, []);
  });
});
