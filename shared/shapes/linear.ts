import type { OwnFields, ShapeBase } from './base.ts';
import { readBinding, readPoints } from './fields.ts';

/** The fields of line and arrow: `points` is a flat [x0, y0, x1, y1, …] array relative to the origin. */
export interface LinearFields {
  points: number[];
  /** Id of the shape the start/end point is attached to, or null. */
  startBinding: string | null;
  endBinding: string | null;
  startArrowhead: boolean;
  endArrowhead: boolean;
}

/** Reads a line's or an arrow's fields; `endArrowhead` is what a record that leaves it out gets. */
export function readLinear<S extends ShapeBase & LinearFields>(record: Readonly<Record<string, unknown>>, endArrowhead: boolean): OwnFields<S> | string {
  const points = readPoints(record.points, 2, 2);
  if (typeof points === 'string') return points;
  return {
    points,
    startBinding: readBinding(record.startBinding),
    endBinding: readBinding(record.endBinding),
    startArrowhead: typeof record.startArrowhead === 'boolean' ? record.startArrowhead : false,
    endArrowhead: typeof record.endArrowhead === 'boolean' ? record.endArrowhead : endArrowhead,
  } as OwnFields<S>;
}
