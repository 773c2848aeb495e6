import type { BoardPointerEvent } from './tool.ts';

/**
 * Pressure for one stroke. A pen reports its own; a mouse or finger does not, so pressure is made
 * up from speed (fast strokes thin out, like ink) and smoothed so the width does not jitter.
 */
export interface PressureSource {
  next(event: BoardPointerEvent): number;
}

/** Screen pixels per millisecond at which a simulated stroke reaches its thinnest. */
const FAST_SPEED = 2.5;
const MIN_SIMULATED = 0.25;
const MAX_SIMULATED = 0.75;
/** Share of the new target taken per point: lower is smoother. */
const SMOOTHING = 0.35;

/** A pressure source for one stroke; make a new one per stroke. */
export function createPressureSource(): PressureSource {
  let last: BoardPointerEvent | null = null;
  let pressure = 0.5;
  return {
    next(event) {
      const previous = last;
      last = event;
      // Some tablets report 0 on the first contact; treat that as "unknown" rather than "none".
      if (event.pointerType === 'pen' && event.pressure > 0) return clamp(event.pressure, 0, 1);
      if (previous === null) return pressure;
      const dt = Math.max(1, event.time - previous.time);
      const distance = Math.hypot(event.x - previous.x, event.y - previous.y) * event.scale;
      const speed = distance / dt;
      const target = MAX_SIMULATED - (MAX_SIMULATED - MIN_SIMULATED) * Math.min(1, speed / FAST_SPEED);
      pressure += (target - pressure) * SMOOTHING;
      return pressure;
    },
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
