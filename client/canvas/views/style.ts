import type { ShapeStyle } from '../../../shared/schema.ts';
import { dashArray, SEMI_FILL_ALPHA } from '../../shapes/constants.ts';

/** Konva attributes for a shape's outline, shared by every view. */
export function strokeAttrs(style: ShapeStyle): {
  stroke: string;
  strokeWidth: number;
  strokeEnabled: boolean;
  dash: number[];
  dashEnabled: boolean;
  lineCap: 'round';
  lineJoin: 'round';
  opacity: number;
} {
  return {
    stroke: style.strokeColor,
    strokeWidth: style.strokeWidth,
    strokeEnabled: style.strokeWidth > 0,
    dash: dashArray(style),
    // A solid line skips setLineDash([]) on every draw of every shape.
    dashEnabled: style.dash !== 'solid',
    lineCap: 'round',
    lineJoin: 'round',
    opacity: style.opacity,
  };
}

/** The fill a closed shape gets, or '' for none. */
export function fillOf(style: ShapeStyle): string {
  switch (style.fillStyle) {
    case 'none':
      return '';
    case 'solid':
      return style.fillColor;
    case 'semi':
      return withAlpha(style.fillColor, SEMI_FILL_ALPHA);
  }
}

/** `color` (#rrggbb, #rrggbbaa or transparent) with its alpha multiplied by `factor`. */
export function withAlpha(color: string, factor: number): string {
  if (!color.startsWith('#')) return color;
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  const a = color.length === 9 ? parseInt(color.slice(7, 9), 16) / 255 : 1;
  return `rgba(${r}, ${g}, ${b}, ${(a * factor).toFixed(3)})`;
}

/** Settings every shape node gets: nothing listens for Konva events, and no extra buffers. */
export const NODE_DEFAULTS = {
  listening: false,
  // Without this Konva draws fill+stroke shapes with opacity through an offscreen buffer.
  perfectDrawEnabled: false,
  shadowForStrokeEnabled: false,
} as const;
