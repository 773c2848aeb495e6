import type { Camera, Viewport } from '../model/camera.ts';

/** Spacing of the dots at 100%, in board units. */
const GRID = 24;
/** Dots closer than this on screen are thinned out (every other one dropped) so the grid stays calm. */
const MIN_SPACING_PX = 12;

/**
 * The dot grid: the board element's CSS background, moved and scaled with the camera. A CSS
 * background costs no canvas redraw, so panning a big board does not pay for the grid.
 */
export function createGrid(element: HTMLElement, camera: Camera): { close(): void } {
  const apply = (viewport: Viewport): void => {
    let spacing = GRID * viewport.scale;
    while (spacing < MIN_SPACING_PX) spacing *= 2;
    element.style.backgroundSize = `${spacing}px ${spacing}px`;
    element.style.backgroundPosition = `${viewport.x}px ${viewport.y}px`;
  };
  apply(camera.viewport());
  const off = camera.onChange(apply);
  return {
    close() {
      off();
      element.style.backgroundSize = '';
      element.style.backgroundPosition = '';
    },
  };
}
