import type { NewShape } from './board.ts';
import { createEmitter } from './emitter.ts';
import type { Bounds } from './plane.ts';
import type { GestureTransform, PresenceGesture } from '../../shared/presence.ts';

/** Shapes shown moved by a delta while a drag is in progress; the doc is written on drop. */
export interface Translation {
  readonly ids: ReadonlySet<string>;
  readonly dx: number;
  readonly dy: number;
}

/** A resize or rotation in progress: which shapes, and its parameters (what others are told). */
export interface DraftTransform {
  readonly ids: readonly string[];
  readonly transform: GestureTransform;
}

/** The parts of a draft that changed, so a listener redraws only what it owns. */
export interface DraftChange {
  shape: boolean;
  translation: boolean;
  erased: boolean;
  overrides: boolean;
  marquee: boolean;
}

const NO_CHANGE: DraftChange = { shape: false, translation: false, erased: false, overrides: false, marquee: false };

/**
 * What the local user is in the middle of doing, kept out of the document until it is committed:
 * the shape being drawn, the translation of a drag, the shapes a resize or rotation would give,
 * where the arrows bound to moving shapes follow them to, the shapes the eraser passed over and
 * the marquee. Remote changes never touch it, so a gesture carries on whatever arrives from the
 * network.
 */
export interface Draft {
  readonly shape: NewShape | null;
  readonly translation: Translation | null;
  /** Shapes the eraser has passed over, shown faded until the release deletes them. */
  readonly erased: ReadonlySet<string> | null;
  /**
   * Shapes shown as a resize or rotation in progress would leave them, and the arrows bound to
   * shapes being dragged, resized or rotated, where they follow them to (by id).
   */
  readonly overrides: ReadonlyMap<string, NewShape> | null;
  /** The resize or rotation behind `overrides`, when there is one. */
  readonly transform: DraftTransform | null;
  /** The selection rectangle being dragged, in board units. */
  readonly marquee: Bounds | null;
  setShape(shape: NewShape | null): void;
  setTranslation(translation: Translation | null): void;
  setErased(ids: ReadonlySet<string> | null): void;
  /** Sets the previewed shapes, and the resize or rotation that gives them, if one does. */
  setOverrides(shapes: ReadonlyMap<string, NewShape> | null, transform?: DraftTransform | null): void;
  setMarquee(bounds: Bounds | null): void;
  clear(): void;
  onChange(listener: (change: DraftChange) => void): () => void;
  close(): void;
}

export function createDraft(): Draft {
  let shape: NewShape | null = null;
  let translation: Translation | null = null;
  let erased: ReadonlySet<string> | null = null;
  let overrides: ReadonlyMap<string, NewShape> | null = null;
  let transform: DraftTransform | null = null;
  let marquee: Bounds | null = null;
  const changes = createEmitter<DraftChange>();
  return {
    get shape() {
      return shape;
    },
    get translation() {
      return translation;
    },
    get erased() {
      return erased;
    },
    get overrides() {
      return overrides;
    },
    get transform() {
      return transform;
    },
    get marquee() {
      return marquee;
    },
    setShape(next) {
      if (next === shape) return;
      shape = next;
      changes.emit({ ...NO_CHANGE, shape: true });
    },
    setTranslation(next) {
      if (next === translation) return;
      translation = next;
      changes.emit({ ...NO_CHANGE, translation: true });
    },
    setErased(next) {
      if (next === erased) return;
      erased = next;
      changes.emit({ ...NO_CHANGE, erased: true });
    },
    setOverrides(next, nextTransform = null) {
      if (next === overrides && nextTransform === transform) return;
      overrides = next;
      transform = nextTransform;
      changes.emit({ ...NO_CHANGE, overrides: true });
    },
    setMarquee(next) {
      if (next === marquee) return;
      marquee = next;
      changes.emit({ ...NO_CHANGE, marquee: true });
    },
    clear() {
      const change: DraftChange = {
        shape: shape !== null,
        translation: translation !== null,
        erased: erased !== null,
        overrides: overrides !== null,
        marquee: marquee !== null,
      };
      shape = null;
      translation = null;
      erased = null;
      overrides = null;
      transform = null;
      marquee = null;
      if (Object.values(change).some(Boolean)) changes.emit(change);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}

/**
 * The gesture the draft shows, as others are told of it (shared/presence.ts): the shape being
 * drawn, the drag, the resize or rotation, or the eraser's sweep. The marquee is the user's own
 * business; arrows pulled along are worked out by each receiver from the shapes that move.
 */
export function draftGesture(draft: Draft): PresenceGesture | null {
  if (draft.shape !== null) return { kind: 'draw', shape: { ...draft.shape, index: 'a0' } };
  if (draft.translation !== null) return { kind: 'move', ids: [...draft.translation.ids], dx: draft.translation.dx, dy: draft.translation.dy };
  if (draft.transform !== null) return { kind: 'transform', ids: [...draft.transform.ids], transform: draft.transform.transform };
  if (draft.erased !== null && draft.erased.size > 0) return { kind: 'erase', ids: [...draft.erased] };
  return null;
}
