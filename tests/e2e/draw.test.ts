/**
 * End to end: the built client in headless Chromium against the real server. What one page draws
 * must reach the document (read by a stock Node provider) and the other page's canvas, and
 * survive a reload.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { indexAbove, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { createAuth } from '../../server/auth.ts';
import { poll } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';
import { boardSuite, colorAt, drag, openBoard, painted, TIMEOUT, waitForColor, waitForPixels, type Probe } from '../helpers/board-page.ts';

describe('drawing in the browser', { timeout: 120_000 }, () => {
  // Two pages per room in separate browser contexts (no shared BroadcastChannel: sync must go
  // through the server) plus a Node observer. Any console error or warning fails a test.
  const suite = boardSuite({ watch: 'strict' });
  const openRoom = suite.openRoom;

  // A V-shaped stroke and a 200×150 rectangle; probes sit on the drawn lines, and off them.
  const STROKE: Probe[] = [[200, 400], [300, 480], [400, 400]];
  const STROKE_PROBES: Probe[] = [[250, 440], [350, 440]];
  const RECT_FROM: Probe = [600, 300];
  const RECT_TO: Probe = [800, 450];
  const RECT_EDGES: Probe[] = [[600, 375], [700, 300], [800, 375], [700, 450]];
  const RECT_INSIDE: Probe = [700, 375];
  const EMPTY: Probe = [1000, 700];

  test('a stroke and a rectangle drawn in one page reach the document and the other page, and survive a reload', async () => {
    const { pageA, pageB, errors, url, shapes, until } = await openRoom(`e2e-draw-${Date.now()}`);
    assert.equal(await pageA.locator('.status').textContent(), 'Connected');
    assert.deepEqual(await painted(pageB, 'shapes', [...STROKE_PROBES, ...RECT_EDGES]), [false, false, false, false, false, false], 'page B starts blank');

    await pageA.click('[data-tool="pen"]');
    assert.equal(await pageA.getAttribute('[data-tool="pen"]', 'aria-pressed'), 'true');
    await drag(pageA, STROKE);
    await pageA.keyboard.press('r');
    assert.equal(await pageA.getAttribute('[data-tool="rectangle"]', 'aria-pressed'), 'true');
    await drag(pageA, [RECT_FROM, [700, 380], RECT_TO]);

    await until((s) => s.length === 2, 'two shapes in the document');
    const [ink, rect] = shapes();
    assert.equal(ink?.type, 'ink', 'the stroke is below the rectangle drawn after it');
    assert.equal(rect?.type, 'rect');
    if (ink?.type !== 'ink' || rect?.type !== 'rect') return;
    assert.deepEqual({ x: rect.x, y: rect.y, width: rect.width, height: rect.height }, { x: 600, y: 300, width: 200, height: 150 });
    assert.equal(rect.strokeColor, DEFAULT_STYLE.strokeColor);
    assert.deepEqual([ink.x, ink.y], [200, 400], 'ink origin is the top-left of the stroke');
    assert.ok(ink.points.length / 3 >= 10, `the stroke keeps its samples (${ink.points.length / 3} points)`);
    const xs = ink.points.filter((_n, i) => i % 3 === 0);
    const ys = ink.points.filter((_n, i) => i % 3 === 1);
    assert.deepEqual([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)], [0, 200, 0, 80], 'points are relative to the origin');

    const expected = { on: [...STROKE_PROBES, ...RECT_EDGES], off: [RECT_INSIDE, EMPTY] };
    await waitForPixels(pageB, 'shapes', expected, 'page B shows what page A drew');
    await waitForPixels(pageA, 'shapes', expected, 'page A shows its own shapes once committed');
    assert.deepEqual(await painted(pageA, 'draft', [...STROKE_PROBES, ...RECT_EDGES]), [false, false, false, false, false, false], 'nothing left in the draft layer');

    await pageB.reload();
    assert.equal(new URL(pageB.url()).pathname, new URL(url).pathname);
    await pageB.locator('.status[data-status="connected"]').waitFor({ timeout: TIMEOUT });
    await waitForPixels(pageB, 'shapes', expected, 'page B shows both shapes after a reload');
    assert.deepEqual(errors, [], 'no page errors or console errors');
  });

  test('select, drag and delete in one page: one move in the document, seen by the other page', async () => {
    const { observer, pageA, pageB, errors, shapes, until } = await openRoom(`e2e-select-${Date.now()}`);
    await pageA.keyboard.press('r');
    await drag(pageA, [RECT_FROM, RECT_TO]);
    await pageA.keyboard.press('p');
    await drag(pageA, STROKE);
    await until((s) => s.length === 2, 'two shapes');
    const rectId = shapes().find((shape) => shape.type === 'rect')?.id;
    assert.ok(rectId);

    await pageA.keyboard.press('v');
    let rectUpdates = 0;
    observer.doc.on('update', () => rectUpdates++);
    await drag(pageA, [RECT_INSIDE, [725, 395], [750, 415]]);
    await until((s) => s.find((x) => x.id === rectId)?.x === 650, 'the rectangle moved');
    const moved = shapes().find((s) => s.id === rectId);
    assert.deepEqual([moved?.x, moved?.y], [650, 340]);
    assert.equal(rectUpdates, 1, 'the drag reached the server as one update (written once, on release)');
    // The selection outline is drawn around the moved rectangle, 5px out from its 1px stroke margin.
    await waitForPixels(pageA, 'overlay', { on: [[644, 415], [856, 415]], off: [[750, 415]] }, 'page A outlines the selection');
    await waitForPixels(pageB, 'shapes', { on: [[650, 415], [850, 415], ...STROKE_PROBES], off: [[600, 375]] }, 'page B shows the move');
    assert.equal(await pageA.isDisabled('[data-action="delete"]'), false);

    await pageA.keyboard.press('Delete');
    await until((s) => s.length === 1, 'the rectangle is deleted');
    assert.equal(shapes()[0]?.type, 'ink');
    await waitForPixels(pageB, 'shapes', { on: STROKE_PROBES, off: [[650, 415], [850, 415]] }, 'page B drops the deleted rectangle');
    await waitForPixels(pageA, 'overlay', { on: [], off: [[644, 415], [856, 415]] }, 'no selection outline left');
    assert.equal(await pageA.isDisabled('[data-action="delete"]'), true);
    assert.deepEqual(errors, []);
  });

  test('a remote shape arriving mid-stroke does not disturb the stroke', async () => {
    const { observer, pageA, errors, shapes, until } = await openRoom(`e2e-remote-${Date.now()}`);
    await pageA.keyboard.press('p');
    await pageA.mouse.move(200, 400);
    await pageA.mouse.down();
    await pageA.mouse.move(300, 480, { steps: 8 });
    await waitForPixels(pageA, 'draft', { on: [[250, 440]], off: [] }, 'the stroke in progress is drawn in the draft layer');

    const remote: Shape = {
      ...DEFAULT_STYLE,
      id: 'remote-rect',
      type: 'rect', ...NO_LABEL,
      x: 600,
      y: 300,
      width: 200,
      height: 150,
      rotation: 0,
      locked: false,
      index: indexAbove(shapes()),
    };
    observer.doc.transact(() => writeShape(observer.doc, remote), LOCAL_ORIGIN);
    await waitForPixels(pageA, 'shapes', { on: RECT_EDGES, off: [] }, 'the remote rectangle appears while the pointer is down');
    await waitForPixels(pageA, 'draft', { on: [[250, 440]], off: [] }, 'the stroke in progress is still there');

    await pageA.mouse.move(400, 400, { steps: 8 });
    await pageA.mouse.up();
    await until((s) => s.length === 2, 'the stroke is committed');
    const ink = shapes().find((shape) => shape.type === 'ink');
    assert.ok(ink?.type === 'ink');
    const xs = ink.points.filter((_n, i) => i % 3 === 0);
    assert.deepEqual([ink.x, Math.max(...xs)], [200, 200], 'the whole stroke, before and after the remote change');
    await waitForPixels(pageA, 'shapes', { on: [...STROKE_PROBES, ...RECT_EDGES], off: [] }, 'both shapes on page A');
    assert.deepEqual(errors, []);
  });

  test('shapes stack by their index whatever order they arrive in, and a dragged shape goes back to its place', async () => {
    const { observer, pageB, errors, until } = await openRoom(`e2e-order-${Date.now()}`);
    const solid = (id: string, color: string, index: string, x: number, y: number): Shape => ({
      ...DEFAULT_STYLE,
      id,
      type: 'rect', ...NO_LABEL,
      x,
      y,
      width: 200,
      height: 200,
      rotation: 0,
      locked: false,
      fillStyle: 'solid',
      fillColor: color,
      strokeWidth: 0,
      index,
    });
    const write = (shape: Shape): void => observer.doc.transact(() => writeShape(observer.doc, shape), LOCAL_ORIGIN);
    const OVERLAP: Probe = [250, 250];
    write(solid('middle', '#ff0000', 'a5', 100, 100));
    await waitForColor(pageB, 'shapes', OVERLAP, '#ff0000', 'the first shape is drawn');
    // Arrives later but sorts below: it must go under, not on top.
    write(solid('bottom', '#0000ff', 'a2', 200, 200));
    await waitForColor(pageB, 'shapes', [350, 350], '#0000ff', 'the lower shape is drawn');
    assert.equal(await colorAt(pageB, 'shapes', OVERLAP), '#ff0000', 'a shape with a lower index is drawn underneath');
    write(solid('top', '#00ff00', 'a8', 220, 220));
    await waitForColor(pageB, 'shapes', OVERLAP, '#00ff00', 'a shape with a higher index is drawn on top');

    // Drag the bottom shape by a part nothing covers; on drop it must land back underneath.
    await pageB.keyboard.press('v');
    await drag(pageB, [[210, 350], [215, 352], [220, 355]]);
    await until((s) => s.find((shape) => shape.id === 'bottom')?.x === 210, 'the drag was written');
    await waitForColor(pageB, 'shapes', [215, 210], '#ff0000', 'after the drop the dragged shape is under the red one again');
    await waitForColor(pageB, 'shapes', OVERLAP, '#00ff00', 'and under the green one');
    assert.deepEqual(errors, []);
  });

  test('a board link with #token= opens a board on a server that requires tokens; without one it reads offline', async () => {
    const secret = 'e2e-secret-that-is-long-enough-for-hs256';
    const guarded = await startTestServer({ authSecret: secret });
    const context = await suite.newContext();
    try {
      const room = `e2e-auth-${Date.now()}`;
      const token = await createAuth(secret).sign({ room, role: 'edit', expiresAt: Math.floor(Date.now() / 1000) + 600 });
      const errors: string[] = [];
      const page = await openBoard(context, `${guarded.httpUrl}/b/${room}#token=${token}`, errors, { watch: 'strict' });
      await page.keyboard.press('r');
      await drag(page, [RECT_FROM, RECT_TO]);
      await waitForPixels(page, 'shapes', { on: RECT_EDGES, off: [] }, 'drawing works with a token');
      assert.deepEqual(errors, []);

      const refused = await context.newPage();
      const refusals: string[] = [];
      refused.on('console', (message) => refusals.push(message.text()));
      await refused.goto(`${guarded.httpUrl}/b/${room}`);
      await refused.locator('.status[data-status="offline"]').waitFor({ timeout: TIMEOUT });
      await poll(() => refusals.some((text) => text.includes('unauthorized')), 'the refusal is logged with its reason', TIMEOUT);
    } finally {
      await guarded.close();
    }
  });
});
