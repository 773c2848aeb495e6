import type { SnapState } from '../model/snap-state.ts';
import { createButton, createGroup, mount } from './dom.ts';

export interface SnapTogglesOptions {
  parent: HTMLElement;
  snap: SnapState;
}

/**
 * Two toggle buttons: snapping to shapes (on by default; Alt+S) and to the grid (off by default;
 * Ctrl+'), pressed while on. Alt held during a drag turns both off for that drag.
 */
export function createSnapToggles(options: SnapTogglesOptions): { readonly element: HTMLElement; close(): void } {
  const { snap } = options;
  const element = createGroup('snap-toggles panel', 'Snapping');
  const toggle = (action: string, label: string, text: string, flip: () => void): HTMLButtonElement => {
    const b = createButton('chip-button', label, flip);
    b.dataset.action = action;
    b.textContent = text;
    element.append(b);
    return b;
  };
  const objects = toggle('toggle-snap', 'Snap to shapes — Alt+S', 'Snap', () => snap.setObjects(!snap.objects));
  const grid = toggle('toggle-grid', "Snap to grid — Ctrl+'", 'Grid', () => snap.setGrid(!snap.grid));
  const show = (): void => {
    objects.setAttribute('aria-pressed', String(snap.objects));
    grid.setAttribute('aria-pressed', String(snap.grid));
  };
  show();
  const off = snap.onChange((change) => change.settings && show());
  // Clicking a control must not leave focus on it (the next Space would press it).
  element.addEventListener('mousedown', (event) => event.preventDefault());
  return mount(options.parent, element, [off]);
}
