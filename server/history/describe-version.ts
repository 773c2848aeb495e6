/**
 * What a version says about itself, read from its whole-state Yjs update through shared/doc.ts
 * (the only module that knows the document's layout), on a throwaway Y.Doc.
 */
import * as Y from 'yjs';
import type { VersionInfo, VersionReason } from '../../shared/api.ts';
import { readAllShapes, readBoardTitle } from '../../shared/doc.ts';
import { STORAGE_ORIGIN } from '../../shared/origins.ts';

/** What the board index and a version's info need from a state. */
export interface StateSummary {
  /** Shapes the schema gate accepts (refused records are not counted). */
  shapes: number;
  title: string;
}

/** Reads a whole-state update's shape count and title. */
export function summarizeState(state: Uint8Array): StateSummary {
  const doc = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(doc, state, STORAGE_ORIGIN);
    return { shapes: readAllShapes(doc).length, title: readBoardTitle(doc) };
  } finally {
    doc.destroy();
  }
}

export interface VersionFacts {
  id: string;
  /** When it was taken, ms since the epoch. */
  at: number;
  reason: VersionReason;
  /** Who edited since the version before, first edit first. */
  editors: readonly string[];
}

/** The VersionInfo of `state` (pass `summary` when it was read already). */
export function describeVersion(state: Uint8Array, facts: VersionFacts, summary: StateSummary = summarizeState(state)): VersionInfo {
  return {
    id: facts.id,
    at: new Date(facts.at).toISOString(),
    reason: facts.reason,
    editors: [...new Set(facts.editors)],
    shapes: summary.shapes,
    bytes: state.byteLength,
  };
}
