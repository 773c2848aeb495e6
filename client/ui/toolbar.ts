import type { Selection } from '../model/selection.ts';
import { deleteSelection } from '../tools/delete-selection.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import type { Board } from '../model/board.ts';
import { createButton, createGroup, mount } from './dom.ts';
import { DELETE_ICON, iconSvg, TOOL_CATALOG } from './tool-catalog.ts';

export interface ToolbarOptions {
  parent: HTMLElement;
  toolbox: Toolbox;
  board: Board;
  selection: Selection;
}

export interface Toolbar {
  readonly element: HTMLElement;
  close(): void;
}

/** The tool buttons, the active one highlighted, and a delete button that is live while something is selected. */
export function createToolbar(options: ToolbarOptions): Toolbar {
  const { parent, toolbox, board, selection } = options;
  const element = createGroup('toolbar', 'Tools', 'toolbar');

  // A mouse click must not leave focus on a button: the next shortcut key would then paint a focus
  // ring on a tool that is no longer active. Keyboard users still reach the buttons with Tab.
  element.addEventListener('mousedown', (event) => {
    if (event.target instanceof Element && event.target.closest('button')) event.preventDefault();
  });

  const buttons = new Map<string, HTMLButtonElement>();
  for (const tool of TOOL_CATALOG) {
    const key = tool.key.toUpperCase();
    const button = createButton('tool-button', tool.label, () => toolbox.setTool(tool.id), `${tool.label} — ${key}`);
    button.dataset.tool = tool.id;
    button.setAttribute('aria-keyshortcuts', key);
    button.innerHTML = `${iconSvg(tool.icon)}<span class="tool-key" aria-hidden="true">${key}</span>`;
    buttons.set(tool.id, button);
    element.append(button);
  }

  const divider = document.createElement('div');
  divider.className = 'toolbar-divider';
  divider.setAttribute('role', 'separator');
  element.append(divider);

  const remove = createButton('tool-button', 'Delete selection', () => deleteSelection({ board, selection }), 'Delete — Del');
  remove.dataset.action = 'delete';
  remove.setAttribute('aria-keyshortcuts', 'Delete Backspace');
  remove.innerHTML = iconSvg(DELETE_ICON);
  element.append(remove);

  const showActive = (): void => {
    for (const [id, button] of buttons) {
      const active = id === toolbox.active;
      button.classList.toggle('is-active', active);
      button.setAttribute('aria-pressed', String(active));
    }
  };
  const showSelection = (): void => {
    remove.disabled = selection.size === 0;
  };
  showActive();
  showSelection();
  const offs = [toolbox.onChange(showActive), selection.onChange(showSelection)];
  return mount(parent, element, offs);
}
