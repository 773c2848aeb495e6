/**
 * The shape conformance suite's pixel part (the rest is tests/unit/shape-conformance.test.ts):
 * for every registered shape type, what the canvas draws in headless Chromium against what the
 * geometry says. One server, one browser page and one board for all the types: each type's
 * samples are written to the board by a Node client, the page draws them, and its shapes layer
 * is read back. Checked per sample: every pixel drawn is inside the bounds (culling and the
 * selection outline rely on it) and the bounds are not much larger than the drawing; the pixels
 * drawn are where the hit test says the shape is; and its SVG export, rendered by the browser,
 * covers what the canvas drew.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { getShapesMap, writeShape } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import type { Shape } from '../../shared/schema.ts';
import { hitShape, localBounds, shapeBounds, type Bounds } from '../../client/model/geometry.ts';
import { exportSvg } from '../../client/export/svg-export.ts';
import type { TestClient } from '../helpers/client.ts';
import { poll } from '../helpers/client.ts';
import { boardSuite, openBoard, TIMEOUT } from '../helpers/board-page.ts';
import { DEFS, samples } from '../helpers/shape-samples.ts';

/** Where each sample goes on the board (the page's camera starts at 1:1 with the board at the canvas's corner). */
const PLACES = [
  { x: 150, y: 150 },
  { x: 650, y: 250 },
];
/**
 * Antialiasing reaches this far past a drawn edge, in pixels: a pixel the edge only crosses is
 * drawn whole. In a turned shape's frame a pixel is wider (see `Painted.span`), and so is this.
 */
const EDGE_PX = 1;
/** How much larger than the drawing bounds may be on each side: this many pixels, or this share of the side. */
const SLACK_PX = 4;
const SLACK_SHARE = 0.25;
/** A drawn pixel's centre hits its shape within this tolerance (antialiasing, round caps)… */
const HIT_TOLERANCE = 1.5;
/**
 * …for at least this share of the pixels (ink under high pressure is drawn a little wider than it
 * hits). A part of a shape that does not hit at all, an arrowhead say, is more than this.
 */
const HIT_SHARE = 0.95;
/** The SVG export's drawing and the canvas's agree within this many pixels on each side (text is laid out by each on its own). */
const SVG_PX = 6;

interface Painted {
  /** The box around the drawn pixels, in CSS pixels of the canvas (board units at 1:1), or null if none. */
  box: Bounds | null;
  /** The box around the drawn pixels in the shape's own frame (origin and rotation `frame`), or null. */
  local: Bounds | null;
  /**
   * How wide a pixel is along the axes of that frame, in pixels: a square turned by θ spans
   * |cos θ| + |sin θ| of its side (up to √2 at 45°), so an edge pixel reaches that much further.
   */
  span: number;
  /** Centres of (up to about 3000 of) the drawn pixels. */
  pixels: Array<[number, number]>;
  /** Pixels drawn anywhere on the layer. */
  total: number;
}

/** A shape's origin and rotation on the board. */
interface Frame {
  x: number;
  y: number;
  rotation: number;
}

/**
 * What the shapes layer has drawn in `region`, and where that is in `frame` (a shape's own frame).
 * Runs in the page, so it closes over nothing.
 */
function paintedInPage({ region, frame }: { region: Bounds | null; frame?: Frame }): Painted {
  const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-layer="shapes"]');
  const context = canvas?.getContext('2d');
  if (!canvas || !context) throw new Error('no shapes layer');
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  const r = region ?? { x: 0, y: 0, width: width / ratio, height: height / ratio };
  const x0 = Math.max(0, Math.floor(r.x * ratio));
  const y0 = Math.max(0, Math.floor(r.y * ratio));
  const x1 = Math.min(width, Math.ceil((r.x + r.width) * ratio));
  const y1 = Math.min(height, Math.ceil((r.y + r.height) * ratio));
  const turn = (-(frame?.rotation ?? 0) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(turn), Math.sin(turn)];
  const span = Math.abs(cos) + Math.abs(sin);
  // Half a pixel's footprint along the frame's axes, in CSS pixels.
  const half = (0.5 * span) / ratio;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const local = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const all: Array<[number, number]> = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (data[(y * width + x) * 4 + 3] === 0) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      const [bx, by] = [(x + 0.5) / ratio, (y + 0.5) / ratio];
      all.push([bx, by]);
      if (frame === undefined) continue;
      // The pixel's centre in the shape's frame, and its footprint around it.
      const lx = (bx - frame.x) * cos - (by - frame.y) * sin;
      const ly = (bx - frame.x) * sin + (by - frame.y) * cos;
      local.minX = Math.min(local.minX, lx - half);
      local.maxX = Math.max(local.maxX, lx + half);
      local.minY = Math.min(local.minY, ly - half);
      local.maxY = Math.max(local.maxY, ly + half);
    }
  }
  const step = Math.max(1, Math.floor(all.length / 3000));
  return {
    box: all.length === 0 ? null : { x: minX / ratio, y: minY / ratio, width: (maxX + 1 - minX) / ratio, height: (maxY + 1 - minY) / ratio },
    local: local.minX === Infinity ? null : { x: local.minX, y: local.minY, width: local.maxX - local.minX, height: local.maxY - local.minY },
    span,
    pixels: all.filter((_p, i) => i % step === 0),
    total: all.length,
  };
}

