/**
 * Real sync clients for tests: the stock WebsocketProvider from npm y-websocket, running in Node
 * over the `ws` package, plus small helpers to await conditions on them.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the provider has finished its first sync. */
  synced: Promise<void>;
  destroy(): void;
}

/** A stock provider on `room` at `syncUrl` (ws://host:port/sync). */
export function connectClient(syncUrl: string, room: string, options: { doc?: Y.Doc; params?: Record<string, string> } = {}): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(syncUrl, room, doc, {
    // ws's WebSocket is API-compatible with the browser's for what the provider uses.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.params ?? {},
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * Resolves when `check()` is true, re-checking on every `doc` update (and awareness change, if
 * given); rejects with `message` after `timeoutMs` so a broken feature fails instead of hanging.
 */
export function waitFor(
  check: () => boolean,
  sources: { doc?: Y.Doc; awareness?: { on: (e: 'change', f: () => void) => void; off: (e: 'change', f: () => void) => void } },
  message: string,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      sources.doc?.off('update', probe);
      sources.awareness?.off('change', probe);
      if (error) reject(error);
      else resolve();
    };
    const probe = (): void => {
      if (check()) finish();
    };
    const timer = setTimeout(() => finish(new Error(`timed out: ${message}`)), timeoutMs);
    sources.doc?.on('update', probe);
    sources.awareness?.on('change', probe);
    probe();
  });
}

/** Resolves after polling `check` until true; for state with no event to listen to. */
export async function poll(check: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Writes `count` stroke-like updates into the client's shapes map, one LOCAL_ORIGIN transaction
 * each, as a pen would: keys `${prefix}${i}`, each an ink map whose points are `points(i)` (by
 * default two points, six numbers).
 */
export function burst(client: TestClient, prefix: string, count: number, points: (i: number) => number[] = (i) => [i, i + 1, 0.5, i + 2, i + 3, 0.5]): void {
  const shapes = client.doc.getMap<Y.Map<unknown>>('shapes');
  for (let i = 0; i < count; i++) {
    client.doc.transact(() => {
      const stroke = new Y.Map<unknown>();
      stroke.set('type', 'ink');
      stroke.set('points', points(i));
      shapes.set(`${prefix}${i}`, stroke);
    }, LOCAL_ORIGIN);
  }
}

/** A seeded PRNG (mulberry32), so random test data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
