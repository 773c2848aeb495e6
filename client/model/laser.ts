import type { Point } from './plane.ts';
import { createEmitter } from './emitter.ts';

/** A point of the laser trail and when it was drawn (ms, the pointer event's clock). */
export interface LaserPoint extends Point {
  t: number;
}

/** How long a trail point stays visible after it is drawn. */
export const LASER_FADE_MS = 1000;

/**
 * The laser pointer's trail: session state, never written to the document. Points older than
 * LASER_FADE_MS drop off; renderers fade the rest by age. Presence can publish `points()`.
 */
export interface Laser {
  points(): readonly LaserPoint[];
  add(point: LaserPoint): void;
  /** Drops the points that faded out by `now`; returns true if any are left. */
  prune(now: number): boolean;
  onChange(listener: (points: readonly LaserPoint[]) => void): () => void;
  close(): void;
}

/** Enough for a second of fast movement at 120 Hz; older points are dropped first. */
const MAX_POINTS = 240;

export function createLaser(): Laser {
  let trail: LaserPoint[] = [];
  const changes = createEmitter<readonly LaserPoint[]>();
  return {
    points: () => trail,
    add(point) {
      trail = [...trail.slice(-(MAX_POINTS - 1)), point];
      changes.emit(trail);
    },
    prune(now) {
      const kept = trail.filter((point) => now - point.t < LASER_FADE_MS);
      if (kept.length !== trail.length) {
        trail = kept;
        changes.emit(trail);
      }
      return trail.length > 0;
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
