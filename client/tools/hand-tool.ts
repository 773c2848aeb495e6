import type { Tool, ToolContext } from './tool.ts';
import type { Point } from '../model/plane.ts';

type HandState = { name: 'idle' } | { name: 'panning'; grip: Point };

/**
 * Hand: idle → panning → idle. The board point pressed stays under the pointer: each move pans
 * by how far that point drifted, in screen pixels. Panning is session state and writes nothing.
 */
export function createHandTool(ctx: ToolContext): Tool {
  let state: HandState = { name: 'idle' };
  return {
    id: 'hand',
    get state() {
      return state.name;
    },
    pointerDown(event) {
      state = { name: 'panning', grip: { x: event.x, y: event.y } };
    },
    pointerMove(event) {
      if (state.name !== 'panning') return;
      ctx.camera.panBy((event.x - state.grip.x) * event.scale, (event.y - state.grip.y) * event.scale);
    },
    pointerUp() {
      state = { name: 'idle' };
    },
    cancel() {
      state = { name: 'idle' };
    },
    keyDown() {
      return false;
    },
  };
}
