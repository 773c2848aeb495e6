/**
 * End to end: presence between two users (separate browser contexts) on the real server, plus
 * Node clients standing in for users whose state the test sets directly (a laser trail, a
 * viewport to follow).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { indexAbove, readAllShapes, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { writePresence, type Presence } from '../../shared/presence.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { poll } from '../helpers/client.ts';
import { boardSuite, drag, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';

function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

async function ownUser(page: Page): Promise<{ name: string; color: string }> {
  const self = page.locator('.avatar[data-self="true"]');
  const name = await self.getAttribute('data-name');
  const color = await self.getAttribute('data-color');
  assert.ok(name && color);
  return { name, color };
}

/** A Node client's presence: just enough to be someone on the board. */
function nodePresence(name: string, color: string, extra: Partial<Presence> = {}): Record<string, unknown> {
  return writePresence({ user: { name, color }, cursor: null, selection: [], laser: [], idle: false, viewport: null, gesture: null, ...extra });
}

describe('presence in the browser', { timeout: 120_000 }, () => {
  const suite = boardSuite();
  const openRoom = suite.openRoom;

  test("A's cursor shows in B with A's name and colour, follows renames and selections, and leaves with A", async () => {
    const { pageA, pageB, errors } = await openRoom(`e2e-presence-${Date.now()}`);
    const userA = await ownUser(pageA);
    const userB = await ownUser(pageB);
    assert.match(userA.name, /\S/);
    assert.equal(await pageB.locator(`.avatar[data-name="${userA.name}"]`).count(), 1, "A's avatar is in B's list");

    await pageA.mouse.move(400, 300);
    const cursor = pageB.locator('.remote-cursor');
    await cursor.waitFor({ timeout: TIMEOUT });
    assert.equal(await cursor.count(), 1, 'one cursor: A (B does not see itself)');
    assert.equal(await cursor.locator('.remote-cursor-name').textContent(), userA.name);
    assert.equal(await cursor.locator('.remote-cursor-name').evaluate((el) => getComputedStyle(el).backgroundColor), rgb(userA.color));
    assert.equal(await cursor.locator('path').getAttribute('fill'), userA.color);
    await poll(async () => {
      const box = await cursor.locator('svg').boundingBox();
      return box !== null && Math.abs(box.x - 400) < 2 && Math.abs(box.y - 300) < 2;
    }, "the cursor glides to A's pointer", TIMEOUT);
    await pageA.mouse.move(500, 350, { steps: 5 });
    await poll(async () => {
      const box = await cursor.locator('svg').boundingBox();
      return box !== null && Math.abs(box.x - 500) < 2 && Math.abs(box.y - 350) < 2;
    }, 'and follows it', TIMEOUT);

    // A renames itself: B's label and avatar follow, and A's browser remembers the name.
    await pageA.locator('.avatar[data-self="true"]').click();
    await pageA.locator('.name-editor').fill('Ada Lovelace');
    await pageA.locator('.name-editor').press('Enter');
    // The pointer left the board for the avatar, which hides the cursor; back on the board it shows.
    await pageA.mouse.move(450, 320);
    await poll(async () => (await pageB.locator('.remote-cursor-name').allTextContents()).join() === 'Ada Lovelace', 'B sees the new name', TIMEOUT);
    await pageB.locator('.avatar[data-name="Ada Lovelace"]').waitFor({ timeout: TIMEOUT });

    // A selects a rectangle: B outlines it in A's colour, outside the shape.
    await pageA.keyboard.press('r');
    await drag(pageA, [[600, 300], [800, 450]]);
    await pageA.keyboard.press('v');
    await pageA.mouse.click(600, 375);
    await waitForPixels(pageB, 'presence', { on: [[591, 375], [809, 375]], off: [[700, 375]] }, "B outlines A's selection");
    await pageA.keyboard.press('Escape');
    await pageA.mouse.click(1000, 700);
    await waitForPixels(pageB, 'presence', { on: [], off: [[591, 375], [809, 375]] }, 'and drops the outline when A deselects');

    await pageA.reload();
    await pageA.locator('.status[data-status="connected"]').waitFor({ timeout: TIMEOUT });
    assert.equal((await ownUser(pageA)).name, 'Ada Lovelace', 'the name survives a reload');
    assert.equal((await ownUser(pageA)).color, userA.color, 'and so does the colour');
    await pageA.mouse.move(300, 200);
    await poll(async () => (await pageB.locator('.remote-cursor').count()) === 1, 'one cursor again after the reload', TIMEOUT);

    const closedAt = Date.now();
    await pageA.close();
    await pageB.locator('.remote-cursor').waitFor({ state: 'detached', timeout: 2_000 });
    assert.ok(Date.now() - closedAt < 2_000, `A's cursor left B ${Date.now() - closedAt} ms after A closed`);
    assert.equal(await pageB.locator('.avatar:not([data-self])').count(), 0, "A's avatar is gone too");
    assert.equal((await ownUser(pageB)).name, userB.name);
    assert.deepEqual(errors, []);
  });

  test("another user's laser trail is drawn in their colour and fades", async () => {
    const room = `e2e-laser-${Date.now()}`;
    const { pageB, errors } = await openRoom(room);
    const laser = await suite.connect(room);
    const t = 1_000_000;
    laser.provider.awareness.setLocalState(
      nodePresence('Laser Lou', '#e5484d', { laser: [100, 150, 200, 250, 300].map((x, i) => ({ x, y: 600, t: t + i * 16 })) }),
    );
    await waitForPixels(pageB, 'presence-laser', { on: [[200, 600], [290, 600]], off: [[200, 650]] }, 'the trail is drawn');
    await waitForPixels(pageB, 'presence-laser', { on: [], off: [[200, 600], [290, 600]] }, 'and fades out', 5_000);
    assert.deepEqual(errors, []);
  });

  test('B follows A: when A pans, B\'s view moves; when B pans, following stops', async () => {
    const room = `e2e-follow-pan-${Date.now()}`;
    const { observer, pageA, pageB, errors } = await openRoom(room);
    const shape: Shape = { ...DEFAULT_STYLE, id: 'landmark', type: 'rect', ...NO_LABEL, x: 100, y: 100, width: 200, height: 200, rotation: 0, locked: false, index: indexAbove(readAllShapes(observer.doc)) };
    observer.doc.transact(() => writeShape(observer.doc, shape), LOCAL_ORIGIN);
    const at = (dx: number, dy: number) => ({ on: [[100 + dx, 200 + dy], [300 + dx, 200 + dy]] as Probe[], off: [[200 + dx, 200 + dy]] as Probe[] });
    await waitForPixels(pageB, 'shapes', at(0, 0), 'the landmark at home in B');

    const userA = await ownUser(pageA);
    const avatar = pageB.locator(`.avatar[data-name="${userA.name}"]`);
    await avatar.click();
    assert.equal(await avatar.getAttribute('aria-pressed'), 'true');
    // A scrolls the board (the wheel pans): the board moves 200px right and 100px down for A.
    await pageA.mouse.move(900, 600);
    await pageA.mouse.wheel(-200, -100);
    await waitForPixels(pageA, 'shapes', at(200, 100), 'A panned');
    await waitForPixels(pageB, 'shapes', at(200, 100), "B's view follows A's pan");

    await pageB.mouse.move(900, 600);
    await pageB.mouse.wheel(0, 100);
    await poll(async () => (await avatar.getAttribute('aria-pressed')) === 'false', 'B panned itself: following stops', TIMEOUT);
    await waitForPixels(pageB, 'shapes', at(200, 0), "B's own pan applies");
    await pageA.mouse.wheel(-100, 0);
    await waitForPixels(pageA, 'shapes', at(300, 100), 'A pans again');
    // A's next state carries both its new viewport and this cursor: once B shows the cursor where
    // it belongs in B's own view, B has seen A's pan and not followed it.
    await pageA.mouse.move(910, 600);
    await poll(async () => {
      const box = await pageB.locator('.remote-cursor svg').boundingBox();
      return box !== null && Math.abs(box.x - (910 - 300 + 200)) < 2 && Math.abs(box.y - (600 - 100)) < 2;
    }, "A's latest state reached B", TIMEOUT);
    await waitForPixels(pageB, 'shapes', at(200, 0), 'and B stays where it panned to');
    assert.deepEqual(errors, []);
  });

  test("following another user's viewport moves the view with theirs until unfollowed", async () => {
    const room = `e2e-follow-${Date.now()}`;
    const { observer, pageB, errors } = await openRoom(room);
    const shape: Shape = { ...DEFAULT_STYLE, id: 'landmark', type: 'rect', ...NO_LABEL, x: 100, y: 100, width: 200, height: 200, rotation: 0, locked: false, index: indexAbove(readAllShapes(observer.doc)) };
    observer.doc.transact(() => writeShape(observer.doc, shape), LOCAL_ORIGIN);
    const at = (dx: number, dy: number) => ({ on: [[100 + dx, 200 + dy], [300 + dx, 200 + dy]] as Array<[number, number]>, off: [[200 + dx, 200 + dy]] as Array<[number, number]> });
    await waitForPixels(pageB, 'shapes', at(0, 0), 'the landmark at home');

    const leader = await suite.connect(room);
    const lead = (x: number, y: number, width = 1200, height = 800) =>
      leader.provider.awareness.setLocalState(nodePresence('Leader', '#8e4ec6', { viewport: { x, y, scale: 1, width, height } }));
    lead(400, 200);
    const avatar = pageB.locator('.avatar[data-name="Leader"]');
    await avatar.waitFor({ timeout: TIMEOUT });
    await avatar.click();
    assert.equal(await avatar.getAttribute('aria-pressed'), 'true');
    await waitForPixels(pageB, 'shapes', at(400, 200), "B's view jumps to the leader's");

    // The leader pans, on a smaller screen: B keeps the same board point in the middle.
    lead(-100, 50, 600, 400);
    await waitForPixels(pageB, 'shapes', at(200, 250), "B's view moves when the leader pans");

    await avatar.click();
    assert.equal(await avatar.getAttribute('aria-pressed'), 'false');
    lead(0, 0);
    // Nothing to wait for when nothing should happen: give the update time to arrive, then check.
    await poll(async () => (await pageB.locator('.avatar[data-name="Leader"]').count()) === 1, 'leader still listed', TIMEOUT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await waitForPixels(pageB, 'shapes', at(200, 250), 'after unfollowing, the leader no longer moves B');
    assert.deepEqual(errors, []);
  });
});
