import type { Connection, ConnectionStatus } from '../sync/connection.ts';
import type { PendingChanges } from '../sync/offline-pending.ts';

const LABELS: Record<ConnectionStatus, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
};

export interface StatusIndicator {
  readonly element: HTMLElement;
  close(): void;
}

export interface StatusSources {
  /** Changes not on the server yet: adds "unsynced changes" and `data-unsynced`. */
  pending?: Pick<PendingChanges, 'unsynced' | 'onChange'>;
  /**
   * Resolves true when this browser had no copy of the board; while the server is not reachable
   * the indicator then says so plainly (`data-first-visit`), since the board may look empty.
   */
  firstVisit?: Promise<boolean>;
}

const FIRST_VISIT_OFFLINE = 'This board was never opened on this device and the server cannot be reached, so it may look empty. You can draw: your changes are kept here and sent when the connection is back.';

/**
 * The connection status pill; `data-status` carries the machine-readable state, `data-refused`
 * the reason the server refused the board for good.
 */
export function createStatusIndicator(
  parent: HTMLElement,
  connection: Pick<Connection, 'status' | 'onStatus'> & Partial<Pick<Connection, 'refusal' | 'onRefused'>>,
  sources: StatusSources = {},
): StatusIndicator {
  const element = document.createElement('div');
  element.className = 'status';
  element.setAttribute('role', 'status');
  element.setAttribute('aria-live', 'polite');
  const dot = document.createElement('span');
  dot.className = 'status-dot';
  dot.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'status-label';
  const notice = document.createElement('span');
  notice.className = 'status-notice';
  element.append(dot, label, notice);
  let firstVisit = false;
  // Once connected, the board has been fetched (and kept): a later outage is no first visit.
  let everConnected = false;

  const show = (status: ConnectionStatus): void => {
    element.dataset.status = status;
    const refusal = connection.refusal ?? null;
    const unsynced = sources.pending?.unsynced ?? false;
    element.dataset.unsynced = String(unsynced);
    if (refusal !== null) element.dataset.refused = refusal.name;
    else delete element.dataset.refused;
    const base = refusal !== null ? `Refused: ${refusal.name}` : LABELS[status];
    label.textContent = unsynced ? `${base} · unsynced changes` : base;
    if (status === 'connected') everConnected = true;
    const showNotice = firstVisit && !everConnected && refusal === null && status === 'offline';
    element.dataset.firstVisit = String(showNotice);
    notice.textContent = showNotice ? FIRST_VISIT_OFFLINE : '';
    element.title =
      refusal !== null
        ? `The server refused this board (${refusal.name}${refusal.reason ? `: ${refusal.reason}` : ''}); it will not retry. Changes stay in this browser.`
        : status === 'offline'
          ? 'Not connected: changes are kept in this browser and sent when the connection is back'
          : unsynced
            ? 'Some changes are not on the server yet'
            : LABELS[status];
  };
  const refresh = (): void => show(connection.status);
  refresh();
  const offs = [connection.onStatus(show), sources.pending?.onChange(refresh), connection.onRefused?.(refresh)];
  let closed = false;
  void sources.firstVisit?.then((first) => {
    if (closed) return;
    firstVisit = first;
    refresh();
  });
  parent.append(element);
  return {
    element,
    close() {
      closed = true;
      for (const off of offs) off?.();
      element.remove();
    },
  };
}
