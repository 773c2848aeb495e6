/**
 * The minimap's mapping: the fitted extent lands inside the minimap with its padding, board and
 * minimap points round-trip, and a click centres the camera on the board point under it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boardToMinimap, centredOn, extentOf, fitMinimap, MINIMAP_PADDING_PX, minimapToBoard, refit, viewportBounds } from '../../client/canvas/minimap-layout.ts';
import { createCamera } from '../../client/model/camera.ts';

const SIZE = { width: 200, height: 140 };

test('extentOf unions the boxes it is given and skips nulls', () => {
  assert.equal(extentOf([]), null);
  assert.equal(extentOf([null]), null);
  assert.deepEqual(extentOf([{ x: 0, y: 10, width: 100, height: 20 }, null, { x: -50, y: 0, width: 10, height: 10 }]), { x: -50, y: 0, width: 150, height: 30 });
});

test('a wide extent fills the width less the padding and is centred vertically', () => {
  const extent = { x: -1000, y: 0, width: 4000, height: 500 };
  const transform = fitMinimap(extent, SIZE);
  const drawn = boardToMinimap(transform, extent);
  assert.ok(Math.abs(drawn.x - MINIMAP_PADDING_PX) < 1e-9, `left edge at the padding, was ${drawn.x}`);
  assert.ok(Math.abs(drawn.x + drawn.width - (SIZE.width - MINIMAP_PADDING_PX)) < 1e-9, 'right edge at the padding');
  assert.ok(Math.abs(drawn.y + drawn.height / 2 - SIZE.height / 2) < 1e-9, 'centred vertically');
  assert.ok(drawn.y > MINIMAP_PADDING_PX, 'the short side does not touch the edge');
});

test('a tall extent fills the height and keeps its aspect', () => {
  const extent = { x: 0, y: 0, width: 100, height: 1000 };
  const drawn = boardToMinimap(fitMinimap(extent, SIZE), extent);
  assert.ok(Math.abs(drawn.height - (SIZE.height - 2 * MINIMAP_PADDING_PX)) < 1e-9);
  assert.ok(Math.abs(drawn.width / drawn.height - 0.1) < 1e-9);
});

test('an empty extent (one point) still gets a finite fit', () => {
  const transform = fitMinimap({ x: 5, y: 5, width: 0, height: 0 }, SIZE);
  assert.ok(Number.isFinite(transform.scale) && transform.scale > 0);
  assert.deepEqual(boardToMinimap(transform, { x: 5, y: 5, width: 0, height: 0 }), { x: SIZE.width / 2, y: SIZE.height / 2, width: 0, height: 0 });
});

test('minimap pixels and board points round-trip', () => {
  const transform = fitMinimap({ x: -300, y: 200, width: 1200, height: 900 }, SIZE);
  for (const point of [{ x: 0, y: 0 }, { x: 17, y: 133 }, { x: 200, y: 140 }]) {
    const board = minimapToBoard(transform, point);
    const back = boardToMinimap(transform, { ...board, width: 0, height: 0 });
    assert.ok(Math.abs(back.x - point.x) < 1e-9 && Math.abs(back.y - point.y) < 1e-9);
  }
});

test('viewportBounds is the box the camera shows', () => {
  const camera = createCamera({ x: 120, y: -40, scale: 2 });
  const screen = { width: 1000, height: 600 };
  assert.deepEqual(viewportBounds({ ...camera.viewport(), ...screen }), camera.visibleBounds(screen));
});

test('a click in the minimap centres the view on the board point under it, at the same zoom', () => {
  const transform = fitMinimap({ x: 0, y: 0, width: 4000, height: 2800 }, SIZE);
  const screen = { width: 1200, height: 800 };
  const camera = createCamera({ x: 0, y: 0, scale: 0.5 });
  const target = minimapToBoard(transform, { x: 150, y: 100 });
  camera.set(centredOn(target, camera.viewport().scale, screen));
  const visible = camera.visibleBounds(screen);
  assert.equal(camera.viewport().scale, 0.5);
  assert.ok(Math.abs(visible.x + visible.width / 2 - target.x) < 1e-9 && Math.abs(visible.y + visible.height / 2 - target.y) < 1e-9, 'the target is in the middle of the screen');
  // Around 150/200 of the way across a 4000-wide board.
  assert.ok(target.x > 2900 && target.x < 3100, `target x ${target.x}`);
});

test('an image drawn at one fit, drawn again where refit says, puts every board point where the new fit does', () => {
  // The board alone, then the board and a view far to the right of it (the fit shrinks and moves).
  const drawnAt = fitMinimap({ x: 0, y: 0, width: 1000, height: 700 }, SIZE);
  const now = fitMinimap({ x: 0, y: 0, width: 5000, height: 700 }, SIZE);
  const image = refit(drawnAt, now, SIZE);
  for (const point of [{ x: 0, y: 0 }, { x: 1000, y: 700 }, { x: 437, y: 12 }]) {
    const inImage = boardToMinimap(drawnAt, { ...point, width: 0, height: 0 });
    const k = image.width / SIZE.width;
    const shown = { x: image.x + inImage.x * k, y: image.y + inImage.y * k };
    const wanted = boardToMinimap(now, { ...point, width: 0, height: 0 });
    assert.ok(Math.abs(shown.x - wanted.x) < 1e-9 && Math.abs(shown.y - wanted.y) < 1e-9, `${JSON.stringify(point)}: ${JSON.stringify(shown)} vs ${JSON.stringify(wanted)}`);
  }
  assert.ok(image.width < SIZE.width, 'a fit that grew only shrinks the image');
  assert.deepEqual(refit(now, now, SIZE), { x: 0, y: 0, ...SIZE }, 'the same fit draws it as it is');
});
