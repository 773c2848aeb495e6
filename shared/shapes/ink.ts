import type { ShapeBase, ShapeDef } from './base.ts';
import { readPoints } from './fields.ts';

/**
 * Freehand ink. `points` is a flat [x, y, pressure, x, y, pressure, …] array relative to the
 * origin, written once per stroke (an immutable value in the document, never edited point by point).
 */
export interface InkShape extends ShapeBase {
  type: 'ink';
  points: number[];
}

/** A wave of 25 points with varying pressure. */
const EXAMPLE_POINTS = Array.from({ length: 25 }, (_, i) => [i * 6, Math.round(30 - 30 * Math.cos(i / 4)), 0.3 + (i % 5) / 10]).flat();

export const inkDef: ShapeDef<InkShape> = {
  type: 'ink',
  pointStride: 3,
  read(record) {
    const points = readPoints(record.points, 3, 1);
    return typeof points === 'string' ? points : { points };
  },
  example: { points: EXAMPLE_POINTS },
};
