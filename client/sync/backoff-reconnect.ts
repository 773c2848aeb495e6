import type { WebsocketProvider } from 'y-websocket';
import { closeCodeName, isFinalCloseCode } from '../../shared/protocol.ts';
import { createEmitter } from '../model/emitter.ts';
import type { Backoff } from './backoff.ts';

/** Why the server turned this client away for good (a close code 4400–4499). */
export interface Refusal {
  code: number;
  /** closeCodeName(code), e.g. "unauthorized". */
  name: string;
  /** The reason the server sent with the close, possibly empty. */
  reason: string;
}

export interface Reconnector {
  /** Set once the server refused the connection; no further attempt is made. */
  readonly refusal: Refusal | null;
  onRefused(listener: (refusal: Refusal) => void): () => void;
  close(): void;
}

export interface ReconnectorOptions {
  backoff: Backoff;
  /** The browser's window (online event); absent in Node. */
  events?: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Takes reconnecting over from y-websocket, whose own retry has no jitter and would retry a
 * refusal if its predicate ever disagreed with ours. After every closed socket the provider's
 * `shouldConnect` is cleared, which turns its scheduled retry into a no-op, and this schedules
 * `provider.connect()` after a jittered delay instead. A close code 4400–4499 schedules nothing.
 */
export function createReconnector(provider: WebsocketProvider, options: ReconnectorOptions): Reconnector {
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let refusal: Refusal | null = null;
  const refusals = createEmitter<Refusal>();

  const cancel = (): void => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  const attempt = (): void => {
    timer = null;
    if (refusal === null) provider.connect();
  };

  const onConnectionClose = (event: { code: number; reason: string } | null): void => {
    provider.shouldConnect = false;
    cancel();
    if (event !== null && isFinalCloseCode(event.code)) {
      refusal = { code: event.code, name: closeCodeName(event.code), reason: event.reason ?? '' };
      refusals.emit(refusal);
      return;
    }
    timer = setTimer(attempt, options.backoff.next());
  };
  const onSync = (synced: boolean): void => {
    if (synced) options.backoff.reset();
  };
  // The network just came back: waiting out a long backoff step would only delay the sync.
  const onOnline = (): void => {
    if (timer === null || refusal !== null) return;
    cancel();
    options.backoff.reset();
    attempt();
  };

  provider.on('connection-close', onConnectionClose);
  provider.on('sync', onSync);
  options.events?.addEventListener('online', onOnline);

  return {
    get refusal() {
      return refusal;
    },
    onRefused: (listener) => refusals.on(listener),
    close() {
      cancel();
      provider.off('connection-close', onConnectionClose);
      provider.off('sync', onSync);
      options.events?.removeEventListener('online', onOnline);
      refusals.clear();
    },
  };
}
