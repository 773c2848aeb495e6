import { SHAPE_LIMITS, type OwnFields, type ShapeBase } from './base.ts';
import { isFiniteNumber, readBinding, readPoints } from './fields.ts';
import { readLabelText, type LabelText } from './label.ts';

/** What a line or an arrow draws at an end (schema version 3; version 2 stored a boolean). */
export const ARROWHEADS = ['none', 'arrow', 'triangle', 'dot', 'bar'] as const;
export type Arrowhead = (typeof ARROWHEADS)[number];

/**
 * How a line or an arrow runs between its ends (schema version 3): through its points
 * (`straight`), as one curve bowed by `bend` (`curved`), or in horizontal and vertical segments
 * routed around the shapes its ends are bound to (`elbow`).
 */
export const ARROW_KINDS = ['straight', 'curved', 'elbow'] as const;
export type ArrowKind = (typeof ARROW_KINDS)[number];

/**
 * Where a bound end attaches to its shape: a point of the shape's own box (before its rotation)
 * as shares of its width and height, 0 to 1. The end is derived from the shape and this anchor
 * whenever the arrow is drawn, so it follows the shape whoever moves, resizes or turns it.
 */
export interface Anchor {
  x: number;
  y: number;
}

/**
 * The fields of line and arrow. `points` is a flat [x0, y0, x1, y1, …] array relative to the
 * origin: every point for `straight`; the two ends for `curved`; for `elbow`, the route as last
 * drawn (a reader routes it again from the ends). A bound end's stored point is where it was
 * when last written: readers that know the bound shape derive the end from it and the anchor.
 */
export interface LinearFields extends LabelText {
  points: number[];
  /** Id of the shape the start/end point is attached to, or null. */
  startBinding: string | null;
  endBinding: string | null;
  /** Where on the bound shape each end attaches; null (a version 2 record) derives it from the stored point. */
  startAnchor: Anchor | null;
  endAnchor: Anchor | null;
  startArrowhead: Arrowhead;
  endArrowhead: Arrowhead;
  arrowKind: ArrowKind;
  /**
   * For `curved`: how far the curve's middle stands off the middle of the straight line between
   * the ends, in board units, to the left of the start→end direction when positive. 0 is straight.
   */
  bend: number;
}

/** An arrowhead as stored: a kind, or version 2's boolean (true was the filled head: `triangle`). */
function readArrowhead(value: unknown, fallback: Arrowhead): Arrowhead {
  if (typeof value === 'boolean') return value ? 'triangle' : 'none';
  return typeof value === 'string' && (ARROWHEADS as readonly string[]).includes(value) ? (value as Arrowhead) : fallback;
}

/** An anchor with both shares finite, clamped to the box; anything else is none. */
export function readAnchor(value: unknown): Anchor | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y } = value as Record<string, unknown>;
  if (!isFiniteNumber(x) || !isFiniteNumber(y)) return null;
  const clamp = (n: number): number => Math.min(1, Math.max(0, n));
  return { x: clamp(x), y: clamp(y) };
}

/** Reads a line's or an arrow's fields; `endArrowhead` is what a record that leaves it out gets. */
export function readLinear<S extends ShapeBase & LinearFields>(record: Readonly<Record<string, unknown>>, endArrowhead: Arrowhead): OwnFields<S> | string {
  const points = readPoints(record.points, 2, 2);
  if (typeof points === 'string') return points;
  const text = readLabelText(record);
  if (text === null) return 'text is too long';
  const kind = record.arrowKind;
  const bend = record.bend;
  return {
    points,
    startBinding: readBinding(record.startBinding),
    endBinding: readBinding(record.endBinding),
    startAnchor: readAnchor(record.startAnchor),
    endAnchor: readAnchor(record.endAnchor),
    startArrowhead: readArrowhead(record.startArrowhead, 'none'),
    endArrowhead: readArrowhead(record.endArrowhead, endArrowhead),
    arrowKind: typeof kind === 'string' && (ARROW_KINDS as readonly string[]).includes(kind) ? (kind as ArrowKind) : 'straight',
    bend: isFiniteNumber(bend) ? Math.min(SHAPE_LIMITS.maxSize, Math.max(-SHAPE_LIMITS.maxSize, bend)) : 0,
    text,
  } as OwnFields<S>;
}
