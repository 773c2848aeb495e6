import type * as Y from 'yjs';

/**
 * Where the time goes while a board opens, as User Timing marks (`performance.mark`), so the
 * browser's own tools and `npm run bench:client` can read them: which stage of opening a big
 * board dominates is then a measurement, not a guess. Marks are cheap and only the first opening
 * is marked; nothing here changes what the page does.
 *
 * For the socket's first answer applied (the provider's first transaction), four marks:
 *   easel:server:start     the transaction began (the update is decoded and integrated next)
 *   easel:server:decoded   Yjs is about to call observers (decode and integration done)
 *   easel:server:gated     observers ran: the board's schema gate and cache are up to date
 *   easel:server:stored    the update's listeners ran (the offline copy, other tabs, the provider)
 * (What the page started from is applied before any of this exists: initial-state.ts marks it.)
 * and also easel:app-ready (every part built), easel:socket-open, easel:first-draw (the shapes
 * layer drawn with shapes on it). The composition root marks easel:app itself, first thing (the
 * scripts are loaded and run), before anything here exists.
 */
export const OPEN_MARKS = {
  app: 'easel:app',
  /** The board is created: its schema gate has read every shape the page started with. */
  boardReady: 'easel:board-ready',
  appReady: 'easel:app-ready',
  socketOpen: 'easel:socket-open',
  firstDraw: 'easel:first-draw',
} as const;

export type OpenSource = 'server';
export type OpenStage = 'start' | 'decoded' | 'gated' | 'stored';

export function openMark(source: OpenSource, stage: OpenStage): string {
  return `easel:${source}:${stage}`;
}

export interface OpenTimelineOptions {
  doc: Y.Doc;
  /** The sync provider: the origin of the transactions that apply the server's messages. */
  provider: { on(event: 'status', listener: (event: { status: string }) => void): void; off(event: 'status', listener: (event: { status: string }) => void): void };
  /** The shapes layer: its first draw with shapes on it is the first paint of the board. */
  shapesLayer: { on(event: string, listener: () => void): void; off(event: string, listener?: () => void): void; hasChildren(): boolean };
  performance: Pick<Performance, 'mark'>;
}

export interface OpenTimeline {
  /** Marks that every part of the page is built. */
  ready(): void;
  close(): void;
}

export function createOpenTimeline(options: OpenTimelineOptions): OpenTimeline {
  const { doc, provider, shapesLayer, performance } = options;
  const done = new Set<string>();
  const mark = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    performance.mark(name);
  };

  // True while the socket's first answer is applied, until its listeners have all run; then the
  // doc is no longer listened to (no check on every later transaction).
  let following = false;
  const onBefore = (transaction: Y.Transaction): void => {
    if (transaction.origin !== provider) return;
    following = true;
    mark(openMark('server', 'start'));
  };
  const at = (stage: OpenStage) => (): void => {
    if (following) mark(openMark('server', stage));
  };
  const onDecoded = at('decoded');
  const onGated = at('gated');
  const offDoc = (): void => {
    doc.off('beforeTransaction', onBefore);
    doc.off('beforeObserverCalls', onDecoded);
    doc.off('afterTransaction', onGated);
    doc.off('afterAllTransactions', onStored);
  };
  const onStored = (): void => {
    if (!following) return;
    mark(openMark('server', 'stored'));
    offDoc();
  };
  doc.on('beforeTransaction', onBefore);
  doc.on('beforeObserverCalls', onDecoded);
  doc.on('afterTransaction', onGated);
  doc.on('afterAllTransactions', onStored);

  const onStatus = ({ status }: { status: string }): void => {
    if (status === 'connected') mark(OPEN_MARKS.socketOpen);
  };
  provider.on('status', onStatus);

  const onDraw = (): void => {
    if (!shapesLayer.hasChildren()) return;
    mark(OPEN_MARKS.firstDraw);
    shapesLayer.off('draw', onDraw);
  };
  shapesLayer.on('draw', onDraw);

  return {
    ready: () => mark(OPEN_MARKS.appReady),
    close() {
      offDoc();
      provider.off('status', onStatus);
      shapesLayer.off('draw', onDraw);
    },
  };
}
