/** See snapshot-fold.mjs. */
export function foldEntries(entries: readonly Uint8Array[]): { snapshot: Uint8Array; skipped: number[] };
