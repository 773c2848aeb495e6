import type { ShapeStyle } from '../../shared/schema.ts';

/**
 * How shapes look, where more than one part of the client draws them: the canvas views, the SVG
 * export, the text editor laid over a text and the bounds the geometry computes all take these
 * from here, so they cannot drift apart.
 */

/** The font of every text and note, on the canvas, in the editor and in exported SVG. */
export const FONT_FAMILY = "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** Line height of all text, as a multiple of the font size. */
export const LINE_HEIGHT = 1.25;

/** Rough width of one character as a share of the font size, where text is not measured (bounds, SVG wrapping). */
export const CHAR_WIDTH = 0.6;

/** Space between a note's edge and its text, in board units. */
export const STICKY_PADDING = 12;

/** Radius of a note's rounded corners, in board units. */
export const STICKY_CORNER_RADIUS = 4;

/** Opacity of a 'semi' fill. */
export const SEMI_FILL_ALPHA = 0.5;

/** Length and width of an arrowhead for a line of this width. */
export function arrowheadSize(strokeWidth: number): number {
  return 6 + strokeWidth * 3;
}

/** The dash pattern of a line: dashes scale with it so thick dashed lines still read as dashed. */
export function dashArray(style: Pick<ShapeStyle, 'dash' | 'strokeWidth'>): number[] {
  const w = Math.max(1, style.strokeWidth);
  switch (style.dash) {
    case 'solid':
      return [];
    case 'dashed':
      return [w * 4, w * 3];
    case 'dotted':
      // A zero-length dash with round caps draws a dot.
      return [0, w * 2.5];
  }
}

/** A frame's look: fixed, whatever the style panel says, so frames read as frames and not as shapes. */
export const FRAME_STYLE = {
  fill: '#ffffff',
  border: '#ced4da',
  /** Width of the border, in board units. */
  borderWidth: 1,
  titleColor: '#868e96',
  /** Size of the title's font, in board units. */
  titleFontSize: 14,
  /** Space between the title's line and the frame's top edge, in board units. */
  titleGap: 6,
} as const;

/** The title a frame shows when its name is empty. */
export const FRAME_DEFAULT_NAME = 'Frame';

/** Height of the band above a frame its title is drawn in, gap included, in board units. */
export const FRAME_TITLE_BAND = FRAME_STYLE.titleFontSize * LINE_HEIGHT + FRAME_STYLE.titleGap;
