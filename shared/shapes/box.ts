import type { OwnFields, ShapeBase } from './base.ts';
import { readSize } from './fields.ts';

/** The fields of a box-shaped type: a box of `width` × `height` from the origin. */
export interface BoxFields {
  width: number;
  height: number;
}

/** Reads `width` and `height` (rectangle, ellipse and diamond have nothing else). */
export function readBox<S extends ShapeBase & BoxFields>(record: Readonly<Record<string, unknown>>): OwnFields<S> | string {
  const width = readSize(record, 'width');
  if (typeof width === 'string') return width;
  const height = readSize(record, 'height');
  if (typeof height === 'string') return height;
  return { width, height } as OwnFields<S>;
}
