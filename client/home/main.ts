/**
 * Composition root of the home page (`/`): the board list over this browser's localStorage, and
 * the service worker that lets this page and the boards kept here open offline.
 */
import { createBoardList } from './board-list.ts';
import { createHomePage } from './home-page.ts';
import { newRoomName } from '../sync/room.ts';
import { registerOfflineShell } from '../sync/offline-shell.ts';
import { createTheme } from '../ui/theme.ts';
import './home.css';

const root = document.querySelector('#home');
if (!(root instanceof HTMLElement)) throw new Error('easel: home.html is missing #home');

registerOfflineShell({ enabled: import.meta.env.PROD });
// The board pages' theme: the system's, or the one chosen on a board (remembered in this browser).
const theme = createTheme({ root: document.documentElement, storage: window.localStorage, matchMedia: (query) => window.matchMedia(query) });
const page = createHomePage({
  root,
  list: createBoardList(window.localStorage),
  newRoom: newRoomName,
  navigate: (path) => window.location.assign(path),
  storageEvents: window,
});

if (import.meta.hot)
  import.meta.hot.dispose(() => {
    page.close();
    theme.close();
  });
