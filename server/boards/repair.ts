/**
 * Repair: the stored shape records the schema gate refuses. Clients skip such a record when they
 * read it, but it stays in the document forever and every visitor downloads it; repair removes
 * them, all in one transaction so connected clients see one forward edit.
 */
import type * as Y from 'yjs';
import type { RepairResponse } from '../../shared/api.ts';
import { deleteShape, readAllShapes } from '../../shared/doc.ts';
import type { ChangeOrigin } from '../../shared/origins.ts';

/** Every stored shape record the gate refuses, with why (the same gate and reasons clients use). */
export function findRefusedRecords(doc: Y.Doc): RepairResponse['removed'] {
  const refused: RepairResponse['removed'] = [];
  readAllShapes(doc, (problem) => refused.push({ id: problem.id, reason: problem.reason }));
  return refused;
}

/** Removes what findRefusedRecords finds; call inside a transaction (a room's server edit). */
export function removeRefusedRecords(doc: Y.Doc): RepairResponse {
  const removed = findRefusedRecords(doc);
  for (const { id } of removed) deleteShape(doc, id);
  return { removed };
}

/** removeRefusedRecords in one transaction of its own with `origin` (none when nothing is refused). */
export function repairDoc(doc: Y.Doc, origin: ChangeOrigin): RepairResponse {
  if (findRefusedRecords(doc).length === 0) return { removed: [] };
  return doc.transact(() => removeRefusedRecords(doc), origin);
}
