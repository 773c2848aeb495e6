import type { NewShape } from './board.ts';
import { hasBoundEnds } from '../../shared/schema.ts';
import { bendThrough, curveMiddle } from '../shapes/line/linear-path.ts';
import { rotate, type Bounds, type Point } from './plane.ts';
import { unionBounds } from './transform.ts';

export type HandleName = 'nw' | 'ne' | 'sw' | 'se' | 'rotate';

/** Where the selection's resize and rotate handles are, in board units. */
export interface SelectionHandles {
  /** The box the handles sit on: the selection's bounds, padded. */
  bounds: Bounds;
  points: Record<HandleName, Point>;
}

/** Gap between the shapes and the selection box, in screen pixels (the outline drawn there too). */
export const SELECTION_PADDING_PX = 5;
/** Distance of the rotate handle above the box, in screen pixels. */
const ROTATE_OFFSET_PX = 24;
/** How near a handle a press still grabs it, in screen pixels. */
const HANDLE_REACH_PX = 8;

/** The handles of a selection at the given zoom, or null if nothing can be transformed. */
export function selectionHandles(shapes: readonly NewShape[], scale: number): SelectionHandles | null {
  const inner = unionBounds(shapes);
  if (inner === null) return null;
  const pad = SELECTION_PADDING_PX / scale;
  const bounds = { x: inner.x - pad, y: inner.y - pad, width: inner.width + 2 * pad, height: inner.height + 2 * pad };
  const right = bounds.x + bounds.width;
  const bottom = bounds.y + bounds.height;
  return {
    bounds,
    points: {
      nw: { x: bounds.x, y: bounds.y },
      ne: { x: right, y: bounds.y },
      sw: { x: bounds.x, y: bottom },
      se: { x: right, y: bottom },
      rotate: { x: bounds.x + bounds.width / 2, y: bounds.y - ROTATE_OFFSET_PX / scale },
    },
  };
}

/** The handle under `point`, if any. */
export function handleAt(handles: SelectionHandles, point: Point, scale: number): HandleName | null {
  const reach = HANDLE_REACH_PX / scale;
  for (const [name, p] of Object.entries(handles.points) as Array<[HandleName, Point]>) {
    if (Math.abs(point.x - p.x) <= reach && Math.abs(point.y - p.y) <= reach) return name;
  }
  return null;
}

/**
 * The bend handle of a lone, unlocked curved line or arrow: the middle of its curve, in board
 * units (on the chord's middle while it is straight, bend 0); null for anything else.
 */
export function bendHandle(shapes: readonly NewShape[]): Point | null {
  if (shapes.length !== 1) return null;
  const shape = shapes[0]!;
  if (!hasBoundEnds(shape) || shape.arrowKind !== 'curved' || shape.locked) return null;
  const p = shape.points;
  const n = p.length;
  if (n < 4) return null;
  const local = rotate(curveMiddle({ x: p[0]!, y: p[1]! }, { x: p[n - 2]!, y: p[n - 1]! }, shape.bend), shape.rotation);
  return { x: shape.x + local.x, y: shape.y + local.y };
}

/** Whether `point` is near enough `handle` to grab it. */
export function nearHandle(handle: Point, point: Point, scale: number): boolean {
  const reach = HANDLE_REACH_PX / scale;
  return Math.abs(point.x - handle.x) <= reach && Math.abs(point.y - handle.y) <= reach;
}

/** `shape` (a curved line or arrow) bent so that its curve's middle is nearest `point` (board units). */
export function bentThrough<S extends NewShape>(shape: S, point: Point): S {
  if (!hasBoundEnds(shape)) return shape;
  const p = shape.points;
  const n = p.length;
  const local = rotate({ x: point.x - shape.x, y: point.y - shape.y }, -shape.rotation);
  const bend = Math.round(bendThrough({ x: p[0]!, y: p[1]! }, { x: p[n - 2]!, y: p[n - 1]! }, local) * 100) / 100;
  return { ...shape, bend };
}
