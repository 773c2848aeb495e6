import type { History } from '../model/history.ts';
import { createButton, createGroup, mount } from './dom.ts';
import { iconSvg } from './tool-catalog.ts';

export interface HistoryControls {
  readonly element: HTMLElement;
  close(): void;
}

const UNDO_ICON = '<path d="M9 14L4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>';
const REDO_ICON = '<path d="M15 14l5-5-5-5"/><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13"/>';

/** Undo and redo buttons, live only while there is something to undo or redo. */
export function createHistoryControls(parent: HTMLElement, history: History): HistoryControls {
  const element = createGroup('history-controls panel', 'History');
  const make = (action: string, label: string, icon: string, run: () => void): HTMLButtonElement => {
    const b = createButton('chip-button', label, run);
    b.dataset.action = action;
    b.innerHTML = iconSvg(icon);
    element.append(b);
    return b;
  };
  const undo = make('undo', 'Undo — Ctrl+Z', UNDO_ICON, () => history.undo());
  const redo = make('redo', 'Redo — Ctrl+Shift+Z', REDO_ICON, () => history.redo());
  const show = (): void => {
    undo.disabled = !history.canUndo;
    redo.disabled = !history.canRedo;
  };
  show();
  const off = history.onChange(show);
  element.addEventListener('mousedown', (event) => event.preventDefault());
  return mount(parent, element, [off]);
}
