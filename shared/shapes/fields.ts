import { isValidShapeId, SHAPE_LIMITS } from './base.ts';

/**
 * Readers for the kinds of field shape types have, for their part of the schema gate. Each takes
 * an untrusted value and returns it checked, or (where the value itself is not a string) a string
 * saying why it is refused.
 */

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A flat array of numbers, `stride` to a point, with at least `minPoints` points. */
export function readPoints(value: unknown, stride: number, minPoints: number): number[] | string {
  if (!Array.isArray(value)) return 'points is not an array';
  if (value.length % stride !== 0) return `points length ${value.length} is not a multiple of ${stride}`;
  if (value.length / stride < minPoints) return `needs at least ${minPoints} points`;
  if (value.length / stride > SHAPE_LIMITS.maxPoints) return `more than ${SHAPE_LIMITS.maxPoints} points`;
  for (const n of value) {
    if (!isFiniteNumber(n) || Math.abs(n) > SHAPE_LIMITS.maxCoordinate) return 'points holds a non-finite or out-of-range number';
  }
  return value as number[];
}

/** A side of a box: a number from 0 to the size limit. */
export function readSize(record: Readonly<Record<string, unknown>>, key: string): number | string {
  const value = record[key];
  if (!isFiniteNumber(value) || value < 0 || value > SHAPE_LIMITS.maxSize) return `${key} is missing or out of range`;
  return value;
}

/** A text within the length limit (shared/doc.ts cuts a merged Y.Text to it before this), or null. */
export function readText(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > SHAPE_LIMITS.maxTextLength) return null;
  return value;
}

/** The id of the shape an end is attached to; anything else is no binding. */
export function readBinding(value: unknown): string | null {
  return isValidShapeId(value) ? value : null;
}
