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
