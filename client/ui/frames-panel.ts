import type { FrameShape } from '../../shared/schema.ts';
import type { Board } from '../model/board.ts';
import type { Camera } from '../model/camera.ts';
import { framesOf } from '../model/frames.ts';
import { shapeBounds } from '../model/geometry.ts';
import { frameTitle } from '../shapes/frame/frame-geometry.ts';
import { createButton, createGroup, mount } from './dom.ts';

export interface FramesPanelOptions {
  parent: HTMLElement;
  board: Board;
  camera: Camera;
  /** Size of the board on screen, for fitting a frame into it. */
  screen(): { width: number; height: number };
  /** Exports one frame alone (client/ui/export-menu.ts). */
  exportFrame(frameId: string, format: 'png' | 'svg'): void;
}

export interface FramesPanel {
  readonly element: HTMLElement;
  readonly isOpen: boolean;
  toggle(): void;
  close(): void;
}

/**
 * The board's frames by name, in board order (bottom first), behind a "Frames" button. A click on
 * a frame's name fits it, title included, into the view; its PNG and SVG buttons export it alone.
 * While open the list follows the board as anyone adds, renames, reorders or deletes frames.
 */
export function createFramesPanel(options: FramesPanelOptions): FramesPanel {
  const { board, camera } = options;
  const element = createGroup('frames-panel panel', 'Frames');
  const list = document.createElement('ol');
  list.className = 'frames-list';
  list.setAttribute('aria-label', 'Frames on this board');
  list.hidden = true;
  const toggleButton = createButton('chip-button', 'Frames', () => toggle(), 'Frames: list and zoom to the frames on this board');
  toggleButton.dataset.action = 'frames';
  toggleButton.textContent = 'Frames';
  toggleButton.setAttribute('aria-expanded', 'false');
  element.append(list, toggleButton);
  // A click must not take focus from the board: tool keys keep working.
  element.addEventListener('mousedown', (event) => event.preventDefault());

  const zoomTo = (frame: FrameShape): void => camera.fit(shapeBounds(frame), options.screen());

  const entry = (frame: FrameShape): HTMLLIElement => {
    const item = document.createElement('li');
    item.className = 'frames-entry';
    item.dataset.frameId = frame.id;
    const name = createButton('frames-name', `Zoom to ${frameTitle(frame)}`, () => {
      const current = board.get(frame.id);
      if (current !== undefined) zoomTo(current as FrameShape);
    });
    name.dataset.action = 'zoom-to-frame';
    name.textContent = frameTitle(frame);
    const png = createButton('chip-button', `Export ${frameTitle(frame)} as PNG`, () => options.exportFrame(frame.id, 'png'));
    png.dataset.action = 'export-frame-png';
    png.textContent = 'PNG';
    const svg = createButton('chip-button', `Export ${frameTitle(frame)} as SVG`, () => options.exportFrame(frame.id, 'svg'));
    svg.dataset.action = 'export-frame-svg';
    svg.textContent = 'SVG';
    item.append(name, png, svg);
    return item;
  };

  // Rebuilt only when what it shows changed: most board changes are not to frames.
  let shownKey = '';
  const render = (): void => {
    if (list.hidden) return;
    const frames = framesOf(board);
    const key = JSON.stringify(frames.map((frame) => [frame.id, frame.name]));
    if (key === shownKey) return;
    shownKey = key;
    if (frames.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'frames-empty';
      empty.textContent = 'No frames yet: draw one with F';
      list.replaceChildren(empty);
      return;
    }
    list.replaceChildren(...frames.map(entry));
  };

  const toggle = (): void => {
    list.hidden = !list.hidden;
    toggleButton.setAttribute('aria-expanded', String(!list.hidden));
    toggleButton.classList.toggle('is-active', !list.hidden);
    shownKey = '';
    render();
  };

  const mounted = mount(options.parent, element, [board.onChange(render)]);
  return {
    element,
    get isOpen() {
      return !list.hidden;
    },
    toggle,
    close: mounted.close,
  };
}
