/**
 * The Y.Doc layout of a board. Only this file knows it:
 *
 *   doc.getMap('shapes'): shape id → Y.Map of that shape's fields (see shared/schema.ts), so two
 *                         users editing different fields of one shape both keep their change.
 *                         The `text` of a text or sticky shape is a Y.Text (schema version 2), so
 *                         two people typing into one note both keep every character; a plain
 *                         string there (a version 1 board, a bot) is still read.
 *   doc.getMap('meta'):   { schemaVersion: number }
 *
 * Z-order comes from each shape's fractional `index` string, never from a position in a Y.Array,
 * so concurrent reorders merge without duplicating shapes.
 */
import * as Y from 'yjs';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { MIGRATION_ORIGIN } from './origins.ts';
import { isValidIndex, readShape, shapeDef, shapeFields, SCHEMA_VERSION, SHAPE_LIMITS, type Shape, type ShapeProblem } from './schema.ts';

export const SHAPES_KEY = 'shapes';
export const META_KEY = 'meta';
export const SCHEMA_VERSION_KEY = 'schemaVersion';

export type ShapeMap = Y.Map<unknown>;

/** The field holding the text of the shape types that have text (see ShapeDef.text). */
export const TEXT_FIELD = 'text';

/** Whether shapes of this type keep a Y.Text under TEXT_FIELD. */
const hasTextField = (type: unknown): boolean => shapeDef(type)?.text !== undefined;

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

/**
 * A shape's fields as the plain record the schema gate reads: a Y.Text as its string, a plain
 * string (version 1, a bot) as itself. Concurrent typing can merge past the length limit; the
 * text is then cut rather than refused, which would make the shape vanish for everyone.
 */
function shapeRecord(entry: ShapeMap): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  entry.forEach((value, key) => {
    if (value instanceof Y.Text) record[key] = value.toString().slice(0, SHAPE_LIMITS.maxTextLength);
    else record[key] = value instanceof Y.AbstractType ? value.toJSON() : value;
  });
  return record;
}

/** Reads one shape through the schema gate. */
export function readShapeFromDoc(doc: Y.Doc, id: string): ReturnType<typeof readShape> {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map)) return { ok: false, problem: { id, reason: entry === undefined ? 'no such shape' : 'entry is not a map' } };
  return readShape(id, shapeRecord(entry));
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
    const result = entry instanceof Y.Map ? readShape(id, shapeRecord(entry)) : { ok: false as const, problem: { id, reason: 'entry is not a map' } };
    if (result.ok) shapes.push(result.shape);
    else onProblem?.(result.problem);
  });
  return shapes.sort(compareShapeOrder);
}

/**
 * Adds (or replaces) a shape; call inside a transaction with a typed origin. Text gets a Y.Text of
 * its own, so a copy, a duplicate, a paste or an import never shares one with its original.
 */
export function writeShape(doc: Y.Doc, shape: Shape): void {
  const entry = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(shapeFields(shape))) {
    entry.set(key, key === TEXT_FIELD && hasTextField(shape.type) && typeof value === 'string' ? new Y.Text(value) : value);
  }
  getShapesMap(doc).set(shape.id, entry);
}

/** Sets a shape's text: a minimal edit of its Y.Text, or a new Y.Text in place of a plain string. */
function setTextField(entry: ShapeMap, text: string, caret?: number): boolean {
  const current = entry.get(TEXT_FIELD);
  if (current instanceof Y.Text) return applyTextDiff(current, text, caret);
  if (current === text) return false;
  entry.set(TEXT_FIELD, new Y.Text(text));
  return true;
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
    // Text is edited in place, so whoever types into it at the same time keeps their characters.
    if (key === TEXT_FIELD && typeof value === 'string' && hasTextField(entry.get('type'))) {
      setTextField(entry, value);
      continue;
    }
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

/** The Y.Text of a shape with text (text, sticky), or null (no such shape, a type without text, or a plain string not migrated yet). */
export function shapeText(doc: Y.Doc, id: string): Y.Text | null {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map) || !hasTextField(entry.get('type'))) return null;
  const text = entry.get(TEXT_FIELD);
  return text instanceof Y.Text ? text : null;
}

/**
 * Sets the text of a shape with text (text, sticky) as typed: only the characters that changed
 * are deleted and inserted (see textDiff), and a plain string becomes a Y.Text. `caret` (where the
 * caret is in `text` after the edit) places an insertion among equal characters where it was typed.
 * Call inside a transaction with a typed origin. False if there is no such text shape.
 */
export function setShapeText(doc: Y.Doc, id: string, text: string, caret?: number): boolean {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map) || !hasTextField(entry.get('type'))) return false;
  setTextField(entry, text, caret);
  return true;
}

