import { generateKeyBetween } from 'fractional-indexing';

/**
 * The board's shape schema: types, defaults and the validate-and-repair gate that every shape
 * read from a document, a file or the network passes through. Nothing here knows about Yjs;
 * shared/doc.ts maps these records onto the Y.Doc.
 */

/**
 * Version of the document layout; stored in the doc's `meta` map as `schemaVersion`.
 * 1: every field a plain value. 2: the `text` of text and sticky shapes is a Y.Text, so typing
 * merges character by character (shared/doc.ts migrates version 1 boards).
 */
export const SCHEMA_VERSION = 2;

export const SHAPE_TYPES = ['rect', 'ellipse', 'diamond', 'ink', 'line', 'arrow', 'text', 'sticky'] as const;
export type ShapeType = (typeof SHAPE_TYPES)[number];

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

/** Fields common to all shapes. `x`/`y` is the shape's origin on the board, `rotation` in degrees. */
export interface ShapeBase extends ShapeStyle {
  id: string;
  x: number;
  y: number;
  rotation: number;
  /** Fractional index (see shared/doc.ts): shapes are drawn in ascending order of it. */
  index: string;
  locked: boolean;
}

/** Rectangle, ellipse and diamond: a box of `width` × `height` from the origin. */
export interface BoxShape extends ShapeBase {
  type: 'rect' | 'ellipse' | 'diamond';
  width: number;
  height: number;
}

/**
 * Freehand ink. `points` is a flat [x, y, pressure, x, y, pressure, …] array relative to the
 * origin, written once per stroke (an immutable value in the document, never edited point by point).
 */
export interface InkShape extends ShapeBase {
  type: 'ink';
  points: number[];
}

/** Line and arrow: `points` is a flat [x0, y0, x1, y1, …] array relative to the origin. */
export interface LinearShape extends ShapeBase {
  type: 'line' | 'arrow';
  points: number[];
  /** Id of the shape the start/end point is attached to, or null. */
  startBinding: string | null;
  endBinding: string | null;
  startArrowhead: boolean;
  endArrowhead: boolean;
}

/**
 * Text placed on the board; `width` 0 means "as wide as the text". In the document `text` is a
 * Y.Text (shared/doc.ts); records, files and the clipboard carry it as a plain string.
 */
export interface TextShape extends ShapeBase {
  type: 'text';
  text: string;
  width: number;
}

/** A coloured note with text inside a box; `text` is stored as for TextShape. */
export interface StickyShape extends ShapeBase {
  type: 'sticky';
  text: string;
  width: number;
  height: number;
}

export type Shape = BoxShape | InkShape | LinearShape | TextShape | StickyShape;

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

/** Why a record was refused; the gate returns this instead of throwing. */
export interface ShapeProblem {
  id: string;
  reason: string;
}

export type ReadShapeResult = { ok: true; shape: Shape } | { ok: false; problem: ShapeProblem };

const COLOR_PATTERN = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$|^transparent$/;
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
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

/** True if `id` may name a shape: 1–64 URL-safe characters. */
export function isValidShapeId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= SHAPE_LIMITS.maxIdLength && ID_PATTERN.test(id);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
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

function readPoints(value: unknown, stride: number, minPoints: number): number[] | string {
  if (!Array.isArray(value)) return 'points is not an array';
  if (value.length % stride !== 0) return `points length ${value.length} is not a multiple of ${stride}`;
  if (value.length / stride < minPoints) return `needs at least ${minPoints} points`;
  if (value.length / stride > SHAPE_LIMITS.maxPoints) return `more than ${SHAPE_LIMITS.maxPoints} points`;
  for (const n of value) {
    if (!isFiniteNumber(n) || Math.abs(n) > SHAPE_LIMITS.maxCoordinate) return 'points holds a non-finite or out-of-range number';
  }
  return value as number[];
}

function readSize(record: Record<string, unknown>, key: 'width' | 'height'): number | string {
  const value = record[key];
  if (!isFiniteNumber(value) || value < 0 || value > SHAPE_LIMITS.maxSize) return `${key} is missing or out of range`;
  return value;
}

function readText(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > SHAPE_LIMITS.maxTextLength) return null;
  return value;
}

function readBinding(value: unknown): string | null {
  return isValidShapeId(value) ? value : null;
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
  if (typeof type !== 'string' || !(SHAPE_TYPES as readonly string[]).includes(type)) return fail(`unknown type ${JSON.stringify(type)}`);
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
  switch (type as ShapeType) {
    case 'rect':
    case 'ellipse':
    case 'diamond': {
      const width = readSize(record, 'width');
      const height = readSize(record, 'height');
      if (typeof width === 'string') return fail(width);
      if (typeof height === 'string') return fail(height);
      return { ok: true, shape: { ...base, type: type as BoxShape['type'], width, height } };
    }
    case 'ink': {
      const points = readPoints(record.points, 3, 1);
      if (typeof points === 'string') return fail(points);
      return { ok: true, shape: { ...base, type: 'ink', points } };
    }
    case 'line':
    case 'arrow': {
      const points = readPoints(record.points, 2, 2);
      if (typeof points === 'string') return fail(points);
      return {
        ok: true,
        shape: {
          ...base,
          type: type as LinearShape['type'],
          points,
          startBinding: readBinding(record.startBinding),
          endBinding: readBinding(record.endBinding),
          startArrowhead: typeof record.startArrowhead === 'boolean' ? record.startArrowhead : false,
          endArrowhead: typeof record.endArrowhead === 'boolean' ? record.endArrowhead : type === 'arrow',
        },
      };
    }
    case 'text': {
      const text = readText(record.text);
      if (text === null) return fail('text is missing or too long');
      const width = isFiniteNumber(record.width) ? Math.min(SHAPE_LIMITS.maxSize, Math.max(0, record.width)) : 0;
      return { ok: true, shape: { ...base, type: 'text', text, width } };
    }
    case 'sticky': {
      const text = readText(record.text);
      if (text === null) return fail('text is missing or too long');
      const width = readSize(record, 'width');
      const height = readSize(record, 'height');
      if (typeof width === 'string') return fail(width);
      if (typeof height === 'string') return fail(height);
      return { ok: true, shape: { ...base, type: 'sticky', text, width, height } };
    }
  }
}

/** The stored fields of a shape (everything but its id, which is the key in the shapes map). */
export type ShapeFields = Omit<Shape, 'id'>;

/** Splits a shape into its stored fields. */
export function shapeFields(shape: Shape): Record<string, unknown> {
  const { id: _id, ...fields } = shape;
  return fields;
}
