import { boardStateApiPath } from '../../shared/api.ts';
import { authHeaders } from './access-token.ts';
import { readOfflineCopy, type OfflineRead } from './offline-read.ts';

/**
 * The board a page starts from, got before any part of the page exists: this browser's offline
 * copy, or on a first visit the server's whole board over HTTP (GET boardStateApiPath).
 *
 * Why before: applied to a doc nothing listens to yet, the board costs only its decoding. Applied
 * once the page is built (as the socket's first answer used to be), the same board also paid for
 * Yjs encoding it again for the doc's update listeners (the sync provider always listens), for a
 * deep-observe event listing every shape, and for every part reacting to a change of them all;
 * that was most of the time a big board took to open. The board's schema gate then runs once, as
 * the board is created, and the socket's sync that follows carries only what is newer.
 *
 * Loading is here, with no Yjs (the page's first script, early-open.ts, starts it while the app's
 * own script still loads); applying is initial-apply.ts.
 *
 * A page never waits long for the server here: past INITIAL_STATE_WAIT_MS it is built without the
 * board, which is applied when it comes (the socket connects after it, so the board is not sent
 * twice). With no server (offline, 404, a refused token) the page starts from what it has, and
 * the socket says why.
 */
export const INITIAL_STATE_WAIT_MS = 3000;

/** Marks of the steps here, for open-timeline.ts's readers (User Timing). */
export const INITIAL_STATE_MARKS = {
  offlineRead: 'easel:offline-read',
  stateFetched: 'easel:state-fetched',
  applied: 'easel:initial-applied',
} as const;

export interface InitialState {
  readonly offline: OfflineRead;
  /** The server's board, when the offline copy was empty and it came in time; else null. */
  readonly fetched: Uint8Array | null;
  /** The server's board still on its way past the wait (null if none is). */
  readonly late: Promise<Uint8Array | null> | null;
}

export interface InitialStateOptions {
  room: string;
  token: string | null;
  fetch: typeof fetch;
  read?: (room: string) => Promise<OfflineRead>;
  waitMs?: number;
  performance?: Pick<Performance, 'mark'>;
}

/** The server's board as one Yjs update; null when it has none for this page (or cannot be reached). */
async function fetchBoardState(options: InitialStateOptions): Promise<Uint8Array | null> {
  try {
    const response = await options.fetch(boardStateApiPath(options.room), { headers: authHeaders(options.token), cache: 'no-store' });
    if (!response.ok) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > 0 ? bytes : null;
  } catch {
    // Offline or unreachable: the page starts from what it has; the socket reports the rest.
    return null;
  }
}

export async function loadInitialState(options: InitialStateOptions): Promise<InitialState> {
  const mark = (name: string): void => {
    options.performance?.mark(name);
  };
  const offline = await (options.read ?? readOfflineCopy)(options.room);
  mark(INITIAL_STATE_MARKS.offlineRead);
  // A kept board opens from the browser; the socket brings what changed since.
  if (offline.updates.length > 0) return { offline, fetched: null, late: null };
  const request = fetchBoardState(options);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), options.waitMs ?? INITIAL_STATE_WAIT_MS)));
  const first = await Promise.race([request, waited]);
  clearTimeout(timer);
  if (first === 'late') return { offline, fetched: null, late: request };
  mark(INITIAL_STATE_MARKS.stateFetched);
  return { offline, fetched: first, late: null };
}
