import type { Camera } from '../model/camera.ts';
import { isEditable } from '../ui/editable.ts';
import type { Toolbox } from '../tools/toolbox.ts';

export interface NavigationOptions {
  element: HTMLElement;
  camera: Camera;
  toolbox: Toolbox;
  /** Where key presses are heard (Space held to pan). */
  keys: Window;
}

export interface Navigation {
  close(): void;
}

/** Wheel zoom speed: the scale is multiplied by exp(-deltaY × this). */
const WHEEL_ZOOM_SPEED = 0.0025;
/** Line-mode wheel deltas (Firefox mice) are in lines; this turns them into pixels. */
const LINE_HEIGHT_PX = 16;

/**
 * Looking around the board whatever tool is active: the wheel or a trackpad scroll pans, Ctrl+wheel
 * and trackpad pinch zoom about the pointer, the middle button or Space+drag pans, and two fingers
 * pan and pinch-zoom on touch screens. Listens in the capture phase so a gesture taken here never
 * reaches the active tool.
 */
export function createNavigation(options: NavigationOptions): Navigation {
  const { element, camera, toolbox, keys } = options;
  let spaceHeld = false;
  let drag: { pointerId: number; x: number; y: number } | null = null;
  const touches = new Map<number, { x: number; y: number }>();
  let pinch: { distance: number; center: { x: number; y: number } } | null = null;
  /** The tool's cursor, given back when a pan ends. */
  let cursorBefore = '';

  const local = (clientX: number, clientY: number): { x: number; y: number } => {
    const rect = element.getBoundingClientRect();
    return { x: clientX - rect.left, y: clientY - rect.top };
  };

  const onWheel = (event: WheelEvent): void => {
    event.preventDefault();
    const unit = event.deltaMode === 1 ? LINE_HEIGHT_PX : 1;
    if (event.ctrlKey || event.metaKey) {
      camera.zoomAt(local(event.clientX, event.clientY), Math.exp(-event.deltaY * unit * WHEEL_ZOOM_SPEED * (event.deltaMode === 1 ? 4 : 1)));
      return;
    }
    // Shift turns a vertical mouse wheel into a horizontal pan.
    const dx = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
    const dy = event.shiftKey && event.deltaX === 0 ? 0 : event.deltaY;
    camera.panBy(-dx * unit, -dy * unit);
  };

  const pinchState = (): { distance: number; center: { x: number; y: number } } | null => {
    if (touches.size < 2) return null;
    const [a, b] = [...touches.values()];
    return { distance: Math.hypot(a!.x - b!.x, a!.y - b!.y), center: { x: (a!.x + b!.x) / 2, y: (a!.y + b!.y) / 2 } };
  };

  const onDown = (event: PointerEvent): void => {
    if (event.pointerType === 'touch') {
      touches.set(event.pointerId, local(event.clientX, event.clientY));
      if (touches.size === 2) {
        // A second finger turns whatever the first one started into a pinch.
        toolbox.cancel();
        pinch = pinchState();
      }
      if (pinch !== null) event.stopImmediatePropagation();
      return;
    }
    const panButton = event.button === 1 || (event.button === 0 && spaceHeld);
    if (!panButton || drag !== null) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    drag = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
    if (!spaceHeld) cursorBefore = element.style.cursor;
    element.setPointerCapture(event.pointerId);
    element.style.cursor = 'grabbing';
  };
  const onMove = (event: PointerEvent): void => {
    if (event.pointerType === 'touch' && touches.has(event.pointerId)) {
      touches.set(event.pointerId, local(event.clientX, event.clientY));
      if (pinch === null) return;
      event.stopImmediatePropagation();
      const next = pinchState();
      if (next === null) return;
      camera.panBy(next.center.x - pinch.center.x, next.center.y - pinch.center.y);
      if (pinch.distance > 0) camera.zoomAt(next.center, next.distance / pinch.distance);
      pinch = next;
      return;
    }
    if (drag === null || event.pointerId !== drag.pointerId) return;
    event.stopImmediatePropagation();
    camera.panBy(event.clientX - drag.x, event.clientY - drag.y);
    drag = { ...drag, x: event.clientX, y: event.clientY };
  };
  const onUp = (event: PointerEvent): void => {
    if (touches.delete(event.pointerId)) {
      if (pinch !== null) {
        event.stopImmediatePropagation();
        if (touches.size < 2) pinch = null;
      }
      return;
    }
    if (drag === null || event.pointerId !== drag.pointerId) return;
    event.stopImmediatePropagation();
    drag = null;
    if (element.hasPointerCapture(event.pointerId)) element.releasePointerCapture(event.pointerId);
    // Give the tool's own cursor back.
    element.style.cursor = spaceHeld ? 'grab' : cursorBefore;
  };
  const onAuxClick = (event: MouseEvent): void => {
    // Middle-click paste (Linux) and autoscroll must not fire after a middle-button pan.
    if (event.button === 1) event.preventDefault();
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.code !== 'Space' || spaceHeld || isEditable(event.target)) return;
    event.preventDefault();
    spaceHeld = true;
    cursorBefore = element.style.cursor;
    element.style.cursor = 'grab';
  };
  const onKeyUp = (event: KeyboardEvent): void => {
    if (event.code !== 'Space' || !spaceHeld) return;
    spaceHeld = false;
    if (drag === null) element.style.cursor = cursorBefore;
  };
  const onBlur = (): void => {
    // A Space released while the window had no focus never sends keyup.
    if (spaceHeld) {
      spaceHeld = false;
      element.style.cursor = cursorBefore;
    }
  };

  // Aborting removes every listener below at once.
  const listening = new AbortController();
  const { signal } = listening;
  element.addEventListener('wheel', onWheel, { passive: false, signal });
  element.addEventListener('pointerdown', onDown, { capture: true, signal });
  element.addEventListener('pointermove', onMove, { capture: true, signal });
  element.addEventListener('pointerup', onUp, { capture: true, signal });
  element.addEventListener('pointercancel', onUp, { capture: true, signal });
  element.addEventListener('auxclick', onAuxClick, { signal });
  keys.addEventListener('keydown', onKeyDown, { signal });
  keys.addEventListener('keyup', onKeyUp, { signal });
  keys.addEventListener('blur', onBlur, { signal });
  return {
    close() {
      listening.abort();
    },
  };
}
