import type { Shape } from '../../shared/schema.ts';

/**
 * The client's shape types, apart from the board that stores them: the board, the geometry, the
 * bindings and the shape utils all speak of these, and none of them needs the others for it.
 */

/** `Omit` that keeps a union a union, so `NewShape` still narrows on `type`. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A shape of one type before it is placed in the z-order. */
export type NewShapeOf<S extends Shape> = DistributiveOmit<S, 'index'>;

/** A shape before it is placed in the z-order: the board picks its `index`. */
export type NewShape = NewShapeOf<Shape>;

/** A shape of a type with text (text, sticky: see ShapeDef.text), before it is placed. */
export type NewTextShape = Extract<NewShape, { text: string }>;

/**
 * Fields a command may change on an existing shape (never its id or type), x/y in board
 * coordinates; `frameId` or `groupIds` null takes the shape out of its frame or its groups.
 */
export type ShapePatch = Partial<DistributiveOmit<Shape, 'id' | 'type' | 'frameId' | 'groupIds'>> & { frameId?: string | null; groupIds?: string[] | null };

/** Where shapes can be looked up: the board, or anything holding shapes as it does. */
export interface ShapeSource {
  /** The shape with this id, if there is one. */
  get(id: string): Shape | undefined;
  /** Every shape in z-order (bottom first). */
  ordered(): readonly Shape[];
}
