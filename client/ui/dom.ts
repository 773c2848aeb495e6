/** Small DOM builders shared by the toolbar and the panels. */

/** A container with an ARIA role and label, e.g. a panel of related controls. */
export function createGroup(className: string, label: string, role = 'group'): HTMLDivElement {
  const element = document.createElement('div');
  element.className = className;
  element.setAttribute('role', role);
  element.setAttribute('aria-label', label);
  return element;
}

/** A plain button (never a form submit) that runs `run` on click; the tooltip defaults to the label. */
export function createButton(className: string, label: string, run: () => void, title = label): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.setAttribute('aria-label', label);
  button.title = title;
  button.addEventListener('click', run);
  return button;
}

/**
 * The header of a modal dialog: its title and a × button (marked `data-action=closeAction`) that
 * closes it. The listener lives as long as the dialog's elements.
 */
export function createDialogHeader(dialog: HTMLDialogElement, title: string, closeAction: string): { header: HTMLElement; title: HTMLHeadingElement } {
  const header = document.createElement('header');
  const heading = document.createElement('h2');
  heading.textContent = title;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'chip-button';
  close.dataset.action = closeAction;
  close.setAttribute('aria-label', 'Close');
  close.textContent = '×';
  close.addEventListener('click', () => dialog.close());
  header.append(heading, close);
  return { header, title: heading };
}

/** Appends `element` to `parent`; its `close()` drops the listeners (`offs`) and removes it. */
export function mount(parent: HTMLElement, element: HTMLElement, offs: ReadonlyArray<() => void>): { element: HTMLElement; close(): void } {
  parent.append(element);
  return {
    element,
    close() {
      for (const off of offs) off();
      element.remove();
    },
  };
}
