/**
 * Version history in the browser, against a real server: A draws two rectangles and leaves (the
 * server takes an 'idle' version when the last editor leaves); A comes back with B watching, draws
 * two more, opens History and previews the version (the version drawn in place of the board, the
 * two later rectangles marked as added since, the live board untouched), restores it (B sees the
 * board become the version), then presses Ctrl+Z (B sees A's later rectangles again).
 *
 * Needs the server side of issue 15 (versions taken on the last leave, GET versionsApiPath and
 * versionApiPath); written to shared/api.ts's contract.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { versionsApiPath, type VersionListResponse } from '../../shared/api.ts';
import { readAllShapes } from '../../shared/doc.ts';
import type { Shape } from '../../shared/schema.ts';
import { boardSuite, drag, openBoard, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { poll, waitFor } from '../helpers/client.ts';

/** A folder to save screenshots in, for a person to look at (nothing compares them); none when unset. */
const SHOTS = process.env.EASEL_SCREENSHOTS;

async function screenshot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `history-${name}.png`) });
}

/** Draws a rectangle with R from one corner to the other. */
async function rectangle(page: Page, from: Probe, to: Probe): Promise<void> {
  await page.keyboard.press('r');
  await drag(page, [from, to]);
}

// Rectangles 100 × 80: two before the version, two after. A probe on each one's left edge, and
// one just outside it, where an "added since" mark is drawn.
const BEFORE: Array<[Probe, Probe]> = [
  [[200, 200], [300, 280]],
  [[400, 200], [500, 280]],
];
const LATER: Array<[Probe, Probe]> = [
  [[200, 450], [300, 530]],
  [[400, 450], [500, 530]],
];
const edge = ([[x, y1], [, y2]]: [Probe, Probe]): Probe => [x, (y1 + y2) / 2];
const outside = ([[x, y1], [, y2]]: [Probe, Probe]): Probe => [x - 6, (y1 + y2) / 2];

describe('version history between two pages', { timeout: 180_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });

  test('A previews a version with what changed since marked, restores it while B watches, and undoes the restore', async () => {
    const room = `e2e-history-${Date.now()}`;
    const url = `${suite.server.httpUrl}/b/${room}`;
    const errors: string[] = [];
    const versionsUrl = `${suite.server.httpUrl}${versionsApiPath(room)}`;
    const listVersions = async (): Promise<VersionListResponse['versions']> => {
      const response = await fetch(versionsUrl);
      return response.ok ? ((await response.json()) as VersionListResponse).versions : [];
    };

    // A alone draws the first two rectangles; a Node client sees them once the server stored them.
    const contextA = await suite.newContext();
    let pageA = await openBoard(contextA, url, errors, { watch: 'strict' });
    const first = await suite.connect(room);
    for (const [from, to] of BEFORE) await rectangle(pageA, from, to);
    await waitFor(() => readAllShapes(first.doc).length === 2, { doc: first.doc }, 'the first two rectangles are stored', TIMEOUT);
    const versionShapes = readAllShapes(first.doc);

    // Everyone leaves: the server takes a version of the board as it was.
    first.destroy();
    await pageA.close();
    await poll(async () => (await listVersions()).length > 0, 'the server lists a version once the last editor left', TIMEOUT);
    const [version] = await listVersions();
    assert.equal(version?.shapes, 2, 'the version holds the two rectangles');

    // A comes back, B watches, and a Node observer reads the board.
    pageA = await openBoard(contextA, url, errors, { watch: 'strict' });
    const pageB = await openBoard(await suite.newContext(), url, errors, { watch: 'strict' });
    const observer = await suite.connect(room);
    const shapes = (): Shape[] => readAllShapes(observer.doc);
    const until = (check: (list: Shape[]) => boolean, message: string): Promise<void> => waitFor(() => check(shapes()), { doc: observer.doc }, message, TIMEOUT);
    for (const [from, to] of LATER) await rectangle(pageA, from, to);
    await until((list) => list.length === 4, 'the two later rectangles are stored');
    await waitForPixels(pageB, 'shapes', { on: LATER.map(edge), off: [] }, 'B draws the later rectangles');
    const liveBefore = shapes();

    // A opens History and previews the version.
    await pageA.keyboard.press('v');
    await pageA.locator('button[data-action="history"]').click();
    const entry = pageA.locator(`button[data-action="preview-version"][data-version-id="${version!.id}"]`);
    await entry.waitFor({ timeout: TIMEOUT });
    await entry.click();
    await pageA.locator('.history-preview').waitFor({ timeout: TIMEOUT });
    await waitForPixels(pageA, 'version', { on: BEFORE.map(edge), off: LATER.map(edge) }, 'A sees the version: the first rectangles, not the later ones');
    await waitForPixels(pageA, 'overlay', { on: LATER.map(outside), off: BEFORE.map(outside) }, 'the later rectangles are marked as added since');
    assert.equal(await pageA.locator('canvas[data-layer="shapes"]').isVisible(), false, 'the live board is hidden meanwhile');
    assert.equal(await pageA.locator('.history-legend [data-mark="added"] .history-count').textContent(), '2');
    await screenshot(pageA, 'a-preview');
    // Tools are off while previewing: R does not pick the rectangle tool.
    await pageA.keyboard.press('r');
    assert.equal(await pageA.locator('button[data-tool="hand"][aria-pressed="true"]').count(), 1, 'the hand stays the tool while previewing');
    assert.deepEqual(shapes(), liveBefore, 'the live board is untouched by the preview');

    // Restore: the board becomes the version, for B too.
    await pageA.locator('button[data-action="restore-version"]').click();
    await until((list) => list.length === 2, 'the restore removes the later rectangles');
    assert.deepEqual(shapes(), versionShapes, 'the board equals the version');
    await waitForPixels(pageB, 'shapes', { on: BEFORE.map(edge), off: LATER.map(edge) }, 'B sees the board change to the version');
    await waitForPixels(pageA, 'shapes', { on: BEFORE.map(edge), off: LATER.map(edge) }, 'A is back on the live board, restored');
    await screenshot(pageB, 'b-restored');

    // A undoes the restore: A's later rectangles are back for B.
    await pageA.keyboard.press('Control+z');
    await until((list) => list.length === 4, 'undo brings the later rectangles back');
    assert.deepEqual(shapes(), liveBefore, 'the board is as it was before the restore');
    await waitForPixels(pageB, 'shapes', { on: [...BEFORE, ...LATER].map(edge), off: [] }, "B sees A's later rectangles again");
    await screenshot(pageB, 'b-undone');
    assert.deepEqual(errors, []);
  });
});
