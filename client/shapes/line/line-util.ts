import type { LinearShape, LineShape } from '../../../shared/schema.ts';
import { svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { distanceToPolyline, pointsBounds, roundCoordinate } from '../../model/plane.ts';
import type { ShapeTool, ShapeUtil } from '../shape-util.ts';
import { arrowheads, distanceToArrowhead, type Arrowhead } from './arrowheads.ts';
import { lineTool } from './line-tool.ts';
import { lineView } from './line-view.ts';
import { linearPath } from './linear-path.ts';

/**
 * A head as the canvas draws it: filled and outlined in the line's colour and width (round joins),
 * never dashed.
 */
function arrowheadSvg(head: Arrowhead, shape: Pick<LinearShape, 'strokeColor' | 'strokeWidth'>): string {
  const points = head.flatMap((p) => [p.x, p.y]).map(svgNumber).join(' ');
  return `<polygon points="${points}" fill="${shape.strokeColor}" stroke="${shape.strokeColor}" stroke-width="${svgNumber(shape.strokeWidth)}" stroke-linejoin="round"/>`;
}

/**
 * The util of a line-like type (an arrow is a line with a head at its end: see arrow-util.ts): a
 * polyline along its path (linear-path.ts: straight, curved or elbow), with an arrowhead at either end where the record asks for one.
 */
export function createLinearUtil<S extends LinearShape, ToolId extends string>(type: S['type'], tool: ShapeTool<ToolId>): ShapeUtil<S, ToolId> {
  return {
    type,
    tool,
    // The heads' corners reach past the points, and the stroke half its width past everything.
    localBounds: (shape) => pointsBounds([...linearPath(shape), ...arrowheads(shape).flatMap((head) => head.flatMap((p) => [p.x, p.y]))], 2, shape.strokeWidth / 2),
    // A press on a head selects its line, wings included, as it does on the line itself.
    hitTest: (shape, p, tolerance) => {
      const reach = shape.strokeWidth / 2 + tolerance;
      return distanceToPolyline(p, linearPath(shape), 2) <= reach || arrowheads(shape).some((head) => distanceToArrowhead(p, head) <= reach);
    },
    resize: (shape, sx, sy) => ({ ...shape, points: shape.points.map((n, i) => roundCoordinate(i % 2 === 0 ? n * sx : n * sy)) }),
    view: lineView,
    toSvg(shape) {
      const points = linearPath(shape);
      const line = `<polyline points="${points.map(svgNumber).join(' ')}" ${svgStroke(shape)} fill="none"/>`;
      return line + arrowheads(shape).map((head) => arrowheadSvg(head, shape)).join('');
    },
  };
}

/** Line: a polyline, no arrowheads unless its record asks for them. */
export const lineUtil = createLinearUtil<LineShape, 'line'>('line', lineTool);
