import type { Command } from './keymap.ts';
import { describeCombo } from './keymap.ts';
import { TOOL_CATALOG } from './tool-catalog.ts';
import { createDialogHeader } from './dom.ts';

export interface HelpDialogOptions {
  parent: HTMLElement;
  commands: () => readonly Command[];
  gestures: ReadonlyArray<{ label: string; keys: string }>;
  mac: boolean;
}

export interface HelpDialog {
  open(): void;
  readonly isOpen: boolean;
  close(): void;
}

/**
 * The keyboard help (?): every tool key, every command and the pointer gestures, built from the
 * same tables the shortcuts use, so it cannot drift from them.
 */
export function createHelpDialog(options: HelpDialogOptions): HelpDialog {
  const dialog = document.createElement('dialog');
  dialog.className = 'help-dialog';
  dialog.setAttribute('aria-label', 'Keyboard shortcuts');
  options.parent.append(dialog);

  const row = (label: string, keys: string): HTMLTableRowElement => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = label;
    const key = document.createElement('td');
    key.className = 'help-keys';
    key.textContent = keys;
    tr.append(name, key);
    return tr;
  };
  const section = (title: string, rows: HTMLTableRowElement[]): HTMLElement => {
    const wrap = document.createElement('section');
    const h = document.createElement('h3');
    h.textContent = title;
    const table = document.createElement('table');
    table.append(...rows);
    wrap.append(h, table);
    return wrap;
  };
  const render = (): void => {
    dialog.replaceChildren();
    const { header } = createDialogHeader(dialog, 'Keyboard shortcuts', 'close-help');
    const body = document.createElement('div');
    body.className = 'help-body';
    body.append(
      section('Tools', TOOL_CATALOG.map((tool) => row(tool.label, tool.key.toUpperCase()))),
      // A command with no key (centring, for one) is still listed: its button is where to find it.
      section('Commands', options.commands().map((command) => row(command.label, command.keys.length > 0 ? command.keys.map((k) => describeCombo(k, options.mac)).join(', ') : 'Style panel'))),
      section('Gestures', options.gestures.map((g) => row(g.label, g.keys))),
    );
    dialog.append(header, body);
  };
  const onClick = (event: MouseEvent): void => {
    // A click on the backdrop (outside the dialog's box) closes it.
    if (event.target === dialog) dialog.close();
  };
  dialog.addEventListener('click', onClick);
  return {
    open() {
      if (dialog.open) {
        dialog.close();
        return;
      }
      render();
      dialog.showModal();
    },
    get isOpen() {
      return dialog.open;
    },
    close() {
      dialog.removeEventListener('click', onClick);
      dialog.remove();
    },
  };
}
