import type { NewShape } from './board.ts';
import { inkSize } from './ink.ts';

/**
 * Board-space geometry of shapes, without a canvas: bounds for the selection outline and hit
 * tests for the select tool. Every view draws a shape from its origin (x, y) and rotates it
 * about that origin, so the same local geometry holds here.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rough width of one character as a share of the font size, until text is measured (issue 3). */
const CHAR_WIDTH = 0.6;
const LINE_HEIGHT = 1.25;

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

/** `p` turned about the origin by `degrees` (clockwise on screen, as Konva rotates). */
export function rotate(p: Point, degrees: number): Point {
  if (degrees === 0) return p;
  const r = (degrees * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  return { x: p.x * cos - p.y * sin, y: p.x * sin + p.y * cos };
}

function pointsBounds(points: readonly number[], stride: number, pad: number): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += stride) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
}

function distanceToPolyline(p: Point, points: readonly number[], stride: number): number {
  if (points.length < 2) return Infinity;
  let best = Math.hypot(p.x - points[0]!, p.y - points[1]!);
  for (let i = stride; i + 1 < points.length; i += stride) {
    best = Math.min(best, distanceToSegment(p, points[i - stride]!, points[i - stride + 1]!, points[i]!, points[i + 1]!));
  }
  return best;
}

function distanceToSegment(p: Point, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / lengthSquared));
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}
