/**
 * Groups between two real pages: A draws three rectangles, marquee-selects them and groups them
 * with Ctrl+G; B drags one member and the whole group moves, live on A while B drags and in the
 * document once B lets go; a double-click enters the group (Delete then takes one member); B
 * ungroups with Ctrl+Shift+G. Grouping, the move and ungrouping are
 * each one undo step. Set E2E_SCREENSHOTS=<folder> to keep screenshots of both pages.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { boardSuite, drag, painted, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { poll } from '../helpers/client.ts';
import type { Shape } from '../../shared/schema.ts';

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`) });
}

/** Left edges of the three rectangles (each 100 × 80, top at y = 200). */
const LEFTS = [200, 400, 600];
const TOP = 200;
/** How far B drags the group down. */
const DY = 150;

/** A point on the top edge of each rectangle, `dy` below where they were drawn. */
const topEdges = (dy: number): Probe[] => LEFTS.map((x) => [x + 50, TOP + dy]);
/** A point on the left edge of each rectangle, `dy` below where they were drawn. */
const leftEdges = (dy: number): Probe[] => LEFTS.map((x) => [x, TOP + 40 + dy]);

/** The one group all three shapes are in, or undefined if they are not in one. */
function oneGroup(shapes: Shape[]): string | undefined {
  const ids = shapes.map((shape) => JSON.stringify(shape.groupIds ?? null));
  return shapes.length === 3 && new Set(ids).size === 1 && shapes[0]?.groupIds?.length === 1 ? shapes[0].groupIds[0] : undefined;
}

describe('groups between two pages', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('A groups three shapes; B drags one member and the group moves on both pages; B ungroups; each is one undo step', async () => {
    const { pageA, pageB, errors, shapes, until } = await suite.openRoom(`e2e-groups-${Date.now()}`);
    await pageA.keyboard.press('r');
    for (const x of LEFTS) {
      await drag(pageA, [[x, TOP], [x + 100, TOP + 80]]);
    }
    await until((s) => s.length === 3, 'the three rectangles are in the document');
    await waitForPixels(pageB, 'shapes', { on: topEdges(0), off: [] }, 'B shows the rectangles');

    // A marquee around the three, then Ctrl+G.
    await pageA.keyboard.press('v');
    await drag(pageA, [[150, 150], [750, 330]]);
    await pageA.keyboard.press('Control+g');
    await until((s) => oneGroup(s) !== undefined, 'the three shapes are one group');
    const group = oneGroup(shapes())!;
    await pageA.keyboard.press('Control+z');
    await until((s) => s.every((shape) => shape.groupIds === undefined), 'undo: one step takes the group away');
    await pageA.keyboard.press('Control+Shift+z');
    await until((s) => oneGroup(s) === group, 'redo: grouped again');
    await screenshot(pageA, 'groups-a-grouped');

    // B presses on the middle rectangle's top edge and drags: the whole group follows, live on A.
    await pageB.keyboard.press('v');
    const [middle] = topEdges(0).slice(1);
    // The observer having the group does not mean B's page has it yet. B clicks the member (after
    // a click on empty board, so two clicks never make a double-click) until what it selects is
    // the whole group: the resize handles at the group's corners, 5 px out.
    const groupCorners: Probe[] = [
      [LEFTS[0]! - 5, TOP - 5],
      [LEFTS[2]! + 105, TOP + 85],
    ];
    await poll(
      async () => {
        await pageB.mouse.click(900, 600);
        await pageB.mouse.click(middle![0], middle![1]);
        return (await painted(pageB, 'overlay', groupCorners)).every(Boolean);
      },
      "B's page has the group: a click on a member selects all of it",
      TIMEOUT,
    );
    // Nothing selected again, and a press that cannot make a double-click with that last click.
    await pageB.mouse.click(900, 600);
    await pageB.mouse.move(middle![0], middle![1]);
    await pageB.mouse.down();
    await pageB.mouse.move(middle![0], middle![1] + DY, { steps: 10 });
    await waitForPixels(pageA, 'shapes', { on: leftEdges(DY), off: leftEdges(0) }, "A shows B's drag of the whole group as it happens");
    assert.ok(shapes().every((shape) => shape.y === TOP), 'the document keeps the old place while B drags');
    await screenshot(pageB, 'groups-b-dragging');
    await screenshot(pageA, 'groups-a-sees-drag');
    await pageB.mouse.up();
    await until((s) => s.every((shape) => shape.y === TOP + DY), 'every member moved in the document');
    assert.deepEqual(
      shapes()
        .map((shape) => shape.x)
        .sort((p, q) => p - q),
      LEFTS,
      'moved straight down',
    );
    for (const page of [pageA, pageB]) await waitForPixels(page, 'shapes', { on: leftEdges(DY), off: leftEdges(0) }, 'both pages show the group moved');
    await screenshot(pageB, 'groups-b-moved');

    await pageB.keyboard.press('Control+z');
    await until((s) => s.every((shape) => shape.y === TOP), 'undo of the move: one step puts every member back');
    await pageB.keyboard.press('Control+Shift+z');
    await until((s) => s.every((shape) => shape.y === TOP + DY), 'redo: moved again');

    // A double-click enters the group and picks one member: Delete takes only that one.
    const [left] = topEdges(DY);
    await pageB.mouse.dblclick(left![0], left![1]);
    await screenshot(pageB, 'groups-b-entered');
    await pageB.keyboard.press('Delete');
    await until((s) => s.length === 2 && s.every((shape) => shape.groupIds?.[0] === group), 'the double-clicked member alone is deleted');
    await pageB.keyboard.press('Control+z');
    await until((s) => oneGroup(s) === group, 'undo: the member is back in its group');

    // A click on a member selects the whole group again: Ctrl+Shift+G ungroups it, and undo brings it back at once.
    await pageB.mouse.click(middle![0], middle![1] + DY);
    await pageB.keyboard.press('Control+Shift+g');
    await until((s) => s.length === 3 && s.every((shape) => shape.groupIds === undefined), 'ungrouped');
    await pageB.keyboard.press('Control+z');
    await until((s) => oneGroup(s) === group, 'undo of ungroup: one step makes the group again');
    await pageB.keyboard.press('Control+Shift+z');
    await until((s) => s.every((shape) => shape.groupIds === undefined), 'redo: ungrouped again');

    // Ungrouped, a click on the middle rectangle drags it alone.
    await pageB.mouse.click(900, 600);
    await drag(pageB, [[450, TOP + DY], [450, TOP + DY + 100]], { alt: true });
    await until((s) => s.filter((shape) => shape.y === TOP + DY + 100).length === 1, 'only the middle rectangle moved');
    await screenshot(pageA, 'groups-a-ungrouped');
    assert.deepEqual(errors, []);
  });
});
