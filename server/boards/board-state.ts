/**
 * A board's whole Yjs state (an update holding the whole document, as the store and versions keep
 * it) to and from the board file the API and CLI speak. The Y.Doc layout stays in shared/doc.ts:
 * this file only calls its readers and writers.
 */
import * as Y from 'yjs';
import type { BoardFileData } from '../../shared/board-file.ts';
import { ensureMeta, readAllShapes, readBoardTitle, writeBoardTitle, writeShape } from '../../shared/doc.ts';
import { SERVER_ORIGIN, STORAGE_ORIGIN } from '../../shared/origins.ts';
import { holdsShapes, type Shape } from '../../shared/schema.ts';

/** A scratch doc holding `state` (what the store gave: applied as storage, never relayed). */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state, STORAGE_ORIGIN);
  return doc;
}

/** The board file of a doc: its title and every shape that passes the schema gate, in z-order. */
export function boardFileOfDoc(doc: Y.Doc): BoardFileData {
  return { title: readBoardTitle(doc), shapes: readAllShapes(doc) };
}

/** The board file of a whole state. */
export function boardFileFromState(state: Uint8Array): BoardFileData {
  const doc = docFromState(state);
  try {
    return boardFileOfDoc(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Frames before the shapes in them: a child's stored x/y are measured from its frame as the frame
 * is when the child is written (shared/doc.ts writeShape).
 */
export function framesFirst(shapes: readonly Shape[]): Shape[] {
  return [...shapes.filter((shape) => holdsShapes(shape)), ...shapes.filter((shape) => !holdsShapes(shape))];
}

/** The whole state of a new board holding exactly `file` (schema version, title, shapes). */
export function stateFromBoardFile(file: BoardFileData): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      ensureMeta(doc);
      writeBoardTitle(doc, file.title);
      for (const shape of framesFirst(file.shapes)) writeShape(doc, shape);
    }, SERVER_ORIGIN);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
