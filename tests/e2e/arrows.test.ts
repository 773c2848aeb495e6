/**
 * End to end: an arrow drawn with the mouse between two rectangles, switched to Elbow in the style
 * panel; moving one rectangle on page A re-routes the arrow on page B, still attached. The arrow's
 * record is never rewritten by the move: page B derives its ends and route from the rectangles.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createBoard } from '../../client/model/board.ts';
import type { LinearShape } from '../../shared/schema.ts';
import { boardSuite, drag, waitForPixels, type Probe } from '../helpers/board-page.ts';

/** A folder to save screenshots in, for a person to look at (nothing compares them); none when unset. */
const SHOTS = process.env.EASEL_SCREENSHOTS;

async function screenshot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `arrows-${name}.png`) });
}

describe('arrows between two pages', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('an arrow switched to elbow re-routes on the other page when a bound rectangle moves, and stays attached', async () => {
    const { pageA, pageB, errors, observer, shapes, until } = await suite.openRoom(`e2e-arrows-${Date.now()}`);
    await pageA.keyboard.press('r');
    await drag(pageA, [[200, 300], [350, 420]]);
    await pageA.keyboard.press('r');
    await drag(pageA, [[600, 500], [750, 620]]);
    await pageA.keyboard.press('a');
    await drag(pageA, [[275, 360], [675, 560]]);
    await until((s) => s.some((shape) => shape.type === 'arrow'), 'the arrow is in the document');
    const arrow = shapes().find((shape) => shape.type === 'arrow') as LinearShape;
    const [from, to] = shapes().filter((shape) => shape.type === 'rect');
    assert.ok(from && to);
    assert.deepEqual([arrow.startBinding, arrow.endBinding], [from.id, to.id], 'both ends bound where they were dropped');
    assert.deepEqual([arrow.startAnchor, arrow.endAnchor], [{ x: 0.5, y: 0.5 }, { x: 0.5, y: 0.5 }], 'anchored at the shapes’ middles');

    // Select the arrow by its middle and switch it to elbow.
    await pageA.keyboard.press('v');
    await pageA.mouse.click(475, 460);
    await pageA.click('[data-style="arrowKind"][data-value="elbow"]');
    await until((s) => s.some((shape) => shape.type === 'arrow' && shape.arrowKind === 'elbow'), 'the arrow is an elbow arrow');
    await screenshot(pageB, 'elbow');

    // Move the second rectangle up and to the right, by its left edge.
    await pageA.keyboard.press('Escape');
    await drag(pageA, [[600, 560], [700, 400], [800, 260]]);
    await until((s) => s.some((shape) => shape.id === to.id && shape.x === 800 && shape.y === 200), 'the rectangle moved');
    const stored = shapes().find((shape) => shape.id === arrow.id) as LinearShape;
    assert.equal(stored.arrowKind, 'elbow');
    assert.deepEqual([stored.startBinding, stored.endBinding], [from.id, to.id], 'still bound');

    // What every reader derives from the document: the route from the rectangles.
    const board = createBoard(observer.doc);
    const routed = board.get(arrow.id) as LinearShape;
    board.close();
    const points: Probe[] = [];
    for (let i = 0; i + 1 < routed.points.length; i += 2) points.push([routed.x + routed.points[i]!, routed.y + routed.points[i + 1]!]);
    assert.ok(points.length >= 3, `the route bends: ${JSON.stringify(points)}`);
    for (let i = 1; i < points.length; i++) assert.ok(points[i]![0] === points[i - 1]![0] || points[i]![1] === points[i - 1]![1], 'horizontal and vertical segments');
    const [first, last] = [points[0]!, points[points.length - 1]!];
    assert.ok(first[0] > 350 && first[0] < 360, `the start is at the first rectangle's right edge: ${first}`);
    assert.ok(last[0] > 790 && last[0] < 800 && last[1] > 200 && last[1] < 320, `the end is at the moved rectangle's left edge: ${last}`);

    // Page B draws the route: the middle of each segment is painted, the old straight path is not.
    const middles: Probe[] = points.slice(1).map((p, i) => [Math.round((p[0] + points[i]![0]) / 2), Math.round((p[1] + points[i]![1]) / 2)]);
    await waitForPixels(pageB, 'shapes', { on: middles, off: [[475, 460]] }, 'page B shows the re-routed elbow arrow');
    await screenshot(pageB, 'moved');
    assert.deepEqual(errors, []);
  });

  test('a curved arrow with a dot at its start and a typed label: page B draws the curve, the heads and the label with a gap', async () => {
    const { pageA, pageB, errors, shapes, until } = await suite.openRoom(`e2e-arrows-label-${Date.now()}`);
    await pageA.keyboard.press('a');
    await drag(pageA, [[200, 500], [500, 500], [800, 500]]);
    await until((s) => s.some((shape) => shape.type === 'arrow'), 'the arrow is in the document');
    await pageA.keyboard.press('v');
    await pageA.mouse.click(500, 500);
    await pageA.click('[data-style="arrowKind"][data-value="curved"]');
    await pageA.click('[data-style="startArrowhead"][data-value="dot"]');
    await until((s) => s.some((shape) => shape.type === 'arrow' && shape.arrowKind === 'curved' && shape.startArrowhead === 'dot'), 'curved, with a dot');
    // The bend handle sits on the middle: drag it up by 100.
    await drag(pageA, [[500, 500], [500, 450], [500, 400]]);
    await until((s) => s.some((shape) => shape.type === 'arrow' && Math.abs(shape.bend - 100) < 1), 'bent by 100');
    // Double-click the curve away from the bend handle (a press on the handle bends).
    await pageA.mouse.dblclick(350, 425);
    await pageA.keyboard.type('hello');
    await until((s) => s.some((shape) => shape.type === 'arrow' && shape.text === 'hello'), 'the label is in the document');
    await pageA.keyboard.press('Escape');
    // The curve passes a quarter of the way along at 75 above the chord; the label covers its middle.
    await waitForPixels(pageB, 'shapes', { on: [[350, 425], [200, 500]], off: [[500, 500]] }, 'page B draws the curve and the dot');
    await screenshot(pageB, 'label');
    assert.deepEqual(errors, []);
  });
});
