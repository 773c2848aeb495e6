import { getStroke } from 'perfect-freehand';

/**
 * How a stroke's flat [x, y, pressure, …] points become a filled outline. Kept in one place so the
 * drawing view, the committed view and hit testing agree on how wide a stroke is.
 */

/** Diameter of a full-pressure stroke for a given style width. */
export function inkSize(strokeWidth: number): number {
  return Math.max(1, strokeWidth * 4);
}

/**
 * The outline polygon of a stroke as [[x, y], …] in the stroke's own coordinates. `complete` is
 * false while the stroke is still being drawn, so perfect-freehand does not cap the live end.
 */
export function inkOutline(points: readonly number[], strokeWidth: number, complete: boolean): number[][] {
  const input: number[][] = [];
  for (let i = 0; i + 2 < points.length; i += 3) input.push([points[i]!, points[i + 1]!, points[i + 2]!]);
  return getStroke(input, {
    size: inkSize(strokeWidth),
    thinning: 0.6,
    smoothing: 0.5,
    streamline: 0.4,
    // Pressure is captured per point (real or simulated at input time), so every client draws
    // the same stroke; perfect-freehand must not invent its own.
    simulatePressure: false,
    last: complete,
  });
}
