import { MAX_TITLE_LENGTH } from '../../shared/doc.ts';
import type { BoardTitle } from '../model/board-title.ts';
import type { AccessMode } from '../sync/access-mode.ts';

/** What an untitled board shows in place of its title. */
export const UNTITLED_BOARD = 'Untitled board';

export interface BoardTitleField {
  readonly element: HTMLElement;
  /** Whether the rename field is open. */
  readonly editing: boolean;
  close(): void;
}

export interface BoardTitleFieldOptions {
  parent: HTMLElement;
  title: BoardTitle;
  access: Pick<AccessMode, 'readOnly' | 'onChange'>;
  /** Where the "all boards" link leads (the home page). */
  homeHref: string;
}

/**
 * The board's title in the top bar, with a link to the home page. A click (or Enter on the
 * focused title) opens a field in its place: Enter or leaving the field renames, Escape leaves
 * the title as it was. A view-only page shows the title but never opens the field. What others
 * rename shows at once, except while the field is open, where the local user's typing wins until
 * they finish.
 */
export function createBoardTitleField(options: BoardTitleFieldOptions): BoardTitleField {
  const { title, access } = options;
  const element = document.createElement('div');
  element.className = 'board-title panel';

  const home = document.createElement('a');
  home.className = 'board-title-home chip-button';
  home.href = options.homeHref;
  home.title = 'All boards';
  home.setAttribute('aria-label', 'All boards');
  home.textContent = '☰';

  const label = document.createElement('button');
  label.type = 'button';
  label.className = 'board-title-label';
  label.dataset.action = 'rename-board';

  const input = document.createElement('input');
  input.type = 'text';
  input.className = 'board-title-input';
  input.maxLength = MAX_TITLE_LENGTH;
  input.spellcheck = false;
  input.placeholder = UNTITLED_BOARD;
  input.setAttribute('aria-label', 'Board title');
  input.hidden = true;
  element.append(home, label, input);

  const show = (): void => {
    const text = title.get();
    label.textContent = text === '' ? UNTITLED_BOARD : text;
    label.dataset.untitled = String(text === '');
    label.disabled = access.readOnly;
    label.title = access.readOnly ? 'Board title' : 'Rename the board';
    label.setAttribute('aria-label', access.readOnly ? `Board title: ${label.textContent}` : `Board title: ${label.textContent}. Click to rename`);
  };

  let editing = false;
  const finish = (save: boolean): void => {
    if (!editing) return;
    editing = false;
    // The page may have turned view only while the field was open: then nothing is written.
    if (save && !access.readOnly) title.rename(input.value);
    input.hidden = true;
    label.hidden = false;
    show();
  };
  const open = (): void => {
    if (editing || access.readOnly) return;
    editing = true;
    input.value = title.get();
    label.hidden = true;
    input.hidden = false;
    input.focus();
    input.select();
  };

  const onKey = (event: KeyboardEvent): void => {
    // Keys typed into the title are not board shortcuts.
    event.stopPropagation();
    if (event.key === 'Enter') finish(true);
    else if (event.key === 'Escape') finish(false);
  };
  const onBlur = (): void => finish(true);
  label.addEventListener('click', open);
  input.addEventListener('keydown', onKey);
  input.addEventListener('blur', onBlur);

  show();
  const offTitle = title.onChange(() => {
    if (!editing) show();
  });
  const offAccess = access.onChange(() => {
    if (access.readOnly) finish(false);
    show();
  });
  options.parent.append(element);

  return {
    element,
    get editing() {
      return editing;
    },
    close() {
      offTitle();
      offAccess();
      editing = false;
      element.remove();
    },
  };
}
