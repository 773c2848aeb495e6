/**
 * The worker thread of server/snapshots.ts: folds a large room's log into one update.
 *
 * In:  { id, entries: Uint8Array[] }
 * Out: { id, snapshot: Uint8Array (its buffer transferred), skipped: entry indexes left out }
 *      or { id, error: string }
 */
import { parentPort } from 'node:worker_threads';
import { foldEntries } from './snapshot-fold.mjs';

parentPort.on('message', ({ id, entries }) => {
  try {
    const { snapshot, skipped } = foldEntries(entries);
    parentPort.postMessage({ id, snapshot, skipped }, [snapshot.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
