/**
 * What an image shape shows while its file is not here (not yet fetched, or never uploaded): a
 * light grey box with a thin border and a picture icon in the middle, the shape's size. The canvas
 * view and the SVG export draw the same thing from these numbers.
 */

export const PLACEHOLDER_STYLE = {
  fill: '#f1f3f5',
  border: '#ced4da',
  /** The border's width in board units; it is drawn inside the box, so bounds stay the box. */
  borderWidth: 1,
  icon: '#adb5bd',
  /** The icon's stroke on its 24-unit grid. */
  iconStroke: 1.5,
} as const;

/** The picture icon on a 24×24 grid: a frame, a sun and a hill. */
export const PLACEHOLDER_ICON_PATH = 'M3.5 5.5h17v13h-17z M9 10a1.5 1.5 0 1 0 0.01 0 M3.5 16.5l5-4.5 4 3.5 3-2.5 5 4.5';

/** Where the icon goes in a box of `width` × `height`: a third of its shorter side, centred. */
export function placeholderIcon(width: number, height: number): { x: number; y: number; scale: number } {
  const side = Math.min(width, height) / 3;
  const scale = side / 24;
  return { x: (width - side) / 2, y: (height - side) / 2, scale };
}
