import type { AccessMode } from '../sync/access-mode.ts';

export interface AccessBadge {
  readonly element: HTMLElement;
  close(): void;
}

/** A "View only" pill next to the connection status, shown while the page may not edit. */
export function createAccessBadge(parent: HTMLElement, access: Pick<AccessMode, 'readOnly' | 'onChange'>): AccessBadge {
  const element = document.createElement('div');
  element.className = 'access-badge';
  element.dataset.access = 'view';
  element.setAttribute('role', 'status');
  element.textContent = 'View only';
  element.title = 'This link can view the board but not edit it';
  const show = (): void => {
    element.hidden = !access.readOnly;
  };
  show();
  const off = access.onChange(show);
  parent.append(element);
  return {
    element,
    close() {
      off();
      element.remove();
    },
  };
}
