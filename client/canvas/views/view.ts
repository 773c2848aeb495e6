import type Konva from 'konva';
import type { NewShape } from '../../model/shape.ts';

/** What a view draws into: a layer takes only shapes and groups. */
export type ShapeNode = Konva.Shape | Konva.Group;

/** Whether the shape is final or still being drawn (ink leaves its live end open). */
export type RenderMode = 'committed' | 'draft';

/**
 * How one shape type is drawn. `create` makes the node; `update` brings an existing node in step
 * with a changed shape. Nodes sit at the shape's origin (x, y) and rotate about it.
 */
export interface ShapeView<S extends NewShape, N extends ShapeNode = ShapeNode> {
  create(shape: S, mode: RenderMode): N;
  update(node: N, shape: S, mode: RenderMode): void;
}

/** Placement attributes every view applies. */
export function placement(shape: NewShape): { x: number; y: number; rotation: number } {
  return { x: shape.x, y: shape.y, rotation: shape.rotation };
}
