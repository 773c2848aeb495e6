/**
 * The board page's script: it starts reading this browser's copy of the board and fetching the
 * server's (sync/initial-state.ts) at once, then loads the app (main.ts), so that getting the
 * board overlaps with the app's much larger script loading and starting. It imports nothing heavy
 * (no Yjs, no Konva) so that it runs first: a static import of the app would make the browser
 * load and parse all of it before running any of it. main.ts imports this same instance and takes
 * what it started, if the page's room is the one it started for.
 */
import { tokenFromHash } from './sync/access-token.ts';
import { loadInitialState, type InitialState } from './sync/initial-state.ts';
import { roomFromPath } from './sync/room.ts';
import { markInitialTheme } from './ui/theme.ts';

// Before anything shows: index.html colours the page by this until the app's stylesheet comes.
markInitialTheme({ root: document.documentElement, storage: window.localStorage, matchMedia: (query) => window.matchMedia(query) });

export interface EarlyOpening {
  readonly room: string;
  readonly state: Promise<InitialState>;
}

const room = roomFromPath(window.location.pathname);

/** Null when the path names no room (main.ts then makes one, and loads it itself). */
export const earlyOpening: EarlyOpening | null =
  room === null ? null : { room, state: loadInitialState({ room, token: tokenFromHash(window.location.hash), fetch: (...args) => window.fetch(...args), performance }) };

import('./main.ts').catch((error: unknown) => console.error('easel: the app could not load', error));
