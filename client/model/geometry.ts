import { CHAR_WIDTH, LINE_HEIGHT } from '../shapes/constants.ts';
import { inkSize } from './ink.ts';
import { distanceToPolyline, pointsBounds, rotate, type Bounds, type Point } from './plane.ts';
import type { NewShape } from './shape.ts';

/**
 * Board-space geometry of shapes, without a canvas: bounds for the selection outline and hit
 * tests for the select tool. Every view draws a shape from its origin (x, y) and rotates it
 * about that origin, so the same local geometry holds here.
 */

export { rotate, type Bounds, type Point } from './plane.ts';

/** The shape's extent in its own unrotated coordinates, stroke included. */
export function localBounds(shape: NewShape): Bounds {
  const pad = shape.strokeWidth / 2;
  switch (shape.type) {
    case 'rect':
    case 'ellipse':
    case 'diamond':
    case 'sticky':
      return { x: -pad, y: -pad, width: shape.width + 2 * pad, height: shape.height + 2 * pad };
    case 'ink':
      return pointsBounds(shape.points, 3, inkSize(shape.strokeWidth) / 2);
    case 'line':
    case 'arrow':
      // Arrowheads reach a little past the end points.
      return pointsBounds(shape.points, 2, pad + (shape.startArrowhead || shape.endArrowhead ? shape.strokeWidth * 4 : 0));
    case 'text': {
      const size = textSize(shape.text, shape.fontSize);
      return { x: 0, y: 0, width: shape.width > 0 ? shape.width : size.width, height: size.height };
    }
  }
}

/** The axis-aligned box around the shape on the board, rotation included. */
export function shapeBounds(shape: NewShape): Bounds {
  const local = localBounds(shape);
  if (shape.rotation === 0) return { x: shape.x + local.x, y: shape.y + local.y, width: local.width, height: local.height };
  const corners = [
    { x: local.x, y: local.y },
    { x: local.x + local.width, y: local.y },
    { x: local.x, y: local.y + local.height },
    { x: local.x + local.width, y: local.y + local.height },
  ].map((corner) => rotate(corner, shape.rotation));
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  return { x: shape.x + minX, y: shape.y + minY, width: Math.max(...xs) - minX, height: Math.max(...ys) - minY };
}

/** True if `point` (board space) is on the shape, within `tolerance` board units. */
export function hitShape(shape: NewShape, point: Point, tolerance: number): boolean {
  const p = rotate({ x: point.x - shape.x, y: point.y - shape.y }, -shape.rotation);
  const pad = shape.strokeWidth / 2 + tolerance;
  switch (shape.type) {
    case 'rect':
    case 'sticky':
      return p.x >= -pad && p.y >= -pad && p.x <= shape.width + pad && p.y <= shape.height + pad;
    case 'ellipse': {
      const rx = shape.width / 2 + pad;
      const ry = shape.height / 2 + pad;
      const nx = (p.x - shape.width / 2) / rx;
      const ny = (p.y - shape.height / 2) / ry;
      return nx * nx + ny * ny <= 1;
    }
    case 'diamond': {
      const rx = shape.width / 2 + pad;
      const ry = shape.height / 2 + pad;
      return Math.abs(p.x - shape.width / 2) / rx + Math.abs(p.y - shape.height / 2) / ry <= 1;
    }
    case 'ink':
      return distanceToPolyline(p, shape.points, 3) <= inkSize(shape.strokeWidth) / 2 + tolerance;
    case 'line':
    case 'arrow':
      return distanceToPolyline(p, shape.points, 2) <= pad;
    case 'text': {
      const b = localBounds(shape);
      return p.x >= b.x - tolerance && p.y >= b.y - tolerance && p.x <= b.x + b.width + tolerance && p.y <= b.y + b.height + tolerance;
    }
  }
}

/** Approximate size of a text block. */
export function textSize(text: string, fontSize: number): { width: number; height: number } {
  const lines = text.split('\n');
  const longest = Math.max(1, ...lines.map((line) => line.length));
  return { width: longest * fontSize * CHAR_WIDTH, height: lines.length * fontSize * LINE_HEIGHT };
}
