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

/** Removes what findRefusedRecords finds, in one transaction with `origin`; answers what went. */
export function repairDoc(doc: Y.Doc, origin: ChangeOrigin): RepairResponse {
  const removed = findRefusedRecords(doc);
  if (removed.length > 0) {
    doc.transact(() => {
      for (const { id } of removed) deleteShape(doc, id);
    }, origin);
  }
  return { removed };
}
