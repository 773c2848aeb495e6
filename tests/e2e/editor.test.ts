/**
 * End to end for the editor: every tool, select/move/resize/rotate/restyle/delete, undo and redo,
 * per-user undo, pan and zoom, the help dialog and the clipboard, in the built client against the
 * real server. Two pages on one board: the other page must see every step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getShapesMap } from '../../shared/doc.ts';
import type { Shape } from '../../shared/schema.ts';
import { createBoard } from '../../client/model/board.ts';
import { BOUND_END_GAP } from '../../client/model/bound-ends.ts';
import { shapeBounds } from '../../client/model/geometry.ts';
import type { Bounds, Point } from '../../client/model/plane.ts';
import { poll } from '../helpers/client.ts';
import { boardSuite, drag, TIMEOUT, waitForColor, waitForPixels, type Probe } from '../helpers/board-page.ts';

/**
 * An arrow as a page draws it: its bound ends derived from the shapes where they are now (the
 * stored record keeps the ends as last written). Read from the observer's document.
 */
function drawnArrow(doc: Parameters<typeof createBoard>[0], id: string): Extract<Shape, { type: 'arrow' }> {
  const board = createBoard(doc);
  const arrow = board.get(id);
  board.close();
  assert.ok(arrow?.type === 'arrow', 'the arrow is on the board');
  return arrow;
}

/** A drawn arrow's end, start or last point, on the board. */
const endOf = (arrow: Extract<Shape, { type: 'arrow' }>, which: 'start' | 'end'): Point => {
  const i = which === 'start' ? 0 : arrow.points.length - 2;
  return { x: arrow.x + arrow.points[i]!, y: arrow.y + arrow.points[i + 1]! };
};

/** How far `p` is outside `box` (0 inside). */
const outside = (p: Point, box: Bounds): number => Math.hypot(Math.max(box.x - p.x, 0, p.x - box.x - box.width), Math.max(box.y - p.y, 0, p.y - box.y - box.height));

/** Pointer moves per leg of a drag in these tests. */
const STEPS = 6;

