/**
 * End to end on a touch screen: one finger draws with the active tool, two fingers pan and
 * pinch-zoom, and a second finger landing mid-stroke cancels the stroke (as in Excalidraw and
 * tldraw) and turns into a pinch. Real multi-touch through the DevTools protocol in a touch-enabled
 * page of the built client, against the real server. The document is read through a stock Node
 * provider; the camera is read from what the page shows: the dot grid's offset and the zoom level.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { indexAbove, readAllShapes, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { poll, waitFor } from '../helpers/client.ts';
import { boardSuite, openBoard, painted, TIMEOUT, waitForPixels, type Probe } from '../helpers/board-page.ts';
import { createTouchscreen, type Touchscreen } from '../helpers/touchscreen.ts';

/** Finger moves per leg of a gesture. */
const STEPS = 8;

/** The camera as the page shows it: board point p appears at screen pixel p × scale + (x, y). */
interface CameraView {
  x: number;
  y: number;
  scale: number;
}

/**
 * The dot grid is offset by exactly the camera's translation, and the zoom level button shows the
 * scale in whole percent (exact for the zooms these tests make).
 */
async function cameraOf(page: Page): Promise<CameraView> {
  const { position, level } = await page.evaluate(() => ({
    position: document.querySelector<HTMLElement>('#board')?.style.backgroundPosition ?? '',
    level: document.querySelector('[data-action="zoom-reset"]')?.textContent ?? '',
  }));
  const match = /^(\S+)px (\S+)px$/.exec(position);
  assert.ok(match, `the grid's background-position is "${position}"`);
  assert.match(level, /^\d+%$/);
  return { x: Number(match[1]), y: Number(match[2]), scale: Number.parseInt(level, 10) / 100 };
}

