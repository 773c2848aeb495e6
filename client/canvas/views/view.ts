import type Konva from 'konva';
import type { NewShape } from '../../model/shape.ts';
import { AS_DRAWN, type Paint } from '../theme-colors.ts';

/** What a view draws into: a layer takes only shapes and groups. */
export type ShapeNode = Konva.Shape | Konva.Group;

/** Whether the shape is final or still being drawn (ink leaves its live end open). */
export type RenderMode = 'committed' | 'draft';

/**
 * What a view may draw from besides the shape: the pictures of the files image shapes show
 * (client/assets/). Each drawing surface (the board, the draft layer, others' drawings, an
 * export) hands its own in, so no view reaches for a global.
 */
export interface ViewContext {
  /** The decoded picture of an asset, or null while it is not here: the view draws a placeholder. */
  image(assetId: string): CanvasImageSource | null;
  /**
   * Calls `listener` with an asset's id when its picture arrives, so a surface redraws the shapes
   * showing it; returns the unsubscribe. Absent where pictures never arrive later.
   */
  onPicture?(listener: (assetId: string) => void): () => void;
  /**
   * How the document's colours are drawn on this surface (the theme, client/canvas/theme-colors.ts);
   * absent, as stored. renderShape maps a shape's own colours; views map only their fixed ones.
   */
  paint?: Paint;
  /** Calls `listener` when `paint` changes (the theme switched), so a surface redraws all it shows. */
  onRepaint?(listener: () => void): () => void;
}

/** The paint of a context: its own, or the colours as stored. */
export function paintOf(ctx: ViewContext): Paint {
  return ctx.paint ?? AS_DRAWN;
}

/** A context with no pictures: image shapes draw as placeholders (tests, and drawings without images). */
export const NO_PICTURES: ViewContext = Object.freeze({ image: () => null });

/**
 * How one shape type is drawn. `create` makes the node; `update` brings an existing node in step
 * with a changed shape. Nodes sit at the shape's origin (x, y) and rotate about it.
 */
export interface ShapeView<S extends NewShape, N extends ShapeNode = ShapeNode> {
  create(shape: S, mode: RenderMode, ctx: ViewContext): N;
  update(node: N, shape: S, mode: RenderMode, ctx: ViewContext): void;
}

/** Placement attributes every view applies. */
export function placement(shape: NewShape): { x: number; y: number; rotation: number } {
  return { x: shape.x, y: shape.y, rotation: shape.rotation };
}
