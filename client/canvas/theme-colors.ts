import type { ShapeStyle } from '../../shared/schema.ts';

/**
 * How the board's colours look in each theme.
 *
 * The design: the document keeps every colour as it was drawn, and no theme ever writes to it (two
 * people on one board in different themes must not fight over a shape's colour). The canvas maps
 * colours as it draws, through `darkColor`, a pure function. We did not take Excalidraw's way (an
 * invert + hue-rotate filter on the whole canvas): it inverts pictures too, and the editor laid
 * over a text and the exports would need the same filter. We took tldraw's idea instead, a light
 * and a dark value for each named colour: the style panel's colours have hand-picked dark
 * counterparts (dark strokes turn light, pale fills turn to deep tints of the same hue, so a label
 * still reads on its fill), and any other colour has its HSL lightness inverted, its hue kept.
 * Pictures are never recoloured.
 */

/** The theme the board is drawn in. */
export type Theme = 'light' | 'dark';

/** A colour mapping for one theme: document colour in, colour to draw out. */
export type Paint = (color: string) => string;

/** The board's background in the dark theme: what the page shows and a "dark background" export fills with. */
export const DARK_BACKGROUND = '#121212';
/** The board's background in the light theme, and of exports by default. */
export const LIGHT_BACKGROUND = '#ffffff';

/**
 * Explicit dark counterparts, keys in lower case: the style panel's strokes (client/ui/style-panel.ts)
 * and fills, the notes' default paper, and the fixed colours frames and image placeholders are
 * drawn with (client/shapes/constants.ts, client/shapes/image/image-placeholder.ts).
 */
const DARK_COUNTERPARTS: ReadonlyMap<string, string> = new Map([
  // Strokes: light enough to read on DARK_BACKGROUND (WCAG AA for text).
  ['#1e1e1e', '#e3e3e3'],
  ['#e03131', '#ff8787'],
  ['#2f9e44', '#69db7c'],
  ['#1971c2', '#74c0fc'],
  ['#f08c00', '#ffc078'],
  // Fills and notes' paper: deep tints of the same hue, so light text on them reads.
  ['#a5d8ff', '#1c3f5e'],
  ['#ffc9c9', '#5c2626'],
  ['#b2f2bb', '#1f4a2a'],
  ['#ffec99', '#574a14'],
  ['#e9ecef', '#343a40'],
  // Frames: a box a shade above the background, a quiet border and title.
  ['#ffffff', '#1b1c1f'],
  ['#ced4da', '#3d4349'],
  ['#868e96', '#a6adb5'],
  // Image placeholders.
  ['#f1f3f5', '#25272b'],
  ['#adb5bd', '#6c757d'],
]);

/** Draws colours as stored: the light theme. */
export const AS_DRAWN: Paint = (color) => color;

/** The paint of a theme. */
export function paintFor(theme: Theme): Paint {
  return theme === 'dark' ? darkColor : AS_DRAWN;
}

/**
 * The colour to draw `color` with on the dark board: its explicit counterpart if it has one,
 * otherwise the same hue and saturation at the opposite lightness. The alpha of #rrggbbaa is kept;
 * anything that is not a hex colour ('transparent', '') is drawn as it is.
 */
export function darkColor(color: string): string {
  if (!/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(color)) return color;
  const rgb = color.slice(0, 7).toLowerCase();
  const alpha = color.slice(7).toLowerCase();
  return (DARK_COUNTERPARTS.get(rgb) ?? invertLightness(rgb)) + alpha;
}

/** A shape's style colours mapped through `paint`; the rest of the shape is untouched. */
export function paintStyle<S extends Pick<ShapeStyle, 'strokeColor' | 'fillColor'>>(shape: S, paint: Paint): S {
  if (paint === AS_DRAWN) return shape;
  return { ...shape, strokeColor: paint(shape.strokeColor), fillColor: paint(shape.fillColor) };
}

/** #rrggbb with its HSL lightness L replaced by 1 − L. */
function invertLightness(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  // Hue and saturation as HSL defines them; a grey has neither.
  let hue = 0;
  if (chroma > 0) {
    if (max === r) hue = ((g - b) / chroma + 6) % 6;
    else if (max === g) hue = (b - r) / chroma + 2;
    else hue = (r - g) / chroma + 4;
  }
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  return hslToHex(hue * 60, saturation, 1 - lightness);
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = lightness - chroma / 2;
  const sector = Math.floor(hue / 60) % 6;
  const [r, g, b] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ][sector]!;
  const channel = (v: number): string =>
    Math.round((v + m) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(r!)}${channel(g!)}${channel(b!)}`;
}