describe('the editor in the browser', { timeout: 180_000 }, () => {
  // Any console error or warning fails a test.
  const suite = boardSuite({ watch: 'strict' });
  const openRoom = (prefix: string) => suite.openRoom(`${prefix}-${Date.now()}`);

  test('every shape type; move, resize, rotate, restyle, delete, undo and redo — the other page sees every step', async () => {
    const { pageA, pageB, observer, errors, shapes, until } = await openRoom('e2e-editor');
    await pageA.keyboard.press('r');
    await drag(pageA, [[300, 200], [380, 260], [450, 300]], { steps: STEPS });
    await pageA.keyboard.press('d');
    await drag(pageA, [[500, 200], [580, 260], [650, 300]], { steps: STEPS });
    await pageA.keyboard.press('o');
    await drag(pageA, [[880, 200], [900, 260], [950, 300]], { steps: STEPS });
    await pageA.keyboard.press('l');
    await drag(pageA, [[700, 200], [780, 260], [850, 300]], { steps: STEPS });
    await pageA.keyboard.press('a');
    await drag(pageA, [[320, 250], [450, 250], [575, 250]], { steps: STEPS });
    await pageA.keyboard.press('t');
    await pageA.mouse.click(320, 420);
    await pageA.locator('.text-editor').waitFor({ state: 'visible', timeout: TIMEOUT });
    await pageA.keyboard.type('Hello');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.press('n');
    await pageA.mouse.click(650, 500);
    await pageA.locator('.text-editor[data-kind="sticky"]').waitFor({ state: 'visible', timeout: TIMEOUT });
    await pageA.keyboard.type('Note');
    await pageA.keyboard.press('Escape');

    // Typing goes out keystroke by keystroke: the note can be in the document before its last letter.
    const typed = (s: ReturnType<typeof shapes>, type: string, text: string): boolean => s.some((shape) => shape.type === type && (shape as { text?: string }).text === text);
    await until((s) => s.length === 7 && typed(s, 'text', 'Hello') && typed(s, 'sticky', 'Note'), 'seven shapes in the document, all typed');
    const byType = new Map(shapes().map((shape) => [shape.type, shape]));
    assert.deepEqual([...byType.keys()].sort(), ['arrow', 'diamond', 'ellipse', 'line', 'rect', 'sticky', 'text']);
    const rect = byType.get('rect')!;
    const arrow = byType.get('arrow')!;
    assert.ok(arrow.type === 'arrow');
    assert.deepEqual([arrow.startBinding, arrow.endBinding], [rect.id, byType.get('diamond')!.id], 'the arrow is bound at both ends');
    assert.equal(byType.get('text')?.type === 'text' && (byType.get('text') as { text: string }).text, 'Hello');
    assert.equal(byType.get('sticky')?.type === 'sticky' && (byType.get('sticky') as { text: string }).text, 'Note');
    await waitForPixels(
      pageB,
      'shapes',
      { on: [[300, 250], [537, 225], [775, 250], [880, 250], [500, 250], [650, 500], [330, 420]], off: [[1000, 700]] },
      'page B shows every shape',
    );

    // Double-click edits a text in place.
    await pageA.keyboard.press('v');
    await pageA.mouse.dblclick(340, 420);
    await pageA.locator('.text-editor[data-kind="text"]').waitFor({ state: 'visible', timeout: TIMEOUT });
    await pageA.keyboard.type(' world');
    await pageA.keyboard.press('Enter');
    const textId = byType.get('text')!.id;
    await until((s) => s.some((x) => x.id === textId && x.type === 'text' && x.text === 'Hello world'), 'the text was edited');

    // Move the rectangle down by 50: the arrow's start follows.
    await drag(pageA, [[310, 215], [310, 240], [310, 265]], { steps: STEPS });
    await until((s) => s.find((x) => x.id === rect.id)?.y === 250, 'the rectangle moved');
    // The arrow is not written: its start is derived from the rectangle, at its edge where it is now.
    const moved = shapes().find((x) => x.id === rect.id)!;
    assert.ok(outside(endOf(drawnArrow(observer.doc, arrow.id), 'start'), shapeBounds(moved)) <= BOUND_END_GAP + 2, 'the bound arrow followed');
    await waitForPixels(pageB, 'shapes', { on: [[300, 330]], off: [[300, 220]] }, 'page B shows the move');

    // Resize by the bottom-right handle, then rotate a quarter turn with Shift.
    await drag(pageA, [[456, 356], [480, 380], [506, 406]], { steps: STEPS });
    await until((s) => {
      const r = s.find((x) => x.id === rect.id);
      return r?.type === 'rect' && r.width > 190 && r.height > 140;
    }, 'the rectangle was resized');
    const resized = shapes().find((x) => x.id === rect.id)!;
    assert.ok(resized.type === 'rect');
    const center = { x: resized.x + resized.width / 2, y: resized.y + resized.height / 2 };
    await drag(pageA, [[center.x, resized.y - 30], [center.x + 60, center.y - 40], [center.x + 150, center.y]], { steps: STEPS, shift: true });
    await until((s) => s.find((x) => x.id === rect.id)?.rotation === 90, 'the rectangle turned a quarter');

    // Restyle: extra bold and red, seen in page B's pixels on the turned rectangle's left edge.
    await pageA.click('[data-style="strokeWidth"][data-value="8"]');
    await pageA.click('[data-style="strokeColor"][data-value="#e03131"]');
    await until((s) => s.find((x) => x.id === rect.id)?.strokeColor === '#e03131', 'the rectangle is red');
    const leftEdge: Probe = [Math.round(center.x - resized.height / 2), Math.round(center.y)];
    await waitForColor(pageB, 'shapes', leftEdge, '#e03131', 'page B shows the red, rotated rectangle');

    // Delete, undo, redo, undo again: each step reaches page B.
    await pageA.keyboard.press('Delete');
    await until((s) => !s.some((x) => x.id === rect.id), 'deleted');
    await waitForPixels(pageB, 'shapes', { on: [], off: [leftEdge] }, 'page B drops the rectangle');
    await pageA.keyboard.press('Control+z');
    await until((s) => s.some((x) => x.id === rect.id), 'undo brings it back');
    await waitForColor(pageB, 'shapes', leftEdge, '#e03131', 'page B shows it again');
    await pageA.keyboard.press('Control+Shift+z');
    await until((s) => !s.some((x) => x.id === rect.id), 'redo deletes it again');
    await pageA.keyboard.press('Control+z');
    await pageA.keyboard.press('Control+z');
    await until((s) => s.find((x) => x.id === rect.id)?.strokeColor === '#1e1e1e' || s.find((x) => x.id === rect.id)?.strokeWidth === 8, 'undo walks back through the restyle');
    await pageA.keyboard.press('Control+y');
    await until((s) => s.find((x) => x.id === rect.id)?.strokeColor === '#e03131', 'Ctrl+Y redoes');
    assert.deepEqual(errors, []);
  });

  test('per-user undo: A draws, B draws, A undoes → only A’s shape goes', async () => {
    const { pageA, pageB, errors, shapes, until } = await openRoom('e2e-undo');
    await pageA.keyboard.press('r');
    await drag(pageA, [[300, 300], [400, 400]], { steps: STEPS });
    await until((s) => s.length === 1, 'A drew');
    await pageB.keyboard.press('o');
    await drag(pageB, [[600, 300], [700, 400]], { steps: STEPS });
    await until((s) => s.length === 2, 'B drew');
    await waitForPixels(pageA, 'shapes', { on: [[600, 350]], off: [] }, 'A sees B’s ellipse');
    await pageA.keyboard.press('Control+z');
    await until((s) => s.length === 1 && s[0]?.type === 'ellipse', 'only A’s rectangle went');
    await waitForPixels(pageB, 'shapes', { on: [[600, 350]], off: [[300, 350]] }, 'B sees A’s undo, keeps its own shape');
    assert.equal(await pageA.isDisabled('[data-action="undo"]'), true, 'A has nothing more to undo');
    assert.equal(await pageB.isDisabled('[data-action="undo"]'), false);
    assert.deepEqual(errors, []);
  });

  test('a bound arrow follows a dragged shape while the mouse is still down; the drop writes both at once', async () => {
    const { pageA, pageB, observer, errors, shapes, until } = await openRoom('e2e-follow');
    await pageA.keyboard.press('r');
    await drag(pageA, [[300, 300], [400, 400]], { steps: STEPS });
    // From empty board into the rectangle: only the end is bound.
    await pageA.keyboard.press('a');
    await drag(pageA, [[100, 350], [350, 350]], { steps: STEPS });
    await until((s) => s.length === 2, 'a rectangle and an arrow');
    const rect = shapes().find((x) => x.type === 'rect')!;
    const arrow = shapes().find((x) => x.type === 'arrow')!;
    assert.ok(arrow.type === 'arrow');
    assert.deepEqual([arrow.startBinding, arrow.endBinding], [null, rect.id]);
    await waitForPixels(pageB, 'shapes', { on: [[225, 350]], off: [[225, 400]] }, 'page B shows the arrow');

    // The ids whose fields each transaction reaching the observer changed.
    const touched: string[][] = [];
    getShapesMap(observer.doc).observeDeep((events) => touched.push([...new Set(events.map((event) => String(event.path[0])))].sort()));

    await pageA.keyboard.press('v');
    await pageA.mouse.move(330, 310);
    await pageA.mouse.down();
    await pageA.mouse.move(330, 410, { steps: STEPS });
    // Mid-drag, page A already draws the arrow to the moved end (350, 450): its middle went down.
    await waitForPixels(pageA, 'shapes', { on: [[225, 400]], off: [[225, 350]] }, 'page A shows the arrow following before the drop');
    assert.deepEqual(touched, [], 'the drag is a draft: nothing is written before the drop');
    await pageA.mouse.up();

    await until((s) => s.find((x) => x.id === rect.id)?.y === 400, 'the rectangle moved');
    // The end is derived from the rectangle: the drop writes the rectangle alone, in one transaction.
    const followed = drawnArrow(observer.doc, arrow.id);
    assert.deepEqual(endOf(followed, 'start'), { x: 100, y: 350 }, 'the unbound start stayed');
    assert.ok(outside(endOf(followed, 'end'), shapeBounds(shapes().find((x) => x.id === rect.id)!)) <= BOUND_END_GAP + 2, 'the arrow end followed to the moved rectangle');
    assert.deepEqual(touched, [[rect.id]], 'only the shape is written, once');
    await waitForPixels(pageB, 'shapes', { on: [[225, 400]], off: [[225, 350]] }, 'page B shows the followed arrow');
    await pageA.keyboard.press('Control+z');
    await until((s) => s.find((x) => x.id === rect.id)?.y === 300, 'one undo puts the rectangle back');
    assert.ok(Math.abs(endOf(drawnArrow(observer.doc, arrow.id), 'end').y - 350) < 1, 'and the arrow with it');
    assert.deepEqual(errors, []);
  });

  test('a fast Ctrl+wheel zoom scales the drawn shapes on the compositor, then redraws them once the zoom pauses', async () => {
    const { pageA, errors, until } = await openRoom('e2e-zoom-preview');
    await pageA.keyboard.press('r');
    await drag(pageA, [[400, 300], [500, 400]], { steps: STEPS });
    await until((s) => s.length === 1, 'drawn');
    await waitForPixels(pageA, 'shapes', { on: [[400, 350]], off: [[350, 350]] }, 'the rectangle at 100%');
    // Scaled ×2 about the pointer: the corner (400, 300) goes to (300, 300), the far side to x = 500.
    const zoomed = { on: [[300, 400], [500, 450], [400, 300]] as Probe[], off: [[400, 400], [250, 400]] as Probe[] };
    // Two zoom steps of √2 about (500, 300), a frame apart, as a trackpad pinch sends them; then,
    // in the same task (before the zoom can settle), what the screen shows at the probes. `sign`
    // -1 zooms in, +1 zooms back out by exactly as much.
    const twoSteps = (sign: number) =>
      pageA.evaluate(
        async ({ probes, sign }) => {
          const board = document.querySelector<HTMLElement>('#board')!;
          const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="shapes"]')!;
          // (No named helpers in here: the test transpiler would wrap them in a function the page lacks.)
          for (let i = 0; i < 2; i++) {
            board.dispatchEvent(new WheelEvent('wheel', { clientX: 500, clientY: 300, deltaY: (sign * Math.log(2)) / 0.0025 / 2, ctrlKey: true, bubbles: true, cancelable: true }));
            await new Promise((resolve) => requestAnimationFrame(resolve));
          }
          // The canvas's box includes its CSS transform, so this maps screen points onto its bitmap.
          const rect = canvas.getBoundingClientRect();
          const ratio = canvas.width / rect.width;
          const context = canvas.getContext('2d')!;
          const shown = probes.map(([x, y]) => {
            const { data } = context.getImageData(Math.round((x - rect.left) * ratio) - 3, Math.round((y - rect.top) * ratio) - 3, 7, 7);
            return data.some((value, i) => i % 4 === 3 && value > 0);
          });
          return { transform: canvas.style.transform, shown };
        },
        { probes: [...zoomed.on, ...zoomed.off], sign },
      );
    const settled = () => poll(async () => (await pageA.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas[data-layer="shapes"]')!.style.transform)) === '', 'the zoom settles into a real drawing', TIMEOUT);
    // A frame that takes longer than the preview's refresh interval (a loaded machine) draws the
    // second step for real, which is right but shows nothing to test: zoom back out and try again.
    // With the preview broken every attempt draws, so the test still fails.
    let during = await twoSteps(-1);
    for (let attempt = 1; attempt < 3 && !/scale\(/.test(during.transform); attempt++) {
      await settled();
      await twoSteps(1);
      await settled();
      await waitForPixels(pageA, 'shapes', { on: [[400, 350]], off: [[350, 350]] }, 'back at 100%');
      during = await twoSteps(-1);
    }
    assert.match(during.transform, /scale\(/, `the second step is shown by scaling the last drawing, not by drawing (${during.transform})`);
    assert.deepEqual(during.shown, [true, true, true, false, false], 'the scaled drawing is where the camera says');
    await settled();
    await waitForPixels(pageA, 'shapes', zoomed, 'the real drawing is where the camera says');
    assert.equal(await pageA.textContent('[data-action="zoom-reset"]'), '200%');
    assert.deepEqual(errors, []);
  });

  test('pan and zoom: wheel pans, Ctrl+wheel zooms about the pointer, Space+drag, middle mouse, hand, zoom buttons, fit; the grid follows', async () => {
    const { pageA, errors, until } = await openRoom('e2e-camera');
    await pageA.keyboard.press('r');
    await drag(pageA, [[400, 300], [500, 400]], { steps: STEPS });
    await until((s) => s.length === 1, 'drawn');
    await waitForPixels(pageA, 'shapes', { on: [[400, 350]], off: [[400, 250]] }, 'the rectangle at its place');
    const grid = () => pageA.evaluate(() => document.querySelector<HTMLElement>('#board')!.style.backgroundPosition);

    await pageA.mouse.move(600, 500);
    await pageA.mouse.wheel(0, 100);
    await waitForPixels(pageA, 'shapes', { on: [[400, 250]], off: [[400, 380]] }, 'a scroll pans up by 100');
    assert.equal(await grid(), '0px -100px', 'the dot grid moved with the board');

    await pageA.keyboard.down('Space');
    await drag(pageA, [[700, 600], [750, 650], [800, 700]], { steps: STEPS });
    await pageA.keyboard.up('Space');
    await waitForPixels(pageA, 'shapes', { on: [[500, 350]], off: [[400, 350]] }, 'Space+drag pans by (100, 100)');

    await pageA.mouse.move(700, 600);
    await pageA.mouse.down({ button: 'middle' });
    await pageA.mouse.move(600, 500, { steps: 4 });
    await pageA.mouse.up({ button: 'middle' });
    await waitForPixels(pageA, 'shapes', { on: [[400, 250]], off: [[600, 350]] }, 'middle-drag pans back');

    await pageA.keyboard.press('h');
    await drag(pageA, [[700, 600], [750, 650], [800, 700]], { steps: STEPS });
    await waitForPixels(pageA, 'shapes', { on: [[500, 350]], off: [[400, 350]] }, 'the hand pans');
    assert.equal(await pageA.textContent('[data-action="zoom-reset"]'), '100%');

    // Zoom ×2 about the rectangle's top-left corner (now at 500, 300): the corner stays put.
    await pageA.mouse.move(500, 300);
    await pageA.keyboard.down('Control');
    await pageA.mouse.wheel(0, -277);
    await pageA.keyboard.up('Control');
    await poll(async () => (await pageA.textContent('[data-action="zoom-reset"]')) === '200%', 'Ctrl+wheel zoomed in to 200%', TIMEOUT);
    await waitForPixels(pageA, 'shapes', { on: [[500, 400], [600, 500], [700, 400]], off: [[500, 280]] }, 'zoomed about the pointer');

    await pageA.click('[data-action="zoom-reset"]');
    await poll(async () => (await pageA.textContent('[data-action="zoom-reset"]')) === '100%', 'reset to 100%', TIMEOUT);
    await pageA.click('[data-action="zoom-out"]');
    await poll(async () => (await pageA.textContent('[data-action="zoom-reset"]')) === '80%', 'zoom out', TIMEOUT);
    await pageA.click('[data-action="zoom-in"]');
    await pageA.click('[data-action="zoom-in"]');
    await poll(async () => (await pageA.textContent('[data-action="zoom-reset"]')) === '125%', 'zoom in', TIMEOUT);
    await pageA.click('[data-action="zoom-fit"]');
    // Fit never zooms in past 100%, and centres the rectangle on the board.
    await poll(async () => (await pageA.textContent('[data-action="zoom-reset"]')) === '100%', 'fit', TIMEOUT);
    await waitForPixels(pageA, 'shapes', { on: [[550, 400], [650, 400]], off: [[600, 400]] }, 'fit centres the shapes');
    assert.deepEqual(errors, []);
  });

  test('help dialog lists every tool and command; laser leaves nothing in the document; clipboard copy and paste', async () => {
    const { pageA, errors, shapes, until, observer } = await openRoom('e2e-misc');
    await pageA.keyboard.press('?');
    const dialog = pageA.locator('dialog.help-dialog');
    await dialog.waitFor({ state: 'visible', timeout: TIMEOUT });
    const text = (await dialog.textContent()) ?? '';
    for (const label of ['Select', 'Hand (pan)', 'Pen', 'Rectangle', 'Ellipse', 'Diamond', 'Line', 'Arrow', 'Text', 'Sticky note', 'Eraser', 'Laser pointer', 'Undo', 'Redo', 'Select all', 'Duplicate', 'Bring to front', 'Send to back', 'Lock / unlock', 'Zoom to fit', 'Copy, cut, paste']) {
      assert.ok(text.includes(label), `help lists ${label}`);
    }
    await pageA.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: TIMEOUT });

    let updates = 0;
    observer.doc.on('update', () => updates++);
    await pageA.keyboard.press('k');
    // The trail fades within a second, so it is checked while the pointer is still down at its
    // newest point: a loaded machine then cannot make the check come too late.
    await pageA.mouse.move(300, 300);
    await pageA.mouse.down();
    await pageA.mouse.move(400, 350, { steps: STEPS });
    await waitForPixels(pageA, 'overlay', { on: [[400, 350]], off: [] }, 'the laser trail shows');
    await pageA.mouse.move(500, 300, { steps: STEPS });
    await pageA.mouse.up();
    await waitForPixels(pageA, 'overlay', { on: [], off: [[400, 350]] }, 'and fades');
    assert.equal(updates, 0, 'the laser wrote nothing');

    // A style chosen with nothing selected is the style of the next shapes.
    await pageA.click('[data-style="fillStyle"][data-value="solid"]');
    await pageA.keyboard.press('r');
    await drag(pageA, [[300, 300], [400, 400]], { steps: STEPS });
    await until((s) => s.length === 1, 'drawn');
    assert.equal(shapes()[0]?.fillStyle, 'solid', 'the new rectangle has the chosen fill');
    await pageA.keyboard.press('Control+a');
    const copied = await pageA.evaluate(() => {
      const data = new DataTransfer();
      document.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
      return data.getData('text/plain');
    });
    assert.match(copied, /easel\/clipboard/);
    await pageA.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      const plain = new DataTransfer();
      plain.setData('text/plain', 'pasted words');
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: plain, bubbles: true, cancelable: true }));
    }, copied);
    await until((s) => s.length === 3, 'a pasted copy and a pasted text');
    const [original, copy, words] = shapes();
    assert.deepEqual([copy?.type, copy!.x - original!.x], ['rect', 16]);
    assert.equal(words?.type === 'text' && words.text, 'pasted words');
    await pageA.keyboard.press('Control+d');
    await until((s) => s.length === 4, 'Ctrl+D duplicates');

    // The eraser takes every shape it passes over in one go; one undo brings them all back.
    await pageA.keyboard.press('e');
    await drag(pageA, [[300, 350], [340, 350], [420, 350]], { steps: STEPS });
    await until((s) => s.filter((x) => x.type === 'rect').length === 0, 'the eraser took the rectangles');
    await pageA.keyboard.press('Control+z');
    await until((s) => s.length === 4, 'one undo brings them back');
    assert.deepEqual(errors, []);
  });
});
