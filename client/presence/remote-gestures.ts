import { PRESENCE_TIMING, type PresenceGesture } from '../../shared/presence.ts';
import { holdsShapes, type Shape } from '../../shared/schema.ts';
import type { Board } from '../model/board.ts';
import type { NewShape } from '../model/shape.ts';
import { boundLinearIds, followedShapes } from '../model/bindings.ts';
import { createEmitter } from '../model/emitter.ts';
import { applyTransform } from '../model/transform.ts';
import type { Peers } from './peers.ts';

/** A shape another user is drawing, with who draws it. */
export interface RemoteDrawing {
  clientId: number;
  shape: NewShape;
}

/** What changed in the others' gestures, so a listener redraws only that. */
export interface RemoteGestureChange {
  /** Board shapes whose remote preview (override or erased look) changed. */
  ids: ReadonlySet<string>;
  /** Whether the shapes being drawn changed. */
  drawing: boolean;
}

/**
 * The others' gestures in progress, as board shapes: what their drags, resizes and rotations
 * show (with the arrows bound to those shapes following, worked out here as the sender's select
 * tool does), what their erasers passed over, and the shapes they are drawing. Computed from this
 * client's own copy of the shapes and the parameters each peer publishes (shared/presence.ts).
 *
 * A gesture that ends stays shown until its result reaches the document (a board change touching
 * its shapes) or PRESENCE_TIMING.gestureLingerMs passes: presence and document travel apart, and
 * without this a shape just drawn would blink out and back.
 */
export interface RemoteGestures {
  overrides(): ReadonlyMap<string, NewShape>;
  erased(): ReadonlySet<string>;
  drawing(): readonly RemoteDrawing[];
  onChange(listener: (change: RemoteGestureChange) => void): () => void;
  close(): void;
}

export interface RemoteGesturesOptions {
  peers: Peers;
  board: Pick<Board, 'get' | 'ordered' | 'onChange' | 'childrenOf'>;
  lingerMs?: number;
}

/** One peer's gesture, current or lingering, and the arrows bound to what it moves. */
interface Tracked {
  gesture: PresenceGesture;
  /** The ids the gesture names, as a key: bound arrows are looked up again only when it changes. */
  idsKey: string;
  bound: readonly string[];
  /**
   * The shapes as they were when the gesture began, taken as each is first shown. The gesture's
   * offset or transform is applied to these, not to the board: the peer's result can arrive
   * before its gesture ends, and applied to the moved shape the offset would count twice.
   */
  base: Map<string, Shape>;
  /** Set once the peer's gesture ended: when to stop showing it. */
  lingerTimer: ReturnType<typeof setTimeout> | null;
}

function gestureIds(gesture: PresenceGesture): readonly string[] {
  return gesture.kind === 'draw' ? [gesture.shape.id] : gesture.ids;
}

