import { boardPath } from '../../shared/protocol.ts';
import { boardLink } from '../sync/share-link.ts';
import { searchBoards, BOARD_LIST_KEY_PREFIX, type BoardEntry, type BoardList } from './board-list.ts';
import { openedAgo } from './opened-ago.ts';

export interface HomePageOptions {
  /** The element the page is built in (emptied first). */
  root: HTMLElement;
  list: Pick<BoardList, 'entries' | 'forget'>;
  /** A fresh room name for New board. */
  newRoom(): string;
  /** Opens a path in this tab. */
  navigate(path: string): void;
  /** Where the list changes made by other tabs are heard (the window's `storage` events). */
  storageEvents: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  now?: () => number;
}

/**
 * The home page: the boards this browser has opened, newest first, each with its thumbnail,
 * title (the room while untitled) and when it was last opened; a search field that filters by
 * title and room as you type; New board; and a button on each board that forgets it here. Board
 * pages in other tabs update the list as they go, and the page follows.
 */
export function createHomePage(options: HomePageOptions): { close(): void } {
  const { root, list } = options;
  const now = options.now ?? Date.now;
  root.replaceChildren();

  const header = document.createElement('header');
  header.className = 'home-header';
  const heading = document.createElement('h1');
  heading.textContent = 'Easel';
  const search = document.createElement('input');
  search.type = 'search';
  search.className = 'home-search';
  search.placeholder = 'Search boards';
  search.setAttribute('aria-label', 'Search boards by title or name');
  search.autocomplete = 'off';
  const create = document.createElement('button');
  create.type = 'button';
  create.className = 'home-new';
  create.dataset.action = 'new-board';
  create.textContent = 'New board';
  create.addEventListener('click', () => options.navigate(boardPath(options.newRoom())));
  header.append(heading, search, create);

  const grid = document.createElement('ul');
  grid.className = 'board-grid';
  grid.setAttribute('aria-label', 'Your boards');
  const empty = document.createElement('p');
  empty.className = 'home-empty';
  root.append(header, grid, empty);

  const card = (entry: BoardEntry): HTMLLIElement => {
    const item = document.createElement('li');
    item.className = 'board-card';
    item.dataset.room = entry.room;
    const link = document.createElement('a');
    link.href = boardLink('', entry.room, entry.token);
    link.className = 'board-card-link';
    const picture = document.createElement('div');
    picture.className = 'board-card-thumbnail';
    if (entry.thumbnail !== null) {
      const image = document.createElement('img');
      image.src = entry.thumbnail;
      image.alt = '';
      picture.append(image);
    }
    const name = document.createElement('span');
    name.className = 'board-card-title';
    name.textContent = entry.title === '' ? entry.room : entry.title;
    name.dataset.untitled = String(entry.title === '');
    const when = document.createElement('time');
    when.className = 'board-card-opened';
    when.dateTime = new Date(entry.openedAt).toISOString();
    when.title = new Date(entry.openedAt).toLocaleString();
    when.textContent = `Opened ${openedAgo(entry.openedAt, now())}`;
    link.append(picture, name, when);
    const forget = document.createElement('button');
    forget.type = 'button';
    forget.className = 'board-card-forget';
    forget.dataset.action = 'forget-board';
    forget.textContent = '×';
    forget.title = 'Remove from this list (the board itself stays)';
    forget.setAttribute('aria-label', `Remove ${name.textContent} from this list`);
    forget.addEventListener('click', () => {
      list.forget(entry.room);
      render();
    });
    item.append(link, forget);
    return item;
  };

  const render = (): void => {
    const all = list.entries();
    const shown = searchBoards(all, search.value);
    grid.replaceChildren(...shown.map(card));
    empty.hidden = shown.length > 0;
    empty.textContent = all.length === 0 ? 'No boards yet in this browser. Start one with New board.' : `No board matches “${search.value.trim()}”.`;
  };

  search.addEventListener('input', render);
  const onStorage = (event: StorageEvent): void => {
    // null: the whole storage was cleared.
    if (event.key === null || event.key.startsWith(BOARD_LIST_KEY_PREFIX)) render();
  };
  options.storageEvents.addEventListener('storage', onStorage);
  render();
  search.focus();

  return {
    close() {
      options.storageEvents.removeEventListener('storage', onStorage);
      root.replaceChildren();
    },
  };
}
