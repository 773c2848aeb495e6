import type { OwnFields, ShapeBase } from './base.ts';
import { readSize } from './fields.ts';
import { CENTERED, readLabel, type LabelFields } from './label.ts';

/** The fields of a box-shaped type: a box of `width` × `height` from the origin. */
export interface BoxFields {
  width: number;
  height: number;
}

/** Reads `width` and `height`. */
export function readBox<S extends ShapeBase & BoxFields>(record: Readonly<Record<string, unknown>>): OwnFields<S> | string {
  const width = readSize(record, 'width');
  if (typeof width === 'string') return width;
  const height = readSize(record, 'height');
  if (typeof height === 'string') return height;
  return { width, height } as OwnFields<S>;
}

/** Reads a box with a label inside (rectangle, ellipse, diamond have nothing else). */
export function readLabeledBox<S extends ShapeBase & BoxFields & LabelFields>(record: Readonly<Record<string, unknown>>): OwnFields<S> | string {
  const box = readBox(record);
  if (typeof box === 'string') return box;
  const label = readLabel(record, CENTERED);
  if (typeof label === 'string') return label;
  return { ...box, ...label } as OwnFields<S>;
}
