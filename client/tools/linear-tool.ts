import type { LinearShape } from '../../shared/schema.ts';
import type { DistributiveOmit } from '../model/board.ts';
import { shapeAt } from '../model/shape-at.ts';
import { createDragShapeTool } from './drag-shape-tool.ts';
import { HIT_TOLERANCE_PX, MIN_BOX_PX, roundCoordinate, type BoardPointerEvent, type Tool, type ToolContext, type ToolId } from './tool.ts';

/** Shift snaps the angle to multiples of this many degrees. */
const SNAP_DEGREES = 15;

/**
 * Line and arrow: idle → pointing → dragging → idle, drawn from press to release and written once.
 * An arrow's ends dropped on a shape bind to it, so the arrow follows when that shape moves.
 */
export function createLinearTool(ctx: ToolContext, id: Extract<ToolId, 'line' | 'arrow'>): Tool {
  const type: LinearShape['type'] = id;

  const endPoint = (origin: BoardPointerEvent, event: BoardPointerEvent): { dx: number; dy: number } => {
    const dx = event.x - origin.x;
    const dy = event.y - origin.y;
    if (!event.shiftKey) return { dx, dy };
    const length = Math.hypot(dx, dy);
    const step = (SNAP_DEGREES * Math.PI) / 180;
    const angle = Math.round(Math.atan2(dy, dx) / step) * step;
    return { dx: length * Math.cos(angle), dy: length * Math.sin(angle) };
  };

  // Only the shape written on release binds; the draft does not look for shapes under its ends.
  const toShape = (shapeId: string, origin: BoardPointerEvent, event: BoardPointerEvent, bind: boolean): DistributiveOmit<LinearShape, 'index'> => {
    const { dx, dy } = endPoint(origin, event);
    const tolerance = HIT_TOLERANCE_PX / event.scale;
    const startBinding = bind && type === 'arrow' ? (shapeAt(ctx.board, origin, tolerance)?.id ?? null) : null;
    const endTarget = bind && type === 'arrow' ? shapeAt(ctx.board, { x: origin.x + dx, y: origin.y + dy }, tolerance) : null;
    return {
      ...ctx.style(),
      id: shapeId,
      type,
      x: roundCoordinate(origin.x),
      y: roundCoordinate(origin.y),
      rotation: 0,
      locked: false,
      points: [0, 0, roundCoordinate(dx), roundCoordinate(dy)],
      startBinding,
      endBinding: endTarget?.id ?? null,
      startArrowhead: false,
      endArrowhead: type === 'arrow',
    };
  };

  const isTiny = (origin: BoardPointerEvent, event: BoardPointerEvent): boolean => Math.hypot(event.x - origin.x, event.y - origin.y) * event.scale < MIN_BOX_PX;

  return createDragShapeTool(ctx, id, { isTiny, toShape });
}
