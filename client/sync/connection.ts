import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { TOKEN_PARAM, closeCodeName, isFinalCloseCode } from '../../shared/protocol.ts';
import { createEmitter } from '../model/emitter.ts';
import { DEFAULT_BACKOFF, createBackoff } from './backoff.ts';
import { createReconnector, type Refusal } from './backoff-reconnect.ts';
import { sendOwnAwarenessOnly } from './own-awareness.ts';

/** What the status indicator shows: exactly one of these at any time. */
export type ConnectionStatus = 'connected' | 'connecting' | 'offline';

export interface ConnectionOptions {
  doc: Y.Doc;
  room: string;
  /** Base URL of the sync socket, e.g. wss://host/sync; the room is appended by the provider. */
  url: string;
  /** Access token for servers that require one (sent as the sync URL's token parameter). */
  token?: string | null;
  /** For tests in Node, where there is no global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  /** False: the socket opens on connect(), once the page has the board some other way (initial-state.ts). */
  connect?: boolean;
}

/**
 * The link between the local doc and the sync server. Offline storage and presence attach here
 * later; the rest of the client only sees the doc and this status.
 */
export interface Connection {
  readonly status: ConnectionStatus;
  /** True once the first full exchange with the server finished (the board is up to date). */
  readonly synced: boolean;
  readonly provider: WebsocketProvider;
  /** Set when the server refused this board for good (close code 4400–4499); no retries follow. */
  readonly refusal: Refusal | null;
  onRefused(listener: (refusal: Refusal) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  onSynced(listener: (synced: boolean) => void): () => void;
  /** Opens the socket if it was created with `connect: false` (a no-op once open or retrying). */
  connect(): void;
  close(): void;
}

export function createConnection(options: ConnectionOptions): Connection {
  let status: ConnectionStatus = 'connecting';
  let synced = false;
  // Set when a socket closes or fails to open, cleared when one opens. While it is set the provider
  // keeps retrying and emits "connecting" on every backoff step; showing that would flicker, so the
  // board reads "offline" until a connection is really back.
  let lostContact = false;
  const statusChanges = createEmitter<ConnectionStatus>();
  const syncChanges = createEmitter<boolean>();

  const provider = new WebsocketProvider(options.url, options.room, options.doc, {
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    params: options.token ? { [TOKEN_PARAM]: options.token } : {},
    // Tabs sync through client/sync/broadcast.ts, which also works while the socket is down and
    // marks what it applies with OFFLINE_ORIGIN.
    disableBc: true,
    connect: options.connect ?? true,
    shouldReconnect: (event) => !isFinalCloseCode(event.code),
  });
  const restoreAwareness = sendOwnAwarenessOnly(provider);
  // Retries with jittered backoff, and never after a refusal.
  const reconnector = createReconnector(provider, {
    backoff: createBackoff({ ...DEFAULT_BACKOFF, random: Math.random }),
    events: typeof window === 'undefined' ? undefined : window,
  });

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    statusChanges.emit(next);
  };

  const onStatus = ({ status: providerStatus }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    if (providerStatus === 'connected') {
      lostContact = false;
      setStatus('connected');
    } else if (providerStatus === 'disconnected') {
      lostContact = true;
      setStatus('offline');
    } else {
      setStatus(lostContact ? 'offline' : 'connecting');
    }
  };
  // Fires for a socket that never opened too, which the "status" event does not report.
  const onConnectionClose = (): void => {
    lostContact = true;
    setStatus('offline');
  };
  const onSync = (state: boolean): void => {
    synced = state;
    syncChanges.emit(state);
  };
  const onClosed = (event: { code: number; reason: string }): void => {
    // The server refused this board for good (bad room name, no access): retrying cannot help.
    if (isFinalCloseCode(event.code)) console.error(`easel: server refused room ${options.room}: ${closeCodeName(event.code)} ${event.reason}`);
    setStatus('offline');
  };
  const onBrowserOffline = (): void => setStatus('offline');

  provider.on('status', onStatus);
  provider.on('sync', onSync);
  provider.on('closed', onClosed);
  provider.on('connection-close', onConnectionClose);
  // The socket can take a long time to notice a dead network; the browser knows at once.
  globalThis.addEventListener?.('offline', onBrowserOffline);
  if (provider.wsconnected) onStatus({ status: 'connected' });

  return {
    get status() {
      return status;
    },
    get synced() {
      return synced;
    },
    provider,
    get refusal() {
      return reconnector.refusal;
    },
    onRefused: (listener) => reconnector.onRefused(listener),
    onStatus: (listener) => statusChanges.on(listener),
    onSynced: (listener) => syncChanges.on(listener),
    connect() {
      if (!provider.shouldConnect) provider.connect();
    },
    close() {
      globalThis.removeEventListener?.('offline', onBrowserOffline);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      provider.off('connection-close', onConnectionClose);
      reconnector.close();
      restoreAwareness();
      provider.destroy();
      statusChanges.clear();
      syncChanges.clear();
    },
  };
}

/** The sync socket URL for a page served from `location` (ws for http, wss for https). */
export function syncUrl(location: Pick<Location, 'protocol' | 'host'>, path: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}
