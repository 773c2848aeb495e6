import type { Board } from '../model/board.ts';
import type { Camera } from '../model/camera.ts';
import { findMatches, type FindMatch } from '../model/find-matches.ts';
import { shapeBounds, type Bounds } from '../model/geometry.ts';
import type { Selection } from '../model/selection.ts';
import { createGroup, mount } from './dom.ts';
import { matchesCombo } from './keymap.ts';

export interface FindPanelOptions {
  parent: HTMLElement;
  board: Board;
  camera: Camera;
  selection: Selection;
  /** Size of the board on screen, for fitting a match into it. */
  screen(): { width: number; height: number };
}

export interface FindPanel {
  readonly element: HTMLElement;
  readonly isOpen: boolean;
  /** Shows the panel (or, open already, selects its query) with the typing in its field. */
  open(): void;
  /** Hides it; the query stays for the next time. */
  hide(): void;
  close(): void;
}

/**
 * Typing waits this long before a search: on a 50,000-shape board one search is a few tens of
 * milliseconds, too long to run on every key of a fast typist but short enough to feel immediate.
 */
const SEARCH_DELAY_MS = 120;
/** Matches listed at most; the count says how many there are, Enter still reaches them all. */
const LISTED_MATCHES = 50;
/**
 * The least board area a jump shows around a match: a small text or a dot-sized shape is seen
 * with what is around it, instead of fitting it at the camera's largest zoom.
 */
const MIN_VIEW = 400;
/**
 * The least board height left free below the panel for a jump to fit the match into; on a
 * shorter screen the match is fitted to the whole view, under the panel or not.
 */
const MIN_FREE_HEIGHT = 240;

/**
 * Ctrl+F: a field that searches the board's texts, notes, labels and frame names as one types,
 * the matches' count and excerpts below it. Enter jumps to the next match (Shift+Enter the
 * previous), a click to that one: the view fits it below the panel and it becomes the selection.
 * Only reads the board and moves the local camera, so view-only pages find too. Esc hides it.
 */
export function createFindPanel(options: FindPanelOptions): FindPanel {
  const { board, camera, selection } = options;
  const element = createGroup('find-panel panel', 'Find on the board', 'search');
  element.hidden = true;
  const input = document.createElement('input');
  input.type = 'search';
  input.className = 'find-input';
  input.placeholder = 'Find text, notes, labels, frames';
  input.setAttribute('aria-label', 'Find on the board');
  input.spellcheck = false;
  const count = document.createElement('p');
  count.className = 'find-count';
  count.setAttribute('aria-live', 'polite');
  const list = document.createElement('ol');
  list.className = 'find-list';
  list.setAttribute('aria-label', 'Matches');
  element.append(input, count, list);
  // A click on a match must leave the typing in the field, so Enter goes on from there.
  list.addEventListener('mousedown', (event) => event.preventDefault());

  let matches: FindMatch[] = [];
  /** Index in `matches` of the match last jumped to; -1 before the first jump. */
  let current = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showCount = (): void => {
    if (input.value.trim() === '') count.textContent = '';
    else if (matches.length === 0) count.textContent = 'No matches';
    else if (current < 0) count.textContent = matches.length === 1 ? '1 match' : `${matches.length} matches`;
    else count.textContent = `${current + 1} of ${matches.length}`;
  };

  const entry = (match: FindMatch, index: number): HTMLLIElement => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'find-match';
    button.dataset.shapeId = match.id;
    button.textContent = match.excerpt;
    button.addEventListener('click', () => jumpTo(index));
    if (index === current) button.setAttribute('aria-current', 'true');
    item.append(button);
    return item;
  };

  const showList = (): void => {
    const items = matches.slice(0, LISTED_MATCHES).map(entry);
    if (matches.length > LISTED_MATCHES) {
      const more = document.createElement('li');
      more.className = 'find-more';
      more.textContent = `and ${matches.length - LISTED_MATCHES} more (Enter goes through them all)`;
      items.push(more);
    }
    list.replaceChildren(...items);
    list.hidden = items.length === 0;
    showCount();
  };

  const search = (): void => {
    clearTimeout(timer);
    timer = undefined;
    // The match last jumped to stays current when the board changes around it.
    const currentId = matches[current]?.id;
    matches = findMatches(board.ordered(), input.value);
    current = currentId === undefined ? -1 : matches.findIndex((match) => match.id === currentId);
    showList();
  };
  const searchSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(search, SEARCH_DELAY_MS);
  };

  // The panel lies over the top middle of the board, down to 40 % of its height with a long list:
  // a match fitted to the whole view would be half under it, so it goes in the board below it.
  // (The panel's offset parent is the page's .app, which the board fills from its top left.)
  const fitBelowPanel = (bounds: Bounds): void => {
    const screen = options.screen();
    const top = element.offsetTop + element.offsetHeight;
    const free = screen.height - top;
    if (free < MIN_FREE_HEIGHT) {
      camera.fit(bounds, screen);
      return;
    }
    camera.fit(bounds, { width: screen.width, height: free });
    camera.panBy(0, top);
  };

  const jumpTo = (index: number): void => {
    const match = matches[index];
    const shape = match === undefined ? undefined : board.get(match.id);
    if (shape === undefined) return;
    current = index;
    fitBelowPanel(atLeast(shapeBounds(shape), MIN_VIEW));
    selection.set([shape.id]);
    for (const button of list.querySelectorAll<HTMLButtonElement>('.find-match')) {
      const here = button.dataset.shapeId === shape.id;
      if (!here) {
        button.removeAttribute('aria-current');
        continue;
      }
      button.setAttribute('aria-current', 'true');
      button.scrollIntoView({ block: 'nearest' });
    }
    showCount();
  };
  const step = (by: 1 | -1): void => {
    // Enter typed before the search ran searches first: the jump is to what the field says.
    if (timer !== undefined) {
      search();
      current = -1;
    }
    if (matches.length === 0) return;
    const from = current < 0 ? (by === 1 ? -1 : 0) : current;
    jumpTo((from + by + matches.length) % matches.length);
  };

  const hide = (): void => {
    clearTimeout(timer);
    timer = undefined;
    element.hidden = true;
    input.blur();
  };

  input.addEventListener('input', () => {
    current = -1;
    searchSoon();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') step(event.shiftKey ? -1 : 1);
    else if (event.key === 'Escape') hide();
    // Ctrl+F again in the field is the board's find, not the browser's.
    else if (matchesCombo(event, 'Mod+F')) input.select();
    else return;
    event.preventDefault();
  });

  const mounted = mount(options.parent, element, [
    // Someone else's edit can add or remove a match while the list is shown.
    board.onChange(() => {
      if (!element.hidden && input.value.trim() !== '') searchSoon();
    }),
    () => clearTimeout(timer),
  ]);
  return {
    element,
    get isOpen() {
      return !element.hidden;
    },
    open() {
      if (element.hidden) {
        element.hidden = false;
        search();
      }
      input.focus();
      input.select();
    },
    hide,
    close: mounted.close,
  };
}

/** `bounds` grown about its centre to at least `size` × `size`. */
function atLeast(bounds: Bounds, size: number): Bounds {
  const width = Math.max(bounds.width, size);
  const height = Math.max(bounds.height, size);
  return { x: bounds.x + bounds.width / 2 - width / 2, y: bounds.y + bounds.height / 2 - height / 2, width, height };
}
