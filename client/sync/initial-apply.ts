import * as Y from 'yjs';
import { OFFLINE_ORIGIN, REMOTE_ORIGIN } from '../../shared/origins.ts';
import { INITIAL_STATE_MARKS, type InitialState } from './initial-state.ts';

/**
 * Applies what loadInitialState got to a fresh doc, in one transaction that is not local (like
 * every received update), before anything listens to the doc.
 */
export function applyInitialState(doc: Y.Doc, state: InitialState, performance?: Pick<Performance, 'mark'>): void {
  const { updates } = state.offline;
  // A damaged copy or answer is skipped, not fatal: the socket's sync brings the board anyway.
  try {
    if (updates.length > 0) Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)), OFFLINE_ORIGIN, false);
  } catch (error) {
    console.warn('easel: could not apply the offline copy of the board', error);
  }
  if (state.fetched !== null) applyServerBoard(doc, state.fetched);
  performance?.mark(INITIAL_STATE_MARKS.applied);
}

function applyServerBoard(doc: Y.Doc, update: Uint8Array): void {
  try {
    Y.applyUpdate(doc, update, REMOTE_ORIGIN);
  } catch (error) {
    console.warn('easel: could not apply the board the server sent', error);
  }
}

/**
 * For a board that came past the wait: applies it when it comes (the page is built by then, so
 * this is an ordinary received update), then lets the socket connect.
 */
export function applyLateState(doc: Y.Doc, state: InitialState, connect: () => void): void {
  if (state.late === null) {
    connect();
    return;
  }
  void state.late.then((update) => {
    if (update !== null) applyServerBoard(doc, update);
    connect();
  });
}
