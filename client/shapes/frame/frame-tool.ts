import type { FrameShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { createDragShapeTool } from '../../tools/drag-shape-tool.ts';
import { MIN_BOX_PX, roundCoordinate, type BoardPointerEvent, type ShapeToolContext, type Tool } from '../../tools/tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/**
 * The frame tool: idle → pointing → dragging → idle, as the box tools. The frame follows the
 * pointer in the draft (Shift makes it square) and is written once, on pointer up, untitled (it
 * shows the default name until renamed) and in no frame: frames do not nest.
 */
export function createFrameTool(ctx: ShapeToolContext): Tool {
  const toShape = (id: string, origin: BoardPointerEvent, event: BoardPointerEvent): NewShapeOf<FrameShape> => {
    let dx = event.x - origin.x;
    let dy = event.y - origin.y;
    if (event.shiftKey) {
      const side = Math.max(Math.abs(dx), Math.abs(dy));
      dx = Math.sign(dx || 1) * side;
      dy = Math.sign(dy || 1) * side;
    }
    return {
      ...ctx.style(),
      id,
      type: 'frame',
      x: roundCoordinate(Math.min(origin.x, origin.x + dx)),
      y: roundCoordinate(Math.min(origin.y, origin.y + dy)),
      width: roundCoordinate(Math.abs(dx)),
      height: roundCoordinate(Math.abs(dy)),
      rotation: 0,
      locked: false,
      name: '',
    };
  };
  const isTiny = (origin: BoardPointerEvent, event: BoardPointerEvent): boolean =>
    Math.abs(event.x - origin.x) * event.scale < MIN_BOX_PX && Math.abs(event.y - origin.y) * event.scale < MIN_BOX_PX;
  return createDragShapeTool(ctx, 'frame', { isTiny, toShape });
}

/** The frame tool (F). */
export const frameTool: ShapeTool<'frame'> = {
  id: 'frame',
  label: 'Frame',
  key: 'f',
  icon: '<path d="M7.5 3.5v17M16.5 3.5v17M3.5 7.5h17M3.5 16.5h17"/>',
  cursor: 'crosshair',
  create: createFrameTool,
};
