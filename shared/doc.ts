/**
 * The Y.Doc layout of a board. Only this file knows it:
 *
 *   doc.getMap('shapes'): shape id → Y.Map of that shape's fields (see shared/schema.ts), so two
 *                         users editing different fields of one shape both keep their change.
 *   doc.getMap('meta'):   { schemaVersion: number }
 *
 * Z-order comes from each shape's fractional `index` string, never from a position in a Y.Array,
 * so concurrent reorders merge without duplicating shapes.
 */
import * as Y from 'yjs';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { isValidIndex, readShape, shapeFields, SCHEMA_VERSION, type Shape, type ShapeProblem } from './schema.ts';

export const SHAPES_KEY = 'shapes';
export const META_KEY = 'meta';
export const SCHEMA_VERSION_KEY = 'schemaVersion';

export type ShapeMap = Y.Map<unknown>;

/** The top-level map of shapes. */
export function getShapesMap(doc: Y.Doc): Y.Map<ShapeMap> {
  return doc.getMap<ShapeMap>(SHAPES_KEY);
}

/** The top-level meta map. */
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_KEY);
}

/** The schema version recorded in the doc, or null if none was written yet. */
export function readSchemaVersion(doc: Y.Doc): number | null {
  const version = getMetaMap(doc).get(SCHEMA_VERSION_KEY);
  return typeof version === 'number' ? version : null;
}

/** Records the schema version if the doc has none; call inside a transaction. */
export function ensureMeta(doc: Y.Doc): void {
  const meta = getMetaMap(doc);
  if (!meta.has(SCHEMA_VERSION_KEY)) meta.set(SCHEMA_VERSION_KEY, SCHEMA_VERSION);
}

/** Reads one shape through the schema gate. */
export function readShapeFromDoc(doc: Y.Doc, id: string): ReturnType<typeof readShape> {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map)) return { ok: false, problem: { id, reason: entry === undefined ? 'no such shape' : 'entry is not a map' } };
  return readShape(id, entry.toJSON());
}

/** Orders shapes by fractional index; ties (two users inserting at once) broken by id. */
export function compareShapeOrder(a: Pick<Shape, 'index' | 'id'>, b: Pick<Shape, 'index' | 'id'>): number {
  if (a.index !== b.index) return a.index < b.index ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** All valid shapes in z-order; every refused record is reported to `onProblem`. */
export function readAllShapes(doc: Y.Doc, onProblem?: (problem: ShapeProblem) => void): Shape[] {
  const shapes: Shape[] = [];
  getShapesMap(doc).forEach((entry, id) => {
    const result = entry instanceof Y.Map ? readShape(id, entry.toJSON()) : { ok: false as const, problem: { id, reason: 'entry is not a map' } };
    if (result.ok) shapes.push(result.shape);
    else onProblem?.(result.problem);
  });
  return shapes.sort(compareShapeOrder);
}

/** Adds (or replaces) a shape; call inside a transaction with a typed origin. */
export function writeShape(doc: Y.Doc, shape: Shape): void {
  const entry = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(shapeFields(shape))) entry.set(key, value);
  getShapesMap(doc).set(shape.id, entry);
}

/**
 * Sets only the fields that differ, so a concurrent change to another field survives.
 * Returns false if the shape is not in the doc (deleted by someone else meanwhile).
 */
export function updateShape(doc: Y.Doc, id: string, patch: Partial<Omit<Shape, 'id' | 'type'>>): boolean {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map)) return false;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = entry.get(key);
    if (current === value) continue;
    // Arrays (points) are immutable values: compare by content to avoid rewriting an equal stroke.
    if (Array.isArray(current) && Array.isArray(value) && current.length === value.length && current.every((n, i) => n === value[i])) continue;
    entry.set(key, value);
  }
  return true;
}

/** Removes a shape; call inside a transaction with a typed origin. */
export function deleteShape(doc: Y.Doc, id: string): void {
  getShapesMap(doc).delete(id);
}

/** A fractional index that sorts above every shape in the doc. */
export function indexAbove(shapes: Iterable<Pick<Shape, 'index'>>): string {
  let max: string | null = null;
  for (const shape of shapes) if (max === null || shape.index > max) max = shape.index;
  return generateKeyBetween(max, null);
}

/** A fractional index strictly between two neighbours (either may be null for an open end). */
export function indexBetween(below: string | null, above: string | null): string {
  return generateKeyBetween(below, above);
}

/** `n` ascending indices strictly between two neighbours. */
export function indicesBetween(below: string | null, above: string | null, n: number): string[] {
  return generateNKeysBetween(below, above, n);
}

/** Reads the highest index directly from the doc, without validating every shape. */
export function topIndex(doc: Y.Doc): string | null {
  let max: string | null = null;
  getShapesMap(doc).forEach((entry) => {
    const index = entry instanceof Y.Map ? entry.get('index') : undefined;
    // A malformed index from a broken peer must not poison every later "insert above".
    if (isValidIndex(index) && (max === null || index > max)) max = index;
  });
  return max;
}
