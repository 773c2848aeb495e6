import type { LinearShape, LineShape } from '../../../shared/schema.ts';
import { svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { distanceToPolyline, pointsBounds, roundCoordinate } from '../../model/plane.ts';
import { arrowheadSize } from '../constants.ts';
import type { ShapeTool, ShapeUtil } from '../shape-util.ts';
import { lineTool } from './line-tool.ts';
import { lineView } from './line-view.ts';

/** A filled triangle with its tip at (x2, y2), pointing from (x1, y1). */
function arrowheadSvg(x1: number, y1: number, x2: number, y2: number, size: number, color: string): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const back = { x: x2 - size * Math.cos(angle), y: y2 - size * Math.sin(angle) };
  const half = size / 2;
  const left = { x: back.x + half * Math.sin(angle), y: back.y - half * Math.cos(angle) };
  const right = { x: back.x - half * Math.sin(angle), y: back.y + half * Math.cos(angle) };
  return `<polygon points="${[x2, y2, left.x, left.y, right.x, right.y].map(svgNumber).join(' ')}" fill="${color}" stroke="${color}"/>`;
}

/**
 * The util of a line-like type (an arrow is a line with a head at its end: see arrow-util.ts): a
 * polyline through its points, with an arrowhead at either end where the record asks for one.
 */
export function createLinearUtil<S extends LinearShape, ToolId extends string>(type: S['type'], tool: ShapeTool<ToolId>): ShapeUtil<S, ToolId> {
  return {
    type,
    tool,
    // Arrowheads reach a little past the end points.
    localBounds: (shape) => pointsBounds(shape.points, 2, shape.strokeWidth / 2 + (shape.startArrowhead || shape.endArrowhead ? shape.strokeWidth * 4 : 0)),
    hitTest: (shape, p, tolerance) => distanceToPolyline(p, shape.points, 2) <= shape.strokeWidth / 2 + tolerance,
    resize: (shape, sx, sy) => ({ ...shape, points: shape.points.map((n, i) => roundCoordinate(i % 2 === 0 ? n * sx : n * sy)) }),
    view: lineView,
    toSvg(shape) {
      const points = shape.points;
      const parts = [`<polyline points="${points.map(svgNumber).join(' ')}" ${svgStroke(shape)} fill="none"/>`];
      const size = arrowheadSize(shape.strokeWidth);
      const count = points.length / 2;
      if (shape.endArrowhead && count >= 2) parts.push(arrowheadSvg(points[2 * count - 4]!, points[2 * count - 3]!, points[2 * count - 2]!, points[2 * count - 1]!, size, shape.strokeColor));
      if (shape.startArrowhead && count >= 2) parts.push(arrowheadSvg(points[2]!, points[3]!, points[0]!, points[1]!, size, shape.strokeColor));
      return parts.join('');
    },
  };
}

/** Line: a polyline, no arrowheads unless its record asks for them. */
export const lineUtil = createLinearUtil<LineShape, 'line'>('line', lineTool);
