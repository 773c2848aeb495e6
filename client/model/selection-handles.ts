import type { NewShape } from './board.ts';
import type { Bounds, Point } from './plane.ts';
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
