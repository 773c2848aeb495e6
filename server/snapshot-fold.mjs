/**
 * Folds a room's log entries (oldest first) into one update: the compaction snapshot. Used by
 * server/snapshots.ts on the main thread for small logs and by server/snapshot-worker.mjs for
 * large ones.
 *
 * Plain JavaScript on purpose: the server runs TypeScript through tsx, whose loader does not
 * reach worker threads on Node 20, and this file needs nothing but yjs. Types: snapshot-fold.d.mts.
 */
import * as Y from 'yjs';

export function foldEntries(entries) {
  const doc = new Y.Doc();
  try {
    // One transaction: cleanup (and garbage collection of deleted content) runs once, at the end.
    // An entry that does not apply is left out, as a room's load leaves it out (Room.applyStored).
    const skipped = [];
    doc.transact(() => {
      entries.forEach((entry, i) => {
        try {
          Y.applyUpdate(doc, entry);
        } catch {
          skipped.push(i);
        }
      });
    });
    // Structs still waiting for a missing dependency are kept too: encodeStateAsUpdate adds them.
    return { snapshot: Y.encodeStateAsUpdate(doc), skipped };
  } finally {
    doc.destroy();
  }
}
