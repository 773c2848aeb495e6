/**
 * The Y.Doc layout of a board. Only this file knows it:
 *
 *   doc.getMap('shapes'): shape id → Y.Map of that shape's fields (see shared/schema.ts), so two
 *                         users editing different fields of one shape both keep their change.
 *                         The `text` of a text or sticky shape is a Y.Text (schema version 2), so
 *                         two people typing into one note both keep every character; a plain
 *                         string there (a version 1 board, a bot) is still read. A label (the
 *                         text of a box, a line or an arrow, version 3) is a Y.Text too, left out
 *                         while empty: the first keystroke (setShapeText) creates it.
 *                         A shape in a frame (its `frameId` names a shape of a type that holds
 *                         shapes, schema version 2) stores `x`/`y` from the frame's origin, so a
 *                         frame moves with one write and what is drawn into it meanwhile moves
 *                         along. A `frameId` naming no frame (deleted meanwhile) is read as none,
 *                         its `x`/`y` as board coordinates. Every function here takes and returns
 *                         board coordinates; only the stored record is relative.
 *   doc.getMap('meta'):   { schemaVersion: number, title?: string }: `title` is the board's name
 *                         (absent or empty: untitled), at most MAX_TITLE_LENGTH characters.
 *
 * Z-order comes from each shape's fractional `index` string, never from a position in a Y.Array,
 * so concurrent reorders merge without duplicating shapes.
 */
import * as Y from 'yjs';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { MIGRATION_ORIGIN } from './origins.ts';
import { MAX_TITLE_LENGTH } from './title.ts';
import { readsAsAbsent, isValidIndex, isValidShapeId, readShape, shapeDef, shapeFields, SCHEMA_VERSION, SHAPE_LIMITS, type Shape, type ShapeProblem } from './schema.ts';

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

export const TITLE_KEY = 'title';
export { MAX_TITLE_LENGTH };

/** The board's title, '' if it has none (or a stored value that is not a string). */
export function readBoardTitle(doc: Y.Doc): string {
  const title = getMetaMap(doc).get(TITLE_KEY);
  return typeof title === 'string' ? title.slice(0, MAX_TITLE_LENGTH) : '';
}

/** Sets the board's title (trimmed, cut to MAX_TITLE_LENGTH; '' removes it); call inside a transaction. */
export function writeBoardTitle(doc: Y.Doc, title: string): void {
  const next = title.trim().slice(0, MAX_TITLE_LENGTH);
  const meta = getMetaMap(doc);
  if (next === '') meta.delete(TITLE_KEY);
  else if (meta.get(TITLE_KEY) !== next) meta.set(TITLE_KEY, next);
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

/** The field naming a shape's frame. */
export const FRAME_FIELD = 'frameId';

type Origin = { x: number; y: number };
const BOARD_ORIGIN: Origin = { x: 0, y: 0 };

/**
 * Where the stored x/y of a shape in frame `frameId` are measured from: the frame's origin, or the
 * board's when `frameId` names no frame that passes the gate (gone, broken, not a frame).
 */
function frameOrigin(doc: Y.Doc, frameId: unknown): Origin {
  if (!isValidShapeId(frameId)) return BOARD_ORIGIN;
  const entry = getShapesMap(doc).get(frameId);
  if (!(entry instanceof Y.Map) || shapeDef(entry.get('type'))?.holdsShapes !== true) return BOARD_ORIGIN;
  // A frame is in no frame (the gate drops its frameId), so this reads no further.
  const frame = readShape(frameId, shapeRecord(entry));
  return frame.ok ? { x: frame.shape.x, y: frame.shape.y } : BOARD_ORIGIN;
}

/** A stored shape in board coordinates; a frameId naming no frame is dropped. */
function onBoard(doc: Y.Doc, result: ReturnType<typeof readShape>): ReturnType<typeof readShape> {
  if (!result.ok || result.shape.frameId === undefined) return result;
  const origin = frameOrigin(doc, result.shape.frameId);
  if (origin === BOARD_ORIGIN) {
    const { frameId: _gone, ...shape } = result.shape;
    return { ok: true, shape: shape as Shape };
  }
  return { ok: true, shape: { ...result.shape, x: result.shape.x + origin.x, y: result.shape.y + origin.y } };
}

/** The frame a stored shape names, valid or not (for following frames to their children). */
export function storedFrameId(doc: Y.Doc, id: string): string | null {
  const entry = getShapesMap(doc).get(id);
  const frameId = entry instanceof Y.Map ? entry.get(FRAME_FIELD) : undefined;
  return isValidShapeId(frameId) ? frameId : null;
}

/** Reads one shape through the schema gate, in board coordinates. */
export function readShapeFromDoc(doc: Y.Doc, id: string): ReturnType<typeof readShape> {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map)) return { ok: false, problem: { id, reason: entry === undefined ? 'no such shape' : 'entry is not a map' } };
  return onBoard(doc, readShape(id, shapeRecord(entry)));
}

