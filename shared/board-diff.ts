/**
 * What differs between two sets of shapes, and bringing a document to a given board as a forward
 * edit. Used by the client (the History panel's preview and restore) and by the server (restore
 * and import through the API), so both make the same, smallest change. Nothing here knows the
 * Y.Doc layout: it goes through shared/doc.ts.
 */
import type * as Y from 'yjs';
import type { BoardFileData } from './board-file.ts';
import { deleteShape, getShapesMap, readAllShapes, readShapeFromDoc, updateShape, writeBoardTitle, writeShape, type StoredPatch } from './doc.ts';
import { holdsShapes, shapeFields, type Shape } from './schema.ts';

/** The ids that differ from `before` to `after`. */
export interface BoardDiff {
  /** In `after`, not in `before`. */
  added: Set<string>;
  /** In `before`, not in `after`. */
  removed: Set<string>;
  /** In both, with any field different (text, position, style, z-order, frame, groups…). */
  changed: Set<string>;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Points and group ids are arrays of plain values; no field holds anything deeper.
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Whether two shapes have the same stored fields (through shapeFields, so a new field counts). */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.id !== b.id) return false;
  const fa = shapeFields(a);
  const fb = shapeFields(b);
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  for (const key of keys) if (!sameValue(fa[key], fb[key])) return false;
  return true;
}

/** Which shapes were added, removed and changed from `before` to `after`. */
export function diffBoards(before: readonly Shape[], after: readonly Shape[]): BoardDiff {
  const old = new Map(before.map((shape) => [shape.id, shape]));
  const diff: BoardDiff = { added: new Set(), removed: new Set(), changed: new Set() };
  const seen = new Set<string>();
  for (const shape of after) {
    seen.add(shape.id);
    const was = old.get(shape.id);
    if (was === undefined) diff.added.add(shape.id);
    else if (!sameShape(was, shape)) diff.changed.add(shape.id);
  }
  for (const id of old.keys()) if (!seen.has(id)) diff.removed.add(id);
  return diff;
}

/**
 * The target as a document would read it back: a `frameId` naming no frame of the target is read
 * as none (shared/doc.ts), so comparing with it would find a difference that writing never ends.
 */
function asRead(shapes: readonly Shape[]): Shape[] {
  const frames = new Set(shapes.filter((shape) => holdsShapes(shape)).map((shape) => shape.id));
  return shapes.map((shape) => {
    if (shape.frameId === undefined || frames.has(shape.frameId)) return shape;
    const { frameId: _none, ...rest } = shape;
    return rest as Shape;
  });
}

/** Writes `target` over the shape stored under its id, changing only the fields that differ. */
function bringToTarget(doc: Y.Doc, target: Shape, current: Shape | null): void {
  if (current !== null && sameShape(current, target)) return;
  // A new shape, or one whose type changed: its record is written whole.
  if (current === null || current.type !== target.type) {
    writeShape(doc, target);
    return;
  }
  const { id: _id, type: _type, frameId, groupIds, ...fields } = target;
  // Fields set one by one (updateShape skips equal ones, edits text in place), so whoever edits
  // another field of this shape meanwhile keeps their edit.
  const patch: StoredPatch = { ...(fields as StoredPatch), frameId: frameId ?? null, groupIds: groupIds ?? null };
  updateShape(doc, target.id, patch);
}

/**
 * Makes the document hold exactly `target`'s shapes and title, as a forward edit: shapes equal to
 * the target's are not touched (an edit to them made meanwhile elsewhere survives, and the update
 * stays small), differing ones have only their differing fields set, missing ones are written,
 * and shapes not in the target are deleted. Call inside the caller's transaction (with its
 * origin: the client's local one, so the restore is one undo step). Returns how the document
 * differed from the target before.
 */
export function restoreBoard(doc: Y.Doc, target: BoardFileData): BoardDiff {
  const wanted = asRead(target.shapes);
  const diff = diffBoards(readAllShapes(doc), wanted);
  const keep = new Set(wanted.map((shape) => shape.id));
  // Every record not in the target goes, broken ones included: the board is then the version.
  const stored: string[] = [];
  getShapesMap(doc).forEach((_entry, id) => stored.push(id));
  for (const id of stored) if (!keep.has(id)) deleteShape(doc, id);
  // Frames first, then the rest read afresh: a child's stored x/y are measured from its frame
  // as it is once the frames are back, so a child equal in board coordinates before a frame moved
  // back may differ after it.
  const frames = wanted.filter((shape) => holdsShapes(shape));
  const others = wanted.filter((shape) => !holdsShapes(shape));
  for (const shape of [...frames, ...others]) {
    const current = readShapeFromDoc(doc, shape.id);
    bringToTarget(doc, shape, current.ok ? current.shape : null);
  }
  writeBoardTitle(doc, target.title);
  return diff;
}
