import type { Camera } from '../model/camera.ts';
import { ZOOM_STEP } from '../model/camera.ts';
import { createButton, createGroup, mount } from './dom.ts';

export interface ZoomControlsOptions {
  parent: HTMLElement;
  camera: Camera;
  screen(): { width: number; height: number };
  /** Fits the whole board into view. */
  fit(): void;
}

export interface ZoomControls {
  readonly element: HTMLElement;
  close(): void;
}

/** Zoom out, the zoom level (click: back to 100%), zoom in and zoom to fit. */
export function createZoomControls(options: ZoomControlsOptions): ZoomControls {
  const { parent, camera } = options;
  const element = createGroup('zoom-controls panel', 'Zoom');
  const middle = () => {
    const { width, height } = options.screen();
    return { x: width / 2, y: height / 2 };
  };
  const button = (action: string, label: string, text: string, run: () => void): HTMLButtonElement => {
    const b = createButton('chip-button', label, run);
    b.dataset.action = action;
    b.textContent = text;
    element.append(b);
    return b;
  };
  button('zoom-out', 'Zoom out — Ctrl+-', '−', () => camera.zoomAt(middle(), 1 / ZOOM_STEP));
  const level = button('zoom-reset', 'Reset zoom — Ctrl+0', '100%', () => camera.zoomAt(middle(), 1 / camera.viewport().scale));
  button('zoom-in', 'Zoom in — Ctrl+=', '+', () => camera.zoomAt(middle(), ZOOM_STEP));
  button('zoom-fit', 'Zoom to fit — Shift+1', '⤢', () => options.fit());
  const show = (): void => {
    level.textContent = `${Math.round(camera.viewport().scale * 100)}%`;
  };
  show();
  const off = camera.onChange(show);
  // Clicking a control must not leave focus on it (the next Space would press it).
  element.addEventListener('mousedown', (event) => event.preventDefault());
  return mount(parent, element, [off]);
}
