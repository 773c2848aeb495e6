import { generateKeyBetween } from 'fractional-indexing';
import { isValidShapeId, DASH_STYLES, DEFAULT_STYLE, FILL_STYLES, SHAPE_LIMITS, type ShapeBase, type ShapeDef, type ShapeStyle } from './shapes/base.ts';
import { isFiniteNumber } from './shapes/fields.ts';
import { arrowDef, type ArrowShape } from './shapes/arrow.ts';
import { diamondDef, type DiamondShape } from './shapes/diamond.ts';
import { ellipseDef, type EllipseShape } from './shapes/ellipse.ts';
import { frameDef, type FrameShape } from './shapes/frame.ts';
import { imageDef, type ImageShape } from './shapes/image.ts';
import { inkDef, type InkShape } from './shapes/ink.ts';
import { lineDef, type LineShape } from './shapes/line.ts';
import { rectDef, type RectShape } from './shapes/rect.ts';
import { stickyDef, type StickyShape } from './shapes/sticky.ts';
import { textDef, type TextShape } from './shapes/text.ts';

/**
 * The board's shape schema: the shape types, composed from their definitions in
 * shared/shapes/<type>.ts, and the validate-and-repair gate that every shape read from a
 * document, a file or the network passes through. Nothing here knows about Yjs; shared/doc.ts
 * maps these records onto the Y.Doc.
 */

/**
 * Version of the document layout; stored in the doc's `meta` map as `schemaVersion`.
 * 1: every field a plain value. 2: the `text` of text and sticky shapes is a Y.Text, so typing
 * merges character by character (shared/doc.ts migrates version 1 boards); frames (type
 * `frame`, a shape's `frameId`, its origin stored from its frame's) and groups (`groupIds`). A
 * version 1 client skips frames as an unknown type and keeps the fields it does not know.
 * Image shapes (type `image`) did not change the layout, so they left the version at 2: a client
 * that does not know the type skips those shapes and keeps the rest.
 * 3: labels: rectangles, ellipses, diamonds, lines and arrows may hold a `text` (a Y.Text, left
 * out while empty), boxes and notes a `textAlign`/`verticalAlign`; a line's or an arrow's
 * `startArrowhead`/`endArrowhead` is a kind ('none', 'arrow', 'triangle', 'dot', 'bar'; version
 * 2's boolean still reads: true as 'triangle'), with `arrowKind`, `bend` and the anchors of its
 * bound ends (`startAnchor`/`endAnchor`). A version 2 client keeps the fields it does not know
 * and reads a kind it cannot as its default head.
 */
export const SCHEMA_VERSION = 3;

/** Every shape type, one definition each; a type is added here and in shared/shapes/. */
export const SHAPE_DEFS = [rectDef, ellipseDef, diamondDef, inkDef, lineDef, arrowDef, textDef, stickyDef, frameDef, imageDef] as const;

type ShapeOfDef<D> = D extends ShapeDef<infer S> ? S : never;

/** A shape of any type, as the gate returns it. */
export type Shape = ShapeOfDef<(typeof SHAPE_DEFS)[number]>;
export type ShapeType = Shape['type'];

export const SHAPE_TYPES: readonly ShapeType[] = SHAPE_DEFS.map((def) => def.type);

export { DASH_STYLES, DEFAULT_STYLE, FILL_STYLES, isValidShapeId, SHAPE_LIMITS };
export type { DashStyle, FillStyle, OwnFields, ShapeBase, ShapeDef, ShapeStyle } from './shapes/base.ts';
export type { ArrowShape, DiamondShape, EllipseShape, FrameShape, ImageShape, InkShape, LineShape, RectShape, StickyShape, TextShape };
export type { BoxFields } from './shapes/box.ts';
export type { Anchor, Arrowhead, ArrowKind, LinearFields } from './shapes/linear.ts';
export { ARROW_KINDS, ARROWHEADS } from './shapes/linear.ts';
export type { LabelFields, TextAlign, TextPlacement, VerticalAlign } from './shapes/label.ts';
export { NO_LABEL, TEXT_ALIGNS, VERTICAL_ALIGNS } from './shapes/label.ts';

/** Rectangle, ellipse and diamond: a box of `width` × `height` from the origin. */
export type BoxShape = RectShape | EllipseShape | DiamondShape;

/** Line and arrow: `points` is a flat [x0, y0, x1, y1, …] array relative to the origin. */
export type LinearShape = LineShape | ArrowShape;

