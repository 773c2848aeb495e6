import { createEmitter } from './emitter.ts';
import type { Bounds, Point } from './plane.ts';

/** A guide line to draw while snapped: an aligned edge or centre, or one of two equal gaps. */
export interface SnapGuide {
  kind: 'align' | 'gap';
  from: Point;
  to: Point;
}

/** What the tools snap with: the user's settings and guides, and the shapes near a region. */
export interface SnapContext {
  readonly objects: boolean;
  readonly grid: boolean;
  setGuides(guides: readonly SnapGuide[]): void;
  /** Ids of the shapes that may touch `region` (a superset; from the spatial index). */
  near(region: Bounds): Iterable<string>;
}

/** What changed: the user's settings, or the guides of the gesture in progress. */
export interface SnapChange {
  settings: boolean;
  guides: boolean;
}

/**
 * The user's snapping settings (to shapes: on by default; to the grid: off by default) and the
 * guides the gesture in progress is snapped to. Session state: never in the document, never sent.
 */
export interface SnapState {
  readonly objects: boolean;
  readonly grid: boolean;
  readonly guides: readonly SnapGuide[];
  setObjects(on: boolean): void;
  setGrid(on: boolean): void;
  setGuides(guides: readonly SnapGuide[]): void;
  onChange(listener: (change: SnapChange) => void): () => void;
  close(): void;
}

export function createSnapState(initial: { objects?: boolean; grid?: boolean } = {}): SnapState {
  let objects = initial.objects ?? true;
  let grid = initial.grid ?? false;
  let guides: readonly SnapGuide[] = [];
  const changes = createEmitter<SnapChange>();
  return {
    get objects() {
      return objects;
    },
    get grid() {
      return grid;
    },
    get guides() {
      return guides;
    },
    setObjects(on) {
      if (on === objects) return;
      objects = on;
      changes.emit({ settings: true, guides: false });
    },
    setGrid(on) {
      if (on === grid) return;
      grid = on;
      changes.emit({ settings: true, guides: false });
    },
    setGuides(next) {
      // Most pointer moves snap to nothing, as the one before: no redraw for those.
      if (next.length === 0 && guides.length === 0) return;
      guides = next;
      changes.emit({ settings: false, guides: true });
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}

/** The tools' view of snapping (client/model/snapping.ts): `state`'s settings and guides, and a region query. */
export function snapContext(state: SnapState, near: SnapContext['near']): SnapContext {
  return {
    get objects() {
      return state.objects;
    },
    get grid() {
      return state.grid;
    },
    setGuides: (guides) => state.setGuides(guides),
    near,
  };
}
