/**
 * What every shape has, whatever its type: the fields, their limits and defaults, and the
 * contract each type's definition (shared/shapes/<type>.ts) fulfils for the schema gate.
 */

export const FILL_STYLES = ['none', 'semi', 'solid'] as const;
export type FillStyle = (typeof FILL_STYLES)[number];

export const DASH_STYLES = ['solid', 'dashed', 'dotted'] as const;
export type DashStyle = (typeof DASH_STYLES)[number];

/** Style fields every shape carries; defaults fill in whatever a record leaves out. */
export interface ShapeStyle {
  strokeColor: string;
  fillColor: string;
  fillStyle: FillStyle;
  strokeWidth: number;
  dash: DashStyle;
  /** 0 (invisible) to 1 (opaque). */
  opacity: number;
  fontSize: number;
}

/**
 * Fields common to all shapes. `x`/`y` is the shape's origin on the board, `rotation` in degrees.
 * (In the document a frame's child stores its origin from the frame's: see shared/doc.ts. Every
 * reader of the document gets board coordinates.)
 */
export interface ShapeBase extends ShapeStyle {
  id: string;
  x: number;
  y: number;
  rotation: number;
  /** Fractional index (see shared/doc.ts): shapes are drawn in ascending order of it. */
  index: string;
  locked: boolean;
  /**
   * The frame that holds the shape (schema version 2), absent for none. One field, so a shape is
   * in at most one frame whatever two users do at once.
   */
  frameId?: string;
  /**
   * The groups the shape belongs to, innermost first (schema version 2), absent for none. A group
   * is nothing but its id on its members, as in Excalidraw: grouping writes the members only, so
   * two users grouping at once never lose a shape, and a group whose members are all gone is gone.
   */
  groupIds?: string[];
}

/** Limits that keep one record from making every client slow; checked by readShape. */
export const SHAPE_LIMITS = {
  maxCoordinate: 1e7,
  maxSize: 1e6,
  maxPoints: 30_000,
  maxTextLength: 20_000,
  maxIdLength: 64,
  maxIndexLength: 256,
  maxStrokeWidth: 100,
  minFontSize: 4,
  maxFontSize: 400,
  /** How deep groups nest. */
  maxGroupDepth: 32,
  maxFrameNameLength: 200,
} as const;

export const DEFAULT_STYLE: Readonly<ShapeStyle> = Object.freeze({
  strokeColor: '#1e1e1e',
  fillColor: '#a5d8ff',
  fillStyle: 'none',
  strokeWidth: 2,
  dash: 'solid',
  opacity: 1,
  fontSize: 20,
});

/** The fields a shape type adds to those every shape has. */
export type OwnFields<S extends ShapeBase> = Omit<S, keyof ShapeBase | 'type'>;

/**
 * One shape type as the schema knows it. The gate (readShape in shared/schema.ts) checks the
 * fields every shape has and hands the record to its type's `read` for the rest.
 */
export interface ShapeDef<S extends ShapeBase & { type: string }> {
  readonly type: S['type'];
  /**
   * The type's own fields from an untrusted record: what can be repaired is (defaults for
   * missing flags, clamped numbers), and a string says why the record is refused (broken
   * geometry, missing text). Never throws.
   */
  read(record: Readonly<Record<string, unknown>>): OwnFields<S> | string;
  /** A typical shape's own fields: documentation for bot authors, and what the conformance suite tests with. */
  readonly example: OwnFields<S>;
  /**
   * Set for types with text: it is the `text` field, a Y.Text in the document (shared/doc.ts).
   * `keepBlank` says whether a shape whose text is blank still shows something (a note's card),
   * or is nothing (a text), which editors then delete rather than leave on the board.
   */
  readonly text?: {
    readonly keepBlank: boolean;
    /**
     * True for a label (rectangle, ellipse, diamond, line, arrow: schema version 3): a record may
     * leave the text out (read as empty), and an empty one is not written to the document.
     */
    readonly optional?: boolean;
  };
  /** Set for types whose `points` is a flat array: how many numbers make one point. */
  readonly pointStride?: number;
  /** True for types whose ends can be attached to shapes (`startBinding`, `endBinding`). */
  readonly boundEnds?: boolean;
  /**
   * True for a type that holds shapes (a frame): shapes name it in their `frameId`. Such a shape
   * is never turned, in a frame or in a group (the gate drops those fields), so its children's
   * origins are a plain offset from its own.
   */
  readonly holdsShapes?: boolean;
  /**
   * Set for types that show files (an image): the asset ids (shared/assets.ts) a shape shows.
   * Exports, board files, copies, the server's board API and the client's fetches ask this, so
   * none of them names a type.
   */
  assetIds?(shape: Readonly<S>): readonly string[];
}

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** True if `id` may name a shape: 1–64 URL-safe characters. */
export function isValidShapeId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= SHAPE_LIMITS.maxIdLength && ID_PATTERN.test(id);
}
