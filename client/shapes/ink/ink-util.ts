import type { InkShape } from '../../../shared/schema.ts';
import { svgNumber } from '../../export/svg-markup.ts';
import { distanceToPolyline, pointsBounds, roundCoordinate } from '../../model/plane.ts';
import type { ShapeUtil } from '../shape-util.ts';
import { inkTool } from './ink-tool.ts';
import { inkOutline, inkReach, inkSize } from './ink-outline.ts';
import { inkView } from './ink-view.ts';

/** Curves through the midpoints of the outline, as the ink view draws it. */
function inkPath(outline: number[][]): string {
  if (outline.length < 2) return '';
  const [x0, y0] = outline[0]!;
  let d = `M${svgNumber(x0!)} ${svgNumber(y0!)}`;
  for (let i = 0; i < outline.length; i++) {
    const [x1, y1] = outline[i]!;
    const [x2, y2] = outline[(i + 1) % outline.length]!;
    d += `Q${svgNumber(x1!)} ${svgNumber(y1!)} ${svgNumber((x1! + x2!) / 2)} ${svgNumber((y1! + y2!) / 2)}`;
  }
  return `${d}Z`;
}

/**
 * Freehand ink: a filled outline around its points. The bounds reach as far as the outline is
 * drawn at the stroke's highest pressure; a stroke hits within half its size of its points.
 */
export const inkUtil: ShapeUtil<InkShape, 'pen'> = {
  type: 'ink',
  localBounds: (shape) => pointsBounds(shape.points, 3, inkReach(shape.strokeWidth, shape.points)),
  hitTest: (shape, p, tolerance) => distanceToPolyline(p, shape.points, 3) <= inkSize(shape.strokeWidth) / 2 + tolerance,
  // Pressure (every third number) stays as it is.
  resize: (shape, sx, sy) => ({ ...shape, points: shape.points.map((n, i) => (i % 3 === 0 ? roundCoordinate(n * sx) : i % 3 === 1 ? roundCoordinate(n * sy) : n)) }),
  view: inkView,
  toSvg: (shape) => `<path d="${inkPath(inkOutline(shape.points, shape.strokeWidth, true))}" fill="${shape.strokeColor}"/>`,
  tool: inkTool,
};
