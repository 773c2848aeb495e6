import { getStroke } from 'perfect-freehand';

/**
 * How a stroke's flat [x, y, pressure, …] points become a filled outline. Kept in one place so the
 * drawing view, the committed view, the bounds and hit testing agree on how wide a stroke is.
 */

/** How much lighter pressure thins a stroke (perfect-freehand's `thinning`). */
const THINNING = 0.6;

/**
 * The stroke's `size` for perfect-freehand, for a given style width: its diameter at pressure 0.5.
 * At pressure p perfect-freehand draws a radius of size × (0.5 − THINNING × (0.5 − p)), up to
 * 0.8 × size at full pressure. A width of 0 draws nothing, as a line of width 0 does: the select
 * tool takes the bounds at width 0 for the bare geometry it scales about, so they must reach no
 * further than the points.
 */
export function inkSize(strokeWidth: number): number {
  return strokeWidth * 4;
}

/**
 * How far the outline reaches from the stroke's points: the radius at its highest pressure, and
 * never less than half of inkSize (the reach the hit test gives every stroke).
 */
export function inkReach(strokeWidth: number, points: readonly number[]): number {
  let pressure = 0.5;
  for (let i = 2; i < points.length; i += 3) pressure = Math.max(pressure, points[i]!);
  return inkSize(strokeWidth) * (0.5 - THINNING * (0.5 - pressure));
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
    thinning: THINNING,
    smoothing: 0.5,
    streamline: 0.4,
    // Pressure is captured per point (real or simulated at input time), so every client draws
    // the same stroke; perfect-freehand must not invent its own.
    simulatePressure: false,
    last: complete,
  });
}
