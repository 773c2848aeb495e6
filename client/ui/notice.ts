export interface Notice {
  show(message: string, kind: 'error' | 'info'): void;
  close(): void;
}

/** How long a notice stays, in milliseconds (errors longer: they need reading). */
const INFO_MS = 3000;
const ERROR_MS = 8000;

/** A short message at the bottom of the board, read out by screen readers; one at a time. */
export function createNotice(parent: HTMLElement): Notice {
  const element = document.createElement('div');
  element.className = 'notice panel';
  element.setAttribute('role', 'status');
  element.setAttribute('aria-live', 'polite');
  element.hidden = true;
  parent.append(element);
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    show(message, kind) {
      element.textContent = message;
      element.dataset.kind = kind;
      element.hidden = false;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        element.hidden = true;
        timer = null;
      }, kind === 'error' ? ERROR_MS : INFO_MS);
    },
    close() {
      if (timer !== null) clearTimeout(timer);
      element.remove();
    },
  };
}