const DEFS: ReadonlyMap<string, ShapeDef<Shape>> = new Map(SHAPE_DEFS.map((def) => [def.type, def as ShapeDef<Shape>]));

/** The definition of a shape type, or undefined for a type this version does not know. */
export function shapeDef(type: unknown): ShapeDef<Shape> | undefined {
  return typeof type === 'string' ? DEFS.get(type) : undefined;
}

/** True for shapes whose type has text (a Y.Text under `text` in the document). */
export function hasText<T extends { type: string }>(shape: T): shape is Extract<T, { text: string }> {
  return DEFS.get(shape.type)?.text !== undefined;
}

/** True for shapes whose ends can be attached to other shapes (lines and arrows). */
export function hasBoundEnds<T extends { type: string }>(shape: T): shape is Extract<T, { startBinding: string | null }> {
  return DEFS.get(shape.type)?.boundEnds === true;
}

/** True for shapes of a type that holds other shapes (frames). */
export function holdsShapes<T extends { type: string }>(shape: T): shape is Extract<T, { type: 'frame' }> {
  return DEFS.get(shape.type)?.holdsShapes === true;
}

/** The files (asset ids) a shape shows: none for most types (ShapeDef.assetIds). */
export function shapeAssetIds(shape: Shape): readonly string[] {
  return DEFS.get(shape.type)?.assetIds?.(shape) ?? [];
}

/**
 * The distinct files some shapes show, in the order first shown: what an export embeds, a board
 * file carries and a copy brings along.
 */
export function assetIdsOf(shapes: Iterable<Shape>): string[] {
  const ids = new Set<string>();
  for (const shape of shapes) for (const id of shapeAssetIds(shape)) ids.add(id);
  return [...ids];
}

/** Why a record was refused; the gate returns this instead of throwing. */
export interface ShapeProblem {
  id: string;
  reason: string;
}

export type ReadShapeResult = { ok: true; shape: Shape } | { ok: false; problem: ShapeProblem };

const COLOR_PATTERN = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$|^transparent$/;
const INDEX_PATTERN = /^[0-9A-Za-z]+$/;

/**
 * True if `index` is a well-formed fractional index: a malformed one would make every later
 * "insert above" throw, so the gate refuses it rather than letting it into the z-order.
 */
export function isValidIndex(index: unknown): index is string {
  if (typeof index !== 'string' || index.length === 0 || index.length > SHAPE_LIMITS.maxIndexLength || !INDEX_PATTERN.test(index)) return false;
  try {
    generateKeyBetween(index, null);
    return true;
  } catch {
    return false;
  }
}

function pickEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function pickNumber(value: unknown, min: number, max: number, fallback: number): number {
  return isFiniteNumber(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function pickColor(value: unknown, fallback: string): string {
  return typeof value === 'string' && COLOR_PATTERN.test(value) ? value : fallback;
}

/** Style fields are repaired (clamped or defaulted), never a reason to refuse a shape. */
function readStyle(record: Record<string, unknown>): ShapeStyle {
  return {
    strokeColor: pickColor(record.strokeColor, DEFAULT_STYLE.strokeColor),
    fillColor: pickColor(record.fillColor, DEFAULT_STYLE.fillColor),
    fillStyle: pickEnum(record.fillStyle, FILL_STYLES, DEFAULT_STYLE.fillStyle),
    strokeWidth: pickNumber(record.strokeWidth, 0, SHAPE_LIMITS.maxStrokeWidth, DEFAULT_STYLE.strokeWidth),
    dash: pickEnum(record.dash, DASH_STYLES, DEFAULT_STYLE.dash),
    opacity: pickNumber(record.opacity, 0, 1, DEFAULT_STYLE.opacity),
    fontSize: pickNumber(record.fontSize, SHAPE_LIMITS.minFontSize, SHAPE_LIMITS.maxFontSize, DEFAULT_STYLE.fontSize),
  };
}

/**
 * The one gate for shapes: turns an untrusted record (a Y.Map's JSON, an imported file entry)
 * into a Shape, repairing style fields and refusing records whose geometry or type is broken.
 */
export function readShape(id: unknown, input: unknown): ReadShapeResult {
  const shapeId = typeof id === 'string' ? id : String(id);
  const fail = (reason: string): ReadShapeResult => ({ ok: false, problem: { id: shapeId, reason } });
  if (!isValidShapeId(id)) return fail('invalid shape id');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('record is not an object');
  const record = input as Record<string, unknown>;
  const type = record.type;
  const def = shapeDef(type);
  if (def === undefined) return fail(`unknown type ${JSON.stringify(type)}`);
  for (const key of ['x', 'y'] as const) {
    const value = record[key];
    if (!isFiniteNumber(value) || Math.abs(value) > SHAPE_LIMITS.maxCoordinate) return fail(`${key} is missing or out of range`);
  }
  const index = record.index;
  if (!isValidIndex(index)) return fail('index is missing or malformed');
  const base: ShapeBase = {
    id,
    x: record.x as number,
    y: record.y as number,
    rotation: isFiniteNumber(record.rotation) ? ((record.rotation % 360) + 360) % 360 : 0,
    index,
    locked: record.locked === true,
    ...readStyle(record),
  };
  const own = def.read(record);
  if (typeof own === 'string') return fail(own);
  if (def.holdsShapes === true) base.rotation = 0;
  else {
    const frameId = record.frameId;
    if (isValidShapeId(frameId) && frameId !== id) base.frameId = frameId;
    const groupIds = readGroupIds(record.groupIds);
    if (groupIds.length > 0) base.groupIds = groupIds;
  }
  return { ok: true, shape: { ...base, type: def.type, ...own } as Shape };
}

/**
 * A shape's groups, repaired: ids that are not ids are dropped, a group named twice keeps its
 * innermost place, and nesting past the limit is cut from the outside.
 */
function readGroupIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids: string[] = [];
  for (const id of value) {
    if (isValidShapeId(id) && !ids.includes(id)) ids.push(id);
    if (ids.length === SHAPE_LIMITS.maxGroupDepth) break;
  }
  return ids;
}

/** The stored fields of a shape (everything but its id, which is the key in the shapes map). */
export type ShapeFields = Omit<Shape, 'id'>;

/** Splits a shape into its stored fields. */
export function shapeFields(shape: Shape): Record<string, unknown> {
  const { id: _id, ...fields } = shape;
  return fields;
}

/**
 * Per type, the value the gate reads for each field a record leaves out, where it reads one (a
 * rotation of 0, an unlocked shape, a style default, an unbound arrow end, a type's own label
 * alignment): found from the gate itself, the type's example with one field left out at a time,
 * so it can never disagree with what readers get. Only plain values; never geometry that must be
 * there, nor arrays and text. A field whose value when absent follows another field's (an image's
 * natural size from its size, say) is no default: it is probed again with every other number of
 * the example changed, and kept only if it reads the same.
 */
function valuesReadWhenAbsent(def: ShapeDef<Shape>): ReadonlyMap<string, unknown> {
  const full: Record<string, unknown> = { ...DEFAULT_STYLE, rotation: 0, locked: false, ...(def.example as object), type: def.type, x: 0, y: 0, index: 'a0' };
  const shifted = Object.fromEntries(Object.entries(full).map(([key, value]) => [key, typeof value === 'number' ? value + 3 : value]));
  const readWithout = (record: Record<string, unknown>, key: string): { value: unknown } | null => {
    const { [key]: _left, ...rest } = record;
    const read = readShape('absent-probe', rest);
    return read.ok ? { value: (read.shape as unknown as Record<string, unknown>)[key] } : null;
  };
  const values = new Map<string, unknown>();
  for (const key of Object.keys(full)) {
    if (key === 'type' || key === 'x' || key === 'y' || key === 'index') continue;
    const read = readWithout(full, key);
    const again = readWithout(shifted, key);
    if (read === null || again === null || read.value !== again.value) continue;
    if (read.value === null || ['string', 'number', 'boolean'].includes(typeof read.value)) values.set(key, read.value);
  }
  return values;
}

/**
 * valuesReadWhenAbsent per type, found the first time a shape of that type is written: probing
 * every type runs the gate some 200 times, which at module load held up every page's start (about
 * 15 ms before a board could open), though only writing needs it. A pure function of the schema,
 * so remembering it is safe.
 */
const readWhenAbsent = new Map<string, ReadonlyMap<string, unknown>>();

/**
 * True if a record of `type` that leaves `key` out reads as having `value`: a writer may then
 * leave it out (shared/doc.ts does), and every reader of this version gets it back.
 */
export function readsAsAbsent(type: unknown, key: string, value: unknown): boolean {
  const def = shapeDef(type);
  if (def === undefined) return false;
  let values = readWhenAbsent.get(def.type);
  if (values === undefined) readWhenAbsent.set(def.type, (values = valuesReadWhenAbsent(def)));
  return values.has(key) && values.get(key) === value;
}