/** The box around what the browser draws of an SVG document, in the document's own units. */
async function svgBoxInPage({ svg }: { svg: string }): Promise<Bounds | null> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.drawImage(image, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3] === 0) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX + 1 - minX, height: maxY + 1 - minY };
}

function grow(b: Bounds, by: number): Bounds {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}

/** How far `inner` is inside `outer` on each side (negative: outside), as [left, top, right, bottom]. */
function insets(outer: Bounds, inner: Bounds): number[] {
  return [inner.x - outer.x, inner.y - outer.y, outer.x + outer.width - (inner.x + inner.width), outer.y + outer.height - (inner.y + inner.height)].map((n) => Math.round(n * 10) / 10);
}

const fmt = (b: Bounds | null): string => (b === null ? 'nothing' : `${[b.x, b.y, b.width, b.height].map((n) => Math.round(n * 10) / 10).join(',')}`);

describe('shape conformance in the browser: bounds, hits and SVG against the pixels drawn', { timeout: 120_000 }, () => {
  const suite = boardSuite({ watch: 'strict' });
  const room = `e2e-shapes-${Date.now()}`;
  let page: Page;
  let writer: TestClient;
  const errors: string[] = [];

  before(async () => {
    writer = await suite.connect(room);
    page = await openBoard(await suite.newContext(), `${suite.server.httpUrl}/b/${room}`, errors, { watch: 'strict' });
  });

  /** Replaces the board's shapes with `shapes` (as another user would) and waits until the page has drawn them. */
  const show = async (shapes: readonly Shape[]): Promise<void> => {
    writer.doc.transact(() => getShapesMap(writer.doc).clear(), REMOTE_ORIGIN);
    await poll(async () => (await page.evaluate(paintedInPage, { region: null })).total === 0, 'the page cleared the board', TIMEOUT);
    writer.doc.transact(() => {
      for (const shape of shapes) writeShape(writer.doc, shape);
    }, REMOTE_ORIGIN);
    // One transaction is drawn in one frame: once any of it shows, all of it does.
    await poll(async () => (await page.evaluate(paintedInPage, { region: null })).total > 0, 'the page drew the shapes', TIMEOUT);
  };

  for (const def of DEFS) {
    test(`${def.type}: drawn within its bounds and filling them, where it hits, and as its SVG export draws it`, async () => {
      const shapes = samples(def).map(({ name, shape }, i) => ({ name, shape: { ...shape, id: `${def.type}-${i}`, index: `a${i}`, ...PLACES[i] } }));
      await show(shapes.map(({ shape }) => shape));
      for (const { name, shape } of shapes) {
        const bounds = shapeBounds(shape);
        const label = `${def.type}, ${name}`;
        const painted = await page.evaluate(paintedInPage, { region: grow(bounds, 20), frame: { x: shape.x, y: shape.y, rotation: shape.rotation } });
        assert.ok(painted.box !== null && painted.local !== null, `${label}: drawn`);
        // On the board (what culling and the selection outline use), and in the shape's own frame.
        const onBoard = insets(bounds, painted.box);
        assert.ok(onBoard.every((n) => n >= -EDGE_PX), `${label}: drawn ${fmt(painted.box)} reaches outside its bounds ${fmt(bounds)}: insets [left, top, right, bottom] ${onBoard.join(', ')}`);
        const local = localBounds(shape);
        const inFrame = insets(local, painted.local);
        assert.ok(inFrame.every((n) => n >= -EDGE_PX * painted.span), `${label}: in its own frame, drawn ${fmt(painted.local)} reaches outside its bounds ${fmt(local)}: insets ${inFrame.join(', ')}`);
        const allowed = [local.width, local.height, local.width, local.height].map((side) => Math.max(SLACK_PX, side * SLACK_SHARE));
        assert.ok(
          inFrame.every((n, i) => n <= allowed[i]!),
          `${label}: in its own frame, bounds ${fmt(local)} are larger than the drawing ${fmt(painted.local)} by ${inFrame.join(', ')} (allowed ${allowed.map(Math.round).join(', ')})`,
        );
        const hits = painted.pixels.filter(([x, y]) => hitShape(shape, { x, y }, HIT_TOLERANCE)).length;
        assert.ok(hits >= painted.pixels.length * HIT_SHARE, `${label}: ${hits} of ${painted.pixels.length} drawn pixels hit the shape`);

        const svg = exportSvg([shape], { background: null });
        const [, vx, vy] = /viewBox="(-?[\d.]+) (-?[\d.]+) /.exec(svg) ?? [];
        const svgBox = await page.evaluate(svgBoxInPage, { svg });
        assert.ok(svgBox !== null, `${label}: the SVG export draws something`);
        const svgOnBoard = { ...svgBox, x: svgBox.x + Number(vx), y: svgBox.y + Number(vy) };
        const apart = insets(painted.box, svgOnBoard).map(Math.abs);
        assert.ok(apart.every((n) => n <= SVG_PX), `${label}: the SVG draws ${fmt(svgOnBoard)}, the canvas ${fmt(painted.box)}: apart by ${apart.join(', ')}`);
      }
      // A sample that shows a file (an image) names one no server has: the page asking for it and
      // getting 404 (it draws the placeholder meanwhile) is what it should do, and Chromium logs it.
      assert.deepEqual(errors.filter((error) => !/Failed to load resource: the server responded with a status of 404/.test(error)), []);
    });
  }
});
