/**
 * The worker thread of server/snapshots.ts: folds a room's log entries into one update.
 *
 * Plain JavaScript on purpose: the server runs TypeScript through tsx, whose loader does not
 * reach worker threads on Node 20, and this file needs nothing but yjs.
 *
 * In:  { id, entries: Uint8Array[] }
 * Out: { id, snapshot: Uint8Array (its buffer transferred), skipped: entry indexes left out }
 *      or { id, error: string }
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', ({ id, entries }) => {
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
    const snapshot = Y.encodeStateAsUpdate(doc);
    parentPort.postMessage({ id, snapshot, skipped }, [snapshot.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    doc.destroy();
  }
});