/** Orders shapes by fractional index; ties (two users inserting at once) broken by id. */
export function compareShapeOrder(a: Pick<Shape, 'index' | 'id'>, b: Pick<Shape, 'index' | 'id'>): number {
  if (a.index !== b.index) return a.index < b.index ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** All valid shapes in z-order, in board coordinates; every refused record is reported to `onProblem`. */
export function readAllShapes(doc: Y.Doc, onProblem?: (problem: ShapeProblem) => void): Shape[] {
  const shapes: Shape[] = [];
  getShapesMap(doc).forEach((entry, id) => {
    const result = entry instanceof Y.Map ? onBoard(doc, readShape(id, shapeRecord(entry))) : { ok: false as const, problem: { id, reason: 'entry is not a map' } };
    if (result.ok) shapes.push(result.shape);
    else onProblem?.(result.problem);
  });
  return shapes.sort(compareShapeOrder);
}

/**
 * Adds (or replaces) a shape given in board coordinates; call inside a transaction with a typed
 * origin. A shape in a frame is stored from the frame's origin as it is now, so write a frame
 * before its children. Text gets a Y.Text of its own, so a copy, a duplicate, a paste or an
 * import never shares one with its original.
 */
export function writeShape(doc: Y.Doc, shape: Shape): void {
  const entry = new Y.Map<unknown>();
  const origin = frameOrigin(doc, shape.frameId);
  const stored = origin === BOARD_ORIGIN ? shape : { ...shape, x: shape.x - origin.x, y: shape.y - origin.y };
  const optionalText = shapeDef(shape.type)?.text?.optional === true;
  for (const [key, value] of Object.entries(shapeFields(stored))) {
    // An empty label is not stored: a board of plain boxes carries no Y.Text per box.
    if (key === TEXT_FIELD && optionalText && value === '') continue;
    // Nor is any field at the value the gate reads when it is left out (a rotation of 0, an
    // unlocked shape, a default style, an unbound arrow end): a typical board then stores about
    // half the entries, and its first load decodes that much less.
    if (readsAsAbsent(shape.type, key, value)) continue;
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
 * What a command may change on a shape: its fields (x/y in board coordinates), and `frameId` or
 * `groupIds` set to null to take the shape out of its frame or every group.
 */
export type StoredPatch = Partial<Omit<Shape, 'id' | 'type' | 'frameId' | 'groupIds'>> & { frameId?: string | null; groupIds?: string[] | null };

/**
 * Sets only the fields that differ, so a concurrent change to another field survives. A shape
 * that enters, leaves or changes frames keeps its place on the board (its stored x/y are
 * measured anew). Patch a frame before its children: its children follow it, so a child's x/y
 * given before the frame moves would be moved again with it. Returns false if the shape is not in the doc (deleted by someone else meanwhile).
 */
export function updateShape(doc: Y.Doc, id: string, input: StoredPatch): boolean {
  const entry = getShapesMap(doc).get(id);
  if (!(entry instanceof Y.Map)) return false;
  const patch: Record<string, unknown> = { ...input };
  if (input.x !== undefined || input.y !== undefined || input.frameId !== undefined) {
    const from = frameOrigin(doc, entry.get(FRAME_FIELD));
    const to = input.frameId === undefined ? from : frameOrigin(doc, input.frameId);
    const storedX = entry.get('x');
    const storedY = entry.get('y');
    // Where it is on the board now, unless the patch says where it goes.
    const x = input.x ?? (typeof storedX === 'number' ? storedX + from.x : undefined);
    const y = input.y ?? (typeof storedY === 'number' ? storedY + from.y : undefined);
    if (x !== undefined) patch.x = x - to.x;
    if (y !== undefined) patch.y = y - to.y;
  }
  // Nothing stands for "none": a null is written, and read back as absent.
  if (input.groupIds === null || (Array.isArray(input.groupIds) && input.groupIds.length === 0)) patch.groupIds = null;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    // Text is edited in place, so whoever types into it at the same time keeps their characters.
    if (key === TEXT_FIELD && typeof value === 'string' && hasTextField(entry.get('type'))) {
      setTextField(entry, value);
      continue;
    }
    const current = entry.get(key);
    // An absent field reads as the gate's value for it (writeShape leaves those out).
    if (current === value || (value === null && current === undefined) || (current === undefined && readsAsAbsent(entry.get('type'), key, value))) continue;
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
    // An empty label needs no Y.Text, as writeShape stores none (ShapeDef.text.optional).
    if (text === '' && shapeDef(entry.get('type'))?.text?.optional === true) return;
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