/** Polls until the page shows camera `expected`, the translation within half a pixel. */
async function waitForCamera(page: Page, expected: CameraView, message: string): Promise<CameraView> {
  let got: CameraView | null = null;
  const near = (camera: CameraView): boolean => camera.scale === expected.scale && Math.abs(camera.x - expected.x) <= 0.5 && Math.abs(camera.y - expected.y) <= 0.5;
  try {
    await poll(async () => near((got = await cameraOf(page))), message, TIMEOUT);
  } catch (error) {
    throw new Error(`${(error as Error).message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
  return got!;
}

/** The board point under screen point `at` (the board fills the page from its top-left corner). */
function boardPointUnder(camera: CameraView, [x, y]: Probe): Probe {
  return [(x - camera.x) / camera.scale, (y - camera.y) / camera.scale];
}

function assertNear(actual: Probe, expected: Probe, tolerance: number, message: string): void {
  const off = Math.hypot(actual[0] - expected[0], actual[1] - expected[1]);
  assert.ok(off <= tolerance, `${message}: ${JSON.stringify(actual)} is ${off.toFixed(2)} from ${JSON.stringify(expected)}`);
}

/**
 * Asserts that `layer` is blank at every probe once the page has rendered what it was handed:
 * layers redraw on the next animation frame, so a check that nothing was drawn waits two frames
 * first (or it could pass before a stray stroke is painted).
 */
async function assertBlank(page: Page, layer: string, probes: Probe[], message: string): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  assert.deepEqual(await painted(page, layer, probes), probes.map(() => false), message);
}

/** One finger down at the first point, through the rest, up at the last. */
async function oneFingerDrag(touch: Touchscreen, points: Probe[]): Promise<void> {
  const [first, ...rest] = points;
  assert.ok(first);
  await touch.down(0, first);
  for (const point of rest) await touch.move({ 0: point }, STEPS);
  await touch.up(0);
}

/**
 * Selects a tool by tapping its toolbar button, tapping again until it is pressed: Chromium makes
 * no click from a tap that comes within 100–200 ms of the end of a fast drag (most likely its tap
 * suppression after a fling), and these synthetic drags end at full speed, unlike a hand. Tapping
 * the active tool's button again changes nothing.
 */
async function tapTool(page: Page, tool: string): Promise<void> {
  const button = `[data-tool="${tool}"]`;
  await poll(
    async () => {
      await page.tap(button);
      return (await page.getAttribute(button, 'aria-pressed')) === 'true';
    },
    `the ${tool} tool is active`,
    TIMEOUT,
  );
}

describe('touch in the browser', { timeout: 180_000 }, () => {
  // Any console error or warning fails a test.
  const suite = boardSuite({ watch: 'strict' });

  /**
   * A touch-screen page on a fresh room, plus a Node observer that reads the document through the
   * server and can `write` shapes as another collaborator would.
   */
  async function openTouchRoom(prefix: string) {
    const room = `${prefix}-${Date.now()}`;
    const errors: string[] = [];
    const observer = await suite.connect(room);
    const url = `${suite.server.httpUrl}/b/${room}`;
    const page = await openBoard(await suite.newContext({ hasTouch: true }), url, errors, { watch: 'strict' });
    const touch = await createTouchscreen(page);
    const shapes = (): Shape[] => readAllShapes(observer.doc);
    const until = (check: (shapes: Shape[]) => boolean, message: string): Promise<void> => waitFor(() => check(shapes()), { doc: observer.doc }, message, TIMEOUT);
    const write = (shape: Shape): void => observer.doc.transact(() => writeShape(observer.doc, shape), LOCAL_ORIGIN);
    /** A solid square with no outline, centred on board point (x, y). */
    const square = (id: string, [x, y]: Probe, side: number): Shape => ({
      ...DEFAULT_STYLE,
      id,
      type: 'rect', ...NO_LABEL,
      x: x - side / 2,
      y: y - side / 2,
      width: side,
      height: side,
      rotation: 0,
      locked: false,
      fillStyle: 'solid',
      fillColor: '#1e1e1e',
      strokeWidth: 0,
      index: indexAbove(shapes()),
    });
    return { url, page, touch, errors, shapes, until, write, square };
  }

  test('one finger draws with the pen and with the rectangle tool; both shapes reach the server and another page', async () => {
    const { url, page, touch, errors, shapes, until } = await openTouchRoom('e2e-touch-draw');
    const other = await openBoard(await suite.newContext(), url, errors, { watch: 'strict' });

    await tapTool(page, 'pen');
    await oneFingerDrag(touch, [[200, 400], [300, 480], [400, 400]]);
    await tapTool(page, 'rectangle');
    await oneFingerDrag(touch, [[600, 300], [700, 380], [800, 450]]);

    await until((s) => s.length === 2, 'two shapes in the document');
    const [ink, rect] = shapes();
    assert.ok(ink?.type === 'ink' && rect?.type === 'rect', `an ink stroke, then a rectangle: ${JSON.stringify(shapes().map((s) => s.type))}`);
    assert.deepEqual({ x: rect.x, y: rect.y, width: rect.width, height: rect.height }, { x: 600, y: 300, width: 200, height: 150 });
    assert.deepEqual([ink.x, ink.y], [200, 400], 'the stroke starts where the finger landed');
    assert.ok(ink.points.length / 3 >= 2 * STEPS, `the stroke keeps the finger's samples (${ink.points.length / 3} points)`);
    const xs = ink.points.filter((_n, i) => i % 3 === 0);
    const ys = ink.points.filter((_n, i) => i % 3 === 1);
    assert.deepEqual([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)], [0, 200, 0, 80], 'the stroke follows the finger');

    const expected = { on: [[250, 440], [350, 440], [600, 375], [700, 300], [800, 375], [700, 450]] as Probe[], off: [[700, 375], [1000, 700]] as Probe[] };
    await waitForPixels(other, 'shapes', expected, 'the other page shows what the finger drew');
    await waitForPixels(page, 'shapes', expected, 'the touch page shows its own shapes');
    await assertBlank(page, 'draft', expected.on, 'nothing left in the draft layer');
    assert.deepEqual(await cameraOf(page), { x: 0, y: 0, scale: 1 }, 'one finger never moves the view');
    assert.deepEqual(errors, []);
  });

  test('a tap with the note tool opens the note for typing at once: keys typed right after it are its text', async () => {
    const { page, touch, errors, until } = await openTouchRoom('e2e-touch-note');
    await tapTool(page, 'sticky');
    await touch.down(0, [400, 300]);
    await touch.up(0);
    // No wait for the editor: a keyboard (a tablet's) types as soon as the finger lifts.
    await page.keyboard.type('Note');
    await page.keyboard.press('Escape');
    await until((s) => s.some((shape) => shape.type === 'sticky' && shape.text === 'Note'), 'the note holds every key typed');
    assert.deepEqual(errors, []);
  });

  test('two fingers moving together pan the view with a drawing tool active, and draw nothing', async () => {
    const { page, touch, errors, shapes, until, write, square } = await openTouchRoom('e2e-touch-pan');
    write(square('reference', [450, 350], 100));
    await waitForPixels(page, 'shapes', { on: [[450, 350]], off: [[550, 410]] }, 'the reference square at its place');

    await tapTool(page, 'pen');
    await touch.down(0, [500, 500]);
    await touch.down(1, [700, 500]);
    await touch.move({ 0: [600, 560], 1: [800, 560] }, STEPS);
    await waitForCamera(page, { x: 100, y: 60, scale: 1 }, 'the view follows the fingers while they are down');
    await waitForPixels(page, 'shapes', { on: [[550, 410]], off: [[450, 350]] }, 'the board moved with the fingers');
    // The finger left behind after a pinch neither draws nor pans.
    await touch.up(0);
    await touch.move({ 1: [850, 650] }, STEPS);
    await assertBlank(page, 'draft', [[550, 530], [750, 530], [825, 605]], 'no stroke in the draft layer while a finger is down');
    await touch.up(1);
    assert.deepEqual(await cameraOf(page), { x: 100, y: 60, scale: 1 }, 'the last finger did not move the view');

    // Same with the rectangle tool, lifting the fingers in the other order.
    await tapTool(page, 'rectangle');
    await touch.down(0, [500, 500]);
    await touch.down(1, [700, 500]);
    await touch.move({ 0: [450, 470], 1: [650, 470] }, STEPS);
    await touch.up(1);
    await touch.move({ 0: [350, 400] }, STEPS);
    await assertBlank(page, 'draft', [[350, 450], [425, 400], [500, 450], [425, 500]], 'no box in the draft layer while a finger is down');
    await touch.up(0);
    await waitForCamera(page, { x: 50, y: 30, scale: 1 }, 'the second pan');

    // One finger still draws, in board coordinates under the moved view. Its rectangle reaching the
    // observer also means any stray shape committed before it would have arrived by now.
    await oneFingerDrag(touch, [[300, 200], [400, 260]]);
    await until((s) => s.length === 2, 'the one-finger rectangle reached the server');
    const drawn = shapes().find((shape) => shape.id !== 'reference');
    assert.ok(drawn?.type === 'rect', `only the reference square and the rectangle: ${JSON.stringify(shapes().map((s) => s.type))}`);
    assert.deepEqual({ x: drawn.x, y: drawn.y, width: drawn.width, height: drawn.height }, { x: 250, y: 170, width: 100, height: 60 });
    assert.deepEqual(errors, []);
  });

  test('two fingers spreading apart zoom in about their midpoint; pinching in zooms out', async () => {
    const { page, touch, errors, shapes, until, write, square } = await openTouchRoom('e2e-touch-pinch');
    write(square('reference', [500, 450], 20));
    await waitForPixels(page, 'shapes', { on: [[500, 450]], off: [[515, 465], [525, 475]] }, 'the reference square at 100%');
    await tapTool(page, 'pen');

    // Spread from 200 px apart to 400 px apart about (500, 450), away from the middle of the
    // screen (where the zoom buttons zoom about): ×2.
    const spreadMid: Probe = [500, 450];
    const before = await cameraOf(page);
    await touch.down(0, [400, 450]);
    await touch.down(1, [600, 450]);
    await touch.move({ 0: [300, 450], 1: [700, 450] }, STEPS);
    const zoomedIn = await waitForCamera(page, { x: -500, y: -450, scale: 2 }, 'zoomed in to 200% about the midpoint');
    assertNear(boardPointUnder(zoomedIn, spreadMid), boardPointUnder(before, spreadMid), 0.5, 'the board point under the midpoint stays under it');
    // The 20-unit square is 40 px wide now, still centred under the fingers' midpoint.
    await waitForPixels(page, 'shapes', { on: [[500, 450], [515, 465], [485, 435]], off: [[525, 475], [475, 425]] }, 'the square grew about the midpoint');
    await assertBlank(page, 'draft', [[350, 450], [650, 450]], 'spreading draws nothing');
    await touch.up(1);
    await touch.up(0);

    // Pinch along a diagonal from 400√2 apart to 100√2 apart about (400, 300): ÷4.
    const pinchMid: Probe = [400, 300];
    const underPinch = boardPointUnder(zoomedIn, pinchMid);
    await touch.down(0, [200, 100]);
    await touch.down(1, [600, 500]);
    await touch.move({ 0: [350, 250], 1: [450, 350] }, STEPS);
    await assertBlank(page, 'draft', [[275, 175], [525, 425]], 'pinching draws nothing');
    await touch.up(0);
    await touch.up(1);
    const zoomedOut = await waitForCamera(page, { x: 400 - underPinch[0] / 2, y: 300 - underPinch[1] / 2, scale: 0.5 }, 'zoomed out to 50% about the midpoint');
    assertNear(boardPointUnder(zoomedOut, pinchMid), underPinch, 1, 'the board point under the pinch midpoint stays under it');
    const [squareX, squareY] = [zoomedOut.x + 500 * 0.5, zoomedOut.y + 450 * 0.5];
    await waitForPixels(page, 'shapes', { on: [[squareX, squareY]], off: [[squareX + 11, squareY + 11], [500, 450]] }, 'the square shrank to 10 px where the camera says');

    // One finger draws under the zoom, and is the only new shape.
    await oneFingerDrag(touch, [[100, 600], [300, 600]]);
    await until((s) => s.length === 2, 'the one-finger stroke reached the server');
    const ink = shapes().find((shape) => shape.id !== 'reference');
    assert.ok(ink?.type === 'ink', `only the reference square and the stroke: ${JSON.stringify(shapes().map((s) => s.type))}`);
    const start = boardPointUnder(zoomedOut, [100, 600]);
    assertNear([ink.x, ink.y], start, 0.5, 'the stroke starts at the board point under the finger');
    assert.equal(Math.max(...ink.points.filter((_n, i) => i % 3 === 0)), 400, 'a 200 px stroke at 50% is 400 board units long');
    assert.deepEqual(errors, []);
  });

  test('a second finger landing mid-stroke cancels the stroke or box and pans instead; nothing stray is drawn', async () => {
    const { page, touch, errors, shapes, until } = await openTouchRoom('e2e-touch-switch');

    // Pen: the partial stroke shows in the draft, then goes when the second finger lands.
    await tapTool(page, 'pen');
    await touch.down(0, [200, 600]);
    await touch.move({ 0: [300, 650] }, STEPS);
    await waitForPixels(page, 'draft', { on: [[250, 625]], off: [] }, 'the one-finger stroke is being drawn');
    await touch.down(1, [500, 600]);
    await waitForPixels(page, 'draft', { on: [], off: [[250, 625], [200, 600], [300, 650]] }, 'the second finger cancels the stroke');
    await touch.move({ 0: [350, 600], 1: [550, 550] }, STEPS);
    await waitForCamera(page, { x: 50, y: -50, scale: 1 }, 'the two fingers pan');
    // The second finger lifts first: the first one, still down, must not take the stroke up again.
    await touch.up(1);
    await touch.move({ 0: [450, 650] }, STEPS);
    await assertBlank(page, 'draft', [[400, 625]], 'the finger left down draws nothing');
    await touch.up(0);
    await assertBlank(page, 'shapes', [[400, 625], [300, 575]], 'nor does lifting it commit anything');

    // Rectangle: the box in progress goes when the second finger lands; the first finger lifts first.
    await tapTool(page, 'rectangle');
    await touch.down(0, [600, 200]);
    await touch.move({ 0: [700, 300] }, STEPS);
    await waitForPixels(page, 'draft', { on: [[650, 200]], off: [] }, 'the one-finger box is being drawn');
    await touch.down(1, [900, 300]);
    await waitForPixels(page, 'draft', { on: [], off: [[650, 200], [700, 250]] }, 'the second finger cancels the box');
    await touch.move({ 0: [650, 350], 1: [850, 350] }, STEPS);
    await waitForCamera(page, { x: 0, y: 0, scale: 1 }, 'the two fingers pan back');
    await touch.up(0);
    await touch.move({ 1: [950, 450] }, STEPS);
    const secondFingerBox: Probe[] = [[900, 350], [950, 400], [900, 450], [850, 400]];
    await assertBlank(page, 'draft', secondFingerBox, 'the finger left down draws nothing');
    await touch.up(1);
    await assertBlank(page, 'shapes', [...secondFingerBox, [600, 250], [650, 300]], 'nor does lifting it commit anything');

    // A fresh one-finger box draws (the interrupted gestures left no pointer stuck), and it is the
    // only shape the server got: anything stray would have been committed before it.
    await oneFingerDrag(touch, [[300, 300], [400, 380]]);
    await until((s) => s.length >= 1, 'the one-finger rectangle reached the server');
    const all = shapes();
    assert.equal(all.length, 1, `one shape only: ${JSON.stringify(all.map((s) => s.type))}`);
    const [rect] = all;
    assert.ok(rect?.type === 'rect');
    assert.deepEqual({ x: rect.x, y: rect.y, width: rect.width, height: rect.height }, { x: 300, y: 300, width: 100, height: 80 });
    // Where the cancelled stroke and box would be on the board (the view is back where it began).
    await waitForPixels(page, 'shapes', { on: [[300, 340]], off: [[250, 625], [600, 250], [650, 300]] }, 'no stray stroke or box on the board');
    assert.deepEqual(errors, []);
  });
});
