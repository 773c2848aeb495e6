import type { Connection, ConnectionStatus } from '../sync/connection.ts';

const LABELS: Record<ConnectionStatus, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
};

export interface StatusIndicator {
  readonly element: HTMLElement;
  close(): void;
}

/** The connection status pill; `data-status` carries the machine-readable state. */
export function createStatusIndicator(parent: HTMLElement, connection: Pick<Connection, 'status' | 'onStatus'>): StatusIndicator {
  const element = document.createElement('div');
  element.className = 'status';
  element.setAttribute('role', 'status');
  element.setAttribute('aria-live', 'polite');
  const dot = document.createElement('span');
  dot.className = 'status-dot';
  dot.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'status-label';
  element.append(dot, label);

  const show = (status: ConnectionStatus): void => {
    element.dataset.status = status;
    label.textContent = LABELS[status];
    element.title = status === 'offline' ? 'Not connected: changes are kept on this page and sent when the connection is back' : LABELS[status];
  };
  show(connection.status);
  const off = connection.onStatus(show);
  parent.append(element);
  return {
    element,
    close() {
      off();
      element.remove();
    },
  };
}
