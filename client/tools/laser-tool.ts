import type { Tool, ToolContext } from './tool.ts';

/**
 * Laser pointer: idle → pointing → idle. Draws a trail that fades within a second; it lives in
 * the laser model only and is never written to the document.
 */
export function createLaserTool(ctx: ToolContext): Tool {
  let state: 'idle' | 'pointing' = 'idle';
  return {
    id: 'laser',
    get state() {
      return state;
    },
    pointerDown(event) {
      state = 'pointing';
      ctx.laser.add({ x: event.x, y: event.y, t: event.time });
    },
    pointerMove(event) {
      if (state === 'pointing') ctx.laser.add({ x: event.x, y: event.y, t: event.time });
    },
    pointerUp() {
      state = 'idle';
    },
    cancel() {
      state = 'idle';
    },
    keyDown() {
      return false;
    },
  };
}
