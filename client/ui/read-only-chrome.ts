import type { AccessMode } from '../sync/access-mode.ts';
import { VIEW_TOOLS } from '../tools/read-only-toolbox.ts';
import type { ToolId } from '../tools/toolbox.ts';

export interface ReadOnlyChromeOptions {
  access: Pick<AccessMode, 'readOnly' | 'onChange'>;
  /** Gets `data-read-only="true"` while read-only, for styling. */
  root: HTMLElement;
  /** The toolbar: its tool buttons other than VIEW_TOOLS and its delete button are disabled. */
  toolbar: HTMLElement;
  /** Controls that only edit (style panel, undo/redo): hidden and inert while read-only. */
  editOnly: readonly HTMLElement[];
  /** Single buttons that only edit (import): disabled while read-only. */
  editButtons: readonly HTMLButtonElement[];
}

export interface ReadOnlyChrome {
  close(): void;
}

/**
 * Makes the page look read-only: editing controls disabled or hidden. The controls are found by
 * the data attributes their parts set; the toolbox, command and board guards underneath make
 * a control missed here harmless, it would only do nothing.
 */
export function createReadOnlyChrome(options: ReadOnlyChromeOptions): ReadOnlyChrome {
  const { access, root, toolbar } = options;
  const apply = (): void => {
    if (!access.readOnly) return;
    root.dataset.readOnly = 'true';
    for (const button of toolbar.querySelectorAll<HTMLButtonElement>('button[data-tool]')) {
      if (VIEW_TOOLS.has(button.dataset.tool as ToolId)) continue;
      button.disabled = true;
      button.setAttribute('aria-disabled', 'true');
      button.title = `${button.getAttribute('aria-label') ?? 'This tool'} — not available: this board is view only`;
    }
    // The toolbar keeps it disabled while nothing is selected, and nothing can be selected now.
    for (const button of toolbar.querySelectorAll<HTMLButtonElement>('button[data-action="delete"]')) button.disabled = true;
    for (const button of options.editButtons) {
      button.disabled = true;
      button.setAttribute('aria-disabled', 'true');
    }
    for (const element of options.editOnly) {
      element.hidden = true;
      element.inert = true;
    }
  };
  apply();
  const off = access.onChange(apply);
  return {
    close() {
      off();
      delete root.dataset.readOnly;
    },
  };
}
