import { NO_LABEL, type BoxShape } from '../../shared/schema.ts';
import type { NewShapeOf } from '../model/shape.ts';
import { createDragShapeTool } from './drag-shape-tool.ts';
import { MIN_BOX_PX, roundCoordinate, type BoardPointerEvent, type ShapeToolContext, type Tool } from './tool.ts';

/**
 * The tool of a box type (rectangle, ellipse, diamond), with tool id `id`: idle → pointing → dragging → idle. The box follows the pointer in the
 * draft from any drag direction (Shift makes it square) and is written once, on pointer up.
 */
export function createBoxTool(ctx: ShapeToolContext, id: string, type: BoxShape['type']): Tool {
  const toShape = (shapeId: string, origin: BoardPointerEvent, event: BoardPointerEvent): NewShapeOf<BoxShape> => {
    let dx = event.x - origin.x;
    let dy = event.y - origin.y;
    if (event.shiftKey) {
      const side = Math.max(Math.abs(dx), Math.abs(dy));
      dx = Math.sign(dx || 1) * side;
      dy = Math.sign(dy || 1) * side;
    }
    const x = roundCoordinate(Math.min(origin.x, origin.x + dx));
    const y = roundCoordinate(Math.min(origin.y, origin.y + dy));
    return {
      ...NO_LABEL,
      ...ctx.style(),
      id: shapeId,
      type,
      x,
      y,
      width: roundCoordinate(Math.abs(dx)),
      height: roundCoordinate(Math.abs(dy)),
      rotation: 0,
      locked: false,
    };
  };

  const isTiny = (origin: BoardPointerEvent, event: BoardPointerEvent): boolean =>
    Math.abs(event.x - origin.x) * event.scale < MIN_BOX_PX && Math.abs(event.y - origin.y) * event.scale < MIN_BOX_PX;

  return createDragShapeTool(ctx, id, { isTiny, toShape });
}