/** One edit that turns a string into another: delete `remove` characters at `index`, then insert `insert` there. */
export interface TextEdit {
  index: number;
  remove: number;
  insert: string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The smallest single edit from `before` to `after`: everything but the common prefix and suffix.
 * A whole-string replace would delete the characters someone else is typing next to; this keeps
 * them. `caret`, the caret's index in `after`, decides where the edit goes when equal characters
 * make it ambiguous (typing "a" into "aa"). Never splits a surrogate pair.
 */
export function textDiff(before: string, after: string, caret?: number): TextEdit {
  const shorter = Math.min(before.length, after.length);
  const samePrefix = (limit: number): number => {
    let n = 0;
    while (n < limit && before.charCodeAt(n) === after.charCodeAt(n)) n++;
    return n;
  };
  const sameSuffix = (limit: number): number => {
    let n = 0;
    while (n < limit && before.charCodeAt(before.length - 1 - n) === after.charCodeAt(after.length - 1 - n)) n++;
    return n;
  };
  let prefix: number;
  let suffix: number;
  if (caret === undefined) {
    prefix = samePrefix(shorter);
    suffix = sameSuffix(shorter - prefix);
  } else {
    // The edit ends at the caret or after it: the suffix may not reach before the caret.
    suffix = sameSuffix(Math.max(0, Math.min(shorter, after.length - caret)));
    prefix = samePrefix(shorter - suffix);
  }
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { index: prefix, remove: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) };
}

/** Makes `text` read `next` with the smallest edit (textDiff); false if it already did. */
export function applyTextDiff(text: Y.Text, next: string, caret?: number): boolean {
  const before = text.toString();
  if (before === next) return false;
  const edit = textDiff(before, next, caret);
  const apply = (): void => {
    if (edit.remove > 0) text.delete(edit.index, edit.remove);
    if (edit.insert !== '') text.insert(edit.index, edit.insert);
  };
  // Inside the caller's transaction when there is one; one transaction either way.
  if (text.doc) text.doc.transact(apply);
  else apply();
  return true;
}

/**
 * Brings a board written before schema version 2 up to it: every text kept as a plain string
 * becomes a Y.Text, and the version is raised, in one MIGRATION_ORIGIN transaction (not the
 * user's act: never undone). Run it once the doc has synced with the server, so it sees the texts
 * that are already Y.Texts there; two clients migrating one string at once both write the same
 * text, and one Y.Text wins. Strings over the length limit stay as they are (the gate refuses
 * them either way). Returns how many texts it converted; writes nothing if there is nothing to do.
 */
export function migrateStringTexts(doc: Y.Doc): number {
  const strings: ShapeMap[] = [];
  getShapesMap(doc).forEach((entry) => {
    if (!(entry instanceof Y.Map) || !hasTextField(entry.get('type'))) return;
    const text = entry.get(TEXT_FIELD);
    if (typeof text === 'string' && text.length <= SHAPE_LIMITS.maxTextLength) strings.push(entry);
  });
  const version = readSchemaVersion(doc);
  const outdated = version !== null && version < SCHEMA_VERSION;
  if (strings.length === 0 && !outdated) return 0;
  doc.transact(() => {
    for (const entry of strings) entry.set(TEXT_FIELD, new Y.Text(entry.get(TEXT_FIELD) as string));
    if (outdated) getMetaMap(doc).set(SCHEMA_VERSION_KEY, SCHEMA_VERSION);
  }, MIGRATION_ORIGIN);
  return strings.length;
}

/** A place in a shape's text that stays put through others' edits: Y.RelativePosition as JSON. */
export interface TextAnchor {
  type?: { client: number; clock: number };
  tname?: string;
  item?: { client: number; clock: number };
  assoc?: number;
}

/** The anchor of character index `index` in a shape's text, or null if it has no Y.Text. */
export function textAnchor(doc: Y.Doc, id: string, index: number): TextAnchor | null {
  const text = shapeText(doc, id);
  if (text === null) return null;
  const at = Math.max(0, Math.min(text.length, Math.round(index)));
  return Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at)) as TextAnchor;
}

/**
 * Where an anchor is now in a shape's text, or null when it cannot be told (the anchor is in
 * another text, or in edits this doc has not received yet: try again when they arrive).
 */
export function textAnchorIndex(doc: Y.Doc, id: string, anchor: TextAnchor): number | null {
  const text = shapeText(doc, id);
  if (text === null) return null;
  try {
    const absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(anchor), doc);
    return absolute !== null && absolute.type === text ? absolute.index : null;
  } catch {
    // A well-formed anchor that names an item of another type (not a text) throws in Yjs.
    return null;
  }
}
