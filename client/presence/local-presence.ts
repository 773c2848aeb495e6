import type { Awareness } from 'y-protocols/awareness';
import { gesturePublishIntervalMs, PRESENCE_TIMING, writePresence, type LaserPoint, type Presence, type PresenceGesture, type PresenceTyping, type PresenceViewport } from '../../shared/presence.ts';
import type { Point } from '../model/plane.ts';
import type { Identity } from './identity.ts';

/** What local presence reads from the stage. */
export interface PresenceStage {
  readonly element: HTMLElement;
  toBoard(clientX: number, clientY: number): Point;
  viewport(): { x: number; y: number; scale: number };
  onViewportChange(listener: (viewport: { x: number; y: number; scale: number }) => void): () => void;
}

/** A laser trail to publish (the laser tool's model). */
export interface LaserSource {
  points(): readonly LaserPoint[];
  onChange(listener: (points: readonly LaserPoint[]) => void): () => void;
}

/** The local gesture in progress (the draft), published so the others watch it happen. */
export interface GestureSource {
  gesture(): PresenceGesture | null;
  onChange(listener: () => void): () => void;
}

/** Where the local user is typing (the text editing model), so the others see their caret. */
export interface TypingSource {
  typing(): PresenceTyping | null;
  onTypingChange(listener: (typing: PresenceTyping | null) => void): () => void;
}

export interface LocalPresenceOptions {
  awareness: Awareness;
  identity: Identity;
  stage: PresenceStage;
  selection: { ids(): ReadonlySet<string>; onChange(listener: (ids: ReadonlySet<string>) => void): () => void };
  laser?: LaserSource | undefined;
  gesture?: GestureSource | undefined;
  typing?: TypingSource | undefined;
  /** The page's window: activity, resizing and leaving. */
  window: Pick<Window, 'addEventListener'>;
  /** Defaults to PRESENCE_TIMING.idleAfterMs. */
  idleAfterMs?: number;
}

export interface LocalPresence {
  /** Publishes whatever changed now instead of at the next tick (tests, before leaving). */
  flush(): void;
  close(): void;
}

/**
 * Publishes the local user's presence: name and colour, pointer in board coordinates, selection,
 * laser trail, viewport, idleness, the gesture in progress and the caret in the text being typed
 * into. Changes are coalesced to at most one awareness update per
 * PRESENCE_TIMING.publishIntervalMs (about 30 a second), or per
 * gesturePublishIntervalMs (the display rate, less in a large room) while a gesture runs and when
 * it ends, so a stroke reaches the others as it is drawn. Leaving the page clears the state at once, so the others
 * drop this cursor without waiting for the socket to time out.
 */
export function createLocalPresence(options: LocalPresenceOptions): LocalPresence {
  const { awareness, identity, stage, selection, window: win } = options;
  let cursor: Presence['cursor'] = null;
  let idle = false;
  let lastActivity = Date.now();
  let lastPublish = 0;
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let left = false;
  /** Whether the last published state carried a gesture: its end is sent at the gesture's rate too. */
  let publishedGesture = false;
  const idleAfterMs = options.idleAfterMs ?? PRESENCE_TIMING.idleAfterMs;

  const viewport = (): PresenceViewport => ({ ...stage.viewport(), width: stage.element.clientWidth || 1, height: stage.element.clientHeight || 1 });

  const publish = (): void => {
    if (publishTimer !== null) clearTimeout(publishTimer);
    publishTimer = null;
    if (left) return;
    lastPublish = Date.now();
    const gesture = options.gesture?.gesture() ?? null;
    publishedGesture = gesture !== null;
    awareness.setLocalState(
      writePresence({
        user: identity.user,
        cursor,
        selection: [...selection.ids()],
        laser: [...(options.laser?.points() ?? [])],
        idle,
        viewport: viewport(),
        gesture,
        typing: options.typing?.typing() ?? undefined,
      }),
    );
  };
  const schedule = (): void => {
    if (left) return;
    const gestureRate = publishedGesture || (options.gesture?.gesture() ?? null) !== null;
    const interval = gestureRate ? gesturePublishIntervalMs(Math.max(0, awareness.getStates().size - 1)) : PRESENCE_TIMING.publishIntervalMs;
    const wait = Math.max(0, lastPublish + interval - Date.now());
    if (publishTimer !== null) {
      // A gesture that began while a cursor update waited goes at the faster rate.
      if (!gestureRate) return;
      clearTimeout(publishTimer);
    }
    publishTimer = setTimeout(publish, wait);
  };

  // Activity only stamps the time (cheap on every pointer move); the timer checks it when it fires.
  const checkIdle = (): void => {
    const quiet = Date.now() - lastActivity;
    if (quiet >= idleAfterMs) {
      idleTimer = null;
      idle = true;
      schedule();
    } else {
      idleTimer = setTimeout(checkIdle, idleAfterMs - quiet);
    }
  };
  const armIdle = (): void => {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = setTimeout(checkIdle, idleAfterMs);
  };
  const onActivity = (): void => {
    lastActivity = Date.now();
    if (idle) {
      idle = false;
      armIdle();
      schedule();
    }
  };

  const onPointerMove = (event: PointerEvent): void => {
    cursor = stage.toBoard(event.clientX, event.clientY);
    schedule();
  };
  const onPointerLeave = (): void => {
    cursor = null;
    schedule();
  };
  const leave = (): void => {
    if (left) return;
    left = true;
    awareness.setLocalState(null);
  };
  // A page restored from the back/forward cache comes back: publish again.
  const onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    left = false;
    publish();
  };

  const offs = [
    identity.onChange(schedule),
    selection.onChange(schedule),
    stage.onViewportChange(schedule),
    options.laser?.onChange(schedule),
    options.gesture?.onChange(schedule),
    options.typing?.onTypingChange(schedule),
  ];
  // Aborting removes every listener below at once.
  const listening = new AbortController();
  const { signal } = listening;
  stage.element.addEventListener('pointermove', onPointerMove, { signal });
  stage.element.addEventListener('pointerleave', onPointerLeave, { signal });
  for (const type of ['pointermove', 'pointerdown', 'keydown', 'wheel'] as const) win.addEventListener(type, onActivity, { passive: true, capture: true, signal });
  win.addEventListener('resize', schedule, { signal });
  win.addEventListener('pagehide', leave, { signal });
  win.addEventListener('beforeunload', leave, { signal });
  win.addEventListener('pageshow', onPageShow, { signal });
  armIdle();
  publish();

  return {
    flush: publish,
    close() {
      for (const off of offs) off?.();
      listening.abort();
      if (publishTimer !== null) clearTimeout(publishTimer);
      if (idleTimer !== null) clearTimeout(idleTimer);
      leave();
    },
  };
}
