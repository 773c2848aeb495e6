import type { Arrowhead, LinearShape } from '../../shared/schema.ts';
import { anchorFor } from '../model/bound-ends.ts';
import type { NewShapeOf } from '../model/shape.ts';
import { createDragShapeTool } from './drag-shape-tool.ts';
import { HIT_TOLERANCE_PX, MIN_BOX_PX, roundCoordinate, type BoardPointerEvent, type ShapeToolContext, type Tool } from './tool.ts';

/** Shift snaps the angle to multiples of this many degrees. */
const SNAP_DEGREES = 15;

/** What makes one line-like tool differ from another. */
export interface LinearToolOptions {
  type: LinearShape['type'];
  /** Whether ends dropped on a shape are attached to it. */
  bindsEnds: boolean;
  /** The head the line drawn has at its end unless the style says otherwise. */
  endArrowhead: Arrowhead;
}

/**
 * The tool of a line-like type (line, arrow), with tool id `id`: idle → pointing → dragging →
 * idle, drawn from press to release and written once. With `bindsEnds` (the arrow), an end
 * dropped on a shape binds to it, so the line follows when that shape moves.
 */
export function createLinearTool(ctx: ShapeToolContext, id: string, options: LinearToolOptions): Tool {
  const { type } = options;

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
  const toShape = (shapeId: string, origin: BoardPointerEvent, event: BoardPointerEvent, final: boolean): NewShapeOf<LinearShape> => {
    const { dx, dy } = endPoint(origin, event);
    const tolerance = HIT_TOLERANCE_PX / event.scale;
    const bind = final && options.bindsEnds;
    const end = { x: origin.x + dx, y: origin.y + dy };
    const startTarget = bind ? ctx.shapeAt(origin, tolerance) : null;
    const endTarget = bind ? ctx.shapeAt(end, tolerance) : null;
    // A bound end keeps where the pointer was on its shape (shares of the shape's own box): the
    // board derives the end from the shape and this anchor from then on.
    const startAnchor = startTarget ? anchorFor(startTarget, origin) : null;
    const endAnchor = endTarget ? anchorFor(endTarget, end) : null;
    const style = ctx.style();
    return {
      ...style,
      id: shapeId,
      type,
      x: roundCoordinate(origin.x),
      y: roundCoordinate(origin.y),
      rotation: 0,
      locked: false,
      points: [0, 0, roundCoordinate(dx), roundCoordinate(dy)],
      startBinding: startAnchor !== null ? startTarget!.id : null,
      endBinding: endAnchor !== null ? endTarget!.id : null,
      startAnchor,
      endAnchor,
      startArrowhead: style.startArrowhead ?? 'none',
      endArrowhead: style.endArrowhead ?? options.endArrowhead,
      arrowKind: style.arrowKind ?? 'straight',
      bend: 0,
      text: '',
    };
  };

  const isTiny = (origin: BoardPointerEvent, event: BoardPointerEvent): boolean => Math.hypot(event.x - origin.x, event.y - origin.y) * event.scale < MIN_BOX_PX;

  return createDragShapeTool(ctx, id, { isTiny, toShape });
}
