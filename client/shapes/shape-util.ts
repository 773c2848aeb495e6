import type Konva from 'konva';
import type { Shape, ShapeStyle, TextAlign, VerticalAlign } from '../../shared/schema.ts';
import type { Bounds, Point } from '../model/plane.ts';
import type { NewShapeOf } from '../model/shape.ts';
import type { ShapeView } from '../canvas/views/view.ts';
import type { ShapeToolContext, Tool, ToolEntry } from '../tools/tool.ts';
import type { Paint } from '../canvas/theme-colors.ts';

/**
 * Everything the client knows about one shape type, as one object per type
 * (client/shapes/<type>/), listed in client/shapes/registry.ts. The renderer, the geometry, the
 * select tool, the exporters and the rest ask the registry for a shape's util and never switch
 * on a type name. Every util works in the shape's own frame: origin at (x, y), before its
 * rotation; placing, turning and fading a shape is done once, for every type, by its callers.
 */
export interface ShapeUtil<S extends Shape = Shape, ToolIdT extends string = string> {
  /** The record type it answers for (shared/shapes/<type>.ts). */
  readonly type: S['type'];
  /**
   * The shape's extent in its own frame, stroke and arrowheads included. At stroke width 0 it is
   * the bare geometry, nothing drawn around it: the select tool resizes about that box.
   */
  localBounds(shape: NewShapeOf<S>): Bounds;
  /**
   * The shape's edge as a closed polygon in its own frame, stroke left out: where a bound arrow's
   * end meets the shape and what an elbow arrow is routed around. Without it, the box of
   * `localBounds` at stroke width 0 is the edge.
   */
  outline?(shape: NewShapeOf<S>): readonly Point[];
  /** Whether `point`, in the shape's own frame, is on the shape or within `tolerance` of it. */
  hitTest(shape: NewShapeOf<S>, point: Point, tolerance: number): boolean;
  /**
   * Set where a pointer picks the shape in fewer places than it hits: a frame is picked by its
   * title and edge only, so a press inside it reaches its children and the board. Without it a
   * pointer picks the shape wherever it hits.
   */
  pickTest?(shape: NewShapeOf<S>, point: Point, tolerance: number): boolean;
  /**
   * The shape with its own geometry scaled by (sx, sy) about its origin, for a resize: sizes,
   * points or font. The caller moves the origin; rotation needs nothing of a type (every shape
   * turns about its origin by its `rotation`).
   */
  resize(shape: NewShapeOf<S>, sx: number, sy: number): NewShapeOf<S>;
  /**
   * Set for types a resize keeps in proportion unless Shift is held (images): the opposite of the
   * default, where Shift keeps the proportion. The select tool asks this, never the type's name.
   */
  readonly keepsAspect?: true;
  /** How the canvas draws it (a Konva node per shape). */
  readonly view: ShapeView<NewShapeOf<S>>;
  /** The shape as SVG elements in its own frame; the exporter places, turns and fades them. */
  toSvg(shape: NewShapeOf<S>, ctx: SvgContext): string;
  /** For types with text (the shared definition says which): how it is laid out and edited. */
  readonly text?: ShapeText<S>;
  /**
   * Set for the type that plain text pasted on the board becomes: the shape holding `text`, its
   * origin at `at`, in `style`. The clipboard asks the registry for the first such type.
   */
  fromPlainText?(id: string, text: string, at: Point, style: ShapeStyle): NewShapeOf<S>;
  /** The tool that makes shapes of this type, with its toolbar entry, icon, key and cursor. */
  readonly tool: ShapeTool<ToolIdT>;
}

/** What an SVG export embeds besides the shapes: the files image shapes show. */
export interface SvgContext {
  /** The file of an asset as a data: URL to embed, or null when it is not here (a placeholder is drawn). */
  assetUrl(assetId: string): string | null;
  /**
   * The colours a "dark background" export draws with (client/canvas/theme-colors.ts); absent, as
   * stored. The exporter maps a shape's own colours; a util maps only its fixed ones.
   */
  paint?: Paint;
}

/** An SVG context with no files: image shapes export as placeholders. */
export const NO_FILES: SvgContext = Object.freeze({ assetUrl: () => null });

/** The tool of a shape type: how it appears, and the state machine that draws the shape. */
export interface ShapeTool<Id extends string = string> extends ToolEntry {
  readonly id: Id;
  create(ctx: ShapeToolContext): Tool;
  /**
   * Set for a tool that acts once when picked instead of drawing (the image tool opens the file
   * picker): the toolbox calls it and goes back to the select tool.
   */
  pick?(ctx: ShapeToolContext): void;
}

/** Where the in-place text editor sits over a shape, in screen pixels, from the shape's origin. */
export interface EditorBox {
  width: number;
  height: number;
  padding: number;
  /** A CSS background, or '' for none. */
  background: string;
  /**
   * For a label in a box: the space between the box's edges and its text area, per side, in
   * screen pixels, in place of `padding`; the editor puts the typed lines where the canvas draws
   * them with `align` and `verticalAlign`.
   */
  inset?: { top: number; right: number; bottom: number; left: number };
  align?: TextAlign;
  verticalAlign?: VerticalAlign;
  /**
   * Where the editor's top left sits in the shape's own frame, in board units, when not at the
   * origin: a line's label is edited where it is drawn, at the middle of the path.
   */
  offset?: Point;
}

/** The text of a type that has some. */
export interface ShapeText<S extends Shape> {
  /**
   * How the text is laid out in the shape's own frame: the Konva.Text attributes its view draws
   * with, so carets and selections laid out from them land on the characters drawn.
   */
  layout(shape: NewShapeOf<S>): Konva.TextConfig;
  /** The editor's box at zoom `scale` while `value` is typed into the shape. */
  editorBox(shape: NewShapeOf<S>, value: string, scale: number): EditorBox;
  /**
   * Set for types that make room for their text: the fields that change so that `text` fits (a
   * box grows taller, its top edge staying), or null when it fits already. Applied in the same
   * transaction as the typing, so one undo takes back both.
   */
  fit?(shape: NewShapeOf<S>, text: string): Partial<NewShapeOf<S>> | null;
}
