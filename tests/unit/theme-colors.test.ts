/**
 * The dark theme's colour mapping (client/canvas/theme-colors.ts): the style panel's colours have
 * their counterparts, which read on the dark board; any other colour keeps its hue at the opposite
 * lightness; nothing that is not a hex colour is touched; the light theme draws colours as stored.
 * An SVG export keeps the colours as drawn unless asked for the dark background.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AS_DRAWN, DARK_BACKGROUND, darkColor, LIGHT_BACKGROUND, paintFor, paintStyle } from '../../client/canvas/theme-colors.ts';
import { DEFAULT_STYLE } from '../../shared/shapes/base.ts';
import { FRAME_STYLE } from '../../client/shapes/constants.ts';
import { STICKY_COLOR } from '../../client/shapes/sticky/sticky-tool.ts';
import { exportSvg } from '../../client/export/svg-export.ts';
import { contrast, luminance } from '../helpers/contrast.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const STROKES = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2', '#f08c00'];
const FILLS = ['#a5d8ff', '#ffc9c9', '#b2f2bb', '#ffec99', '#e9ecef'];

test('the default stroke turns near-white and reads on the dark board (WCAG AA, 4.5:1)', () => {
  const drawn = darkColor(DEFAULT_STYLE.strokeColor);
  assert.equal(drawn, '#e3e3e3');
  assert.ok(contrast(drawn, DARK_BACKGROUND) >= 4.5, `contrast ${contrast(drawn, DARK_BACKGROUND)}`);
  // The same stroke as stored reads on the light board: the mapping is what makes the difference.
  assert.ok(contrast(DEFAULT_STYLE.strokeColor, LIGHT_BACKGROUND) >= 4.5);
  assert.ok(contrast(DEFAULT_STYLE.strokeColor, DARK_BACKGROUND) < 1.5, 'unmapped, black on the dark board would not read');
});

test('every palette stroke reads on the dark board, and every palette fill turns darker under light text', () => {
  for (const stroke of STROKES) {
    const drawn = darkColor(stroke);
    assert.notEqual(drawn, stroke, `${stroke} has a counterpart`);
    assert.ok(contrast(drawn, DARK_BACKGROUND) >= 4.5, `${stroke} → ${drawn}: ${contrast(drawn, DARK_BACKGROUND)}`);
  }
  const text = darkColor(DEFAULT_STYLE.strokeColor);
  for (const fill of [...FILLS, STICKY_COLOR, DEFAULT_STYLE.fillColor]) {
    const drawn = darkColor(fill);
    assert.ok(luminance(drawn) < luminance(fill) / 4, `${fill} → ${drawn} is a deep tint`);
    // A label on its fill reads as well as it did in the light theme.
    assert.ok(contrast(text, drawn) >= 4.5, `text on ${fill} → ${drawn}: ${contrast(text, drawn)}`);
  }
});

test('frames keep a box a shade off the dark board, with a readable title', () => {
  const box = darkColor(FRAME_STYLE.fill);
  assert.ok(luminance(box) < 0.05 && luminance(box) > luminance(DARK_BACKGROUND), `frame box ${box}`);
  assert.ok(contrast(darkColor(FRAME_STYLE.titleColor), box) >= 4.5);
});

test('any other colour keeps its hue at the opposite lightness, and inverting twice gives it back', () => {
  assert.equal(darkColor('#000000'), '#ffffff');
  assert.equal(darkColor('#808080'), '#7f7f7f');
  // A dark navy becomes a light blue, not an orange (what a plain RGB invert would give).
  const navy = darkColor('#102040');
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(navy.slice(i, i + 2), 16)) as [number, number, number];
  assert.ok(b > g && g > r && luminance(navy) > 0.5, `navy → ${navy}`);
  for (const color of ['#102040', '#7a3b91', '#00ff88', '#c0ffee', '#123456']) {
    const back = darkColor(darkColor(color));
    const diff = [1, 3, 5].map((i) => Math.abs(parseInt(back.slice(i, i + 2), 16) - parseInt(color.slice(i, i + 2), 16)));
    assert.ok(Math.max(...diff) <= 2, `${color} → ${darkColor(color)} → ${back}`);
  }
});

test('alpha is kept, upper case is read, and what is not a hex colour is left alone', () => {
  assert.equal(darkColor('#1E1E1E'), '#e3e3e3');
  assert.equal(darkColor('#1e1e1e80'), '#e3e3e380');
  assert.equal(darkColor('transparent'), 'transparent');
  assert.equal(darkColor(''), '');
});

test('the light theme draws colours as stored; paintStyle maps only the style colours, never in place', () => {
  assert.equal(paintFor('light'), AS_DRAWN);
  assert.equal(paintFor('dark'), darkColor);
  const shape = { id: 'a', strokeColor: '#1e1e1e', fillColor: '#a5d8ff', x: 1 };
  assert.equal(paintStyle(shape, AS_DRAWN), shape);
  const painted = paintStyle(shape, darkColor);
  assert.deepEqual(painted, { id: 'a', strokeColor: '#e3e3e3', fillColor: '#1c3f5e', x: 1 });
  assert.equal(shape.strokeColor, '#1e1e1e', 'the stored shape is untouched');
});

test('an SVG export keeps the drawn colours by default; with `dark` every colour is the dark theme\'s', () => {
  const shapes = DEFS.map((def, n) => sampleShape(def, { id: `s${n}`, x: n * 300 }));
  const colours = (svg: string): Set<string> => new Set([...svg.matchAll(/(?:fill|stroke)="(#[0-9a-f]{6,8})"/gi)].map((m) => m[1]!.toLowerCase()));
  const drawn = colours(exportSvg(shapes));
  assert.ok(drawn.has(DEFAULT_STYLE.strokeColor) && drawn.has(LIGHT_BACKGROUND), [...drawn].join(' '));
  const dark = colours(exportSvg(shapes, { dark: true }));
  assert.ok(dark.has(DARK_BACKGROUND) && dark.has(darkColor(DEFAULT_STYLE.strokeColor)) && dark.has(darkColor(FRAME_STYLE.fill)), [...dark].join(' '));
  // Every colour drawn in the light export appears mapped in the dark one, and none unmapped.
  for (const colour of drawn) if (colour !== LIGHT_BACKGROUND) assert.ok(dark.has(darkColor(colour)), `${colour} → ${darkColor(colour)}`);
  assert.ok(!dark.has(DEFAULT_STYLE.strokeColor), 'no stroke left as drawn');
});