export function createRemoteGestures(options: RemoteGesturesOptions): RemoteGestures {
  const { peers, board } = options;
  const lingerMs = options.lingerMs ?? PRESENCE_TIMING.gestureLingerMs;
  const tracked = new Map<number, Tracked>();
  let overrides = new Map<string, NewShape>();
  let erased = new Set<string>();
  let drawing: RemoteDrawing[] = [];
  /** Board ids the gestures depend on (what they change and the arrows pulled along). */
  let watched = new Set<string>();
  const changes = createEmitter<RemoteGestureChange>();

  const movable = (id: string): Shape | undefined => {
    const shape = board.get(id);
    return shape !== undefined && !shape.locked ? shape : undefined;
  };

  /** Works out every shape the gestures show, and tells listeners what differs. */
  const recompute = (): void => {
    const nextOverrides = new Map<string, NewShape>();
    const nextErased = new Set<string>();
    const nextDrawing: RemoteDrawing[] = [];
    const nextWatched = new Set<string>();
    for (const [clientId, entry] of tracked) {
      const { gesture } = entry;
      if (gesture.kind === 'draw') {
        // A drawing whose shape is in the document already has been committed: show that instead.
        if (board.get(gesture.shape.id) === undefined) nextDrawing.push({ clientId, shape: gesture.shape });
        continue;
      }
      for (const id of gesture.ids) nextWatched.add(id);
      if (gesture.kind === 'erase') {
        for (const id of gesture.ids) if (board.get(id) !== undefined) nextErased.add(id);
        continue;
      }
      const changed = new Map<string, NewShape>();
      const started = (shape: Shape): Shape => {
        const base = entry.base.get(shape.id);
        if (base !== undefined) return base;
        entry.base.set(shape.id, shape);
        return shape;
      };
      for (const id of gesture.ids) {
        const shape = movable(id);
        if (shape === undefined) continue;
        const base = started(shape);
        changed.set(id, gesture.kind === 'move' ? { ...shape, x: base.x + gesture.dx, y: base.y + gesture.dy } : applyTransform(base, gesture.transform));
      }
      // A dragged frame carries its children, those drawn into it since the drag began included.
      if (gesture.kind === 'move') {
        for (const id of gesture.ids) {
          const frame = board.get(id);
          if (frame === undefined || !holdsShapes(frame)) continue;
          for (const childId of board.childrenOf(id)) {
            const child = board.get(childId);
            if (child === undefined || child.frameId !== id || changed.has(childId)) continue;
            nextWatched.add(childId);
            const base = started(child);
            changed.set(childId, { ...child, x: base.x + gesture.dx, y: base.y + gesture.dy });
          }
        }
      }
      for (const id of entry.bound) nextWatched.add(id);
      for (const [id, shape] of changed) nextOverrides.set(id, shape);
      for (const [id, shape] of followedShapes(board, changed, entry.bound)) if (!nextOverrides.has(id)) nextOverrides.set(id, shape);
    }
    const touched = new Set<string>();
    for (const id of new Set([...overrides.keys(), ...nextOverrides.keys()])) if (overrides.get(id) !== nextOverrides.get(id)) touched.add(id);
    for (const id of erased) if (!nextErased.has(id)) touched.add(id);
    for (const id of nextErased) if (!erased.has(id)) touched.add(id);
    const drawingChanged = drawing.length !== nextDrawing.length || drawing.some((d, i) => d.shape !== nextDrawing[i]!.shape || d.clientId !== nextDrawing[i]!.clientId);
    overrides = nextOverrides;
    erased = nextErased;
    drawing = nextDrawing;
    watched = nextWatched;
    if (touched.size > 0 || drawingChanged) changes.emit({ ids: touched, drawing: drawingChanged });
  };

  const stopLinger = (clientId: number): void => {
    const entry = tracked.get(clientId);
    if (entry?.lingerTimer) clearTimeout(entry.lingerTimer);
    tracked.delete(clientId);
  };

  const readPeers = (): void => {
    const present = new Set<number>();
    for (const peer of peers.list()) {
      const gesture = peer.presence.gesture;
      if (gesture === null) continue;
      present.add(peer.clientId);
      const previous = tracked.get(peer.clientId);
      if (previous?.lingerTimer) clearTimeout(previous.lingerTimer);
      const ids = gestureIds(gesture);
      const idsKey = gesture.kind === 'draw' ? '' : ids.join('\n');
      // The same gesture going on (not a new one after the last ended) keeps where it began.
      const continues = previous !== undefined && previous.lingerTimer === null && previous.idsKey === idsKey && previous.gesture.kind === gesture.kind;
      const bound =
        gesture.kind === 'move' || gesture.kind === 'transform'
          ? previous !== undefined && previous.idsKey === idsKey
            ? previous.bound
            : boundLinearIds(board, new Set(ids))
          : [];
      tracked.set(peer.clientId, { gesture, idsKey, bound, base: continues ? previous.base : new Map(), lingerTimer: null });
    }
    for (const [clientId, entry] of tracked) {
      if (present.has(clientId) || entry.lingerTimer !== null) continue;
      entry.lingerTimer = setTimeout(() => {
        tracked.delete(clientId);
        recompute();
      }, lingerMs);
    }
    recompute();
  };

  const offPeers = peers.onChange(readPeers);
  const offBoard = board.onChange(({ ids }) => {
    let relevant = false;
    for (const id of ids) {
      if (watched.has(id)) relevant = true;
    }
    // A lingering gesture ends as soon as its result arrives.
    for (const [clientId, entry] of tracked) {
      if (entry.lingerTimer === null) continue;
      if (gestureIds(entry.gesture).some((id) => ids.has(id))) {
        stopLinger(clientId);
        relevant = true;
      }
    }
    if (!relevant && drawing.some((d) => ids.has(d.shape.id))) relevant = true;
    if (relevant) recompute();
  });
  readPeers();

  return {
    overrides: () => overrides,
    erased: () => erased,
    drawing: () => drawing,
    onChange: (listener) => changes.on(listener),
    close() {
      offPeers();
      offBoard();
      for (const clientId of [...tracked.keys()]) stopLinger(clientId);
      changes.clear();
    },
  };
}
