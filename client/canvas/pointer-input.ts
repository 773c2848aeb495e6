import type { BoardPointerEvent } from '../tools/tool.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import type { BoardStage } from './stage.ts';

/**
 * Turns DOM pointer events on the board into board-space events for the active tool. One pointer
 * at a time: a second finger or a right click does not start another gesture. Coalesced events are
 * replayed so fast pen strokes keep every sample the browser merged into one frame.
 */
export interface PointerInput {
  close(): void;
}

export function createPointerInput(stage: BoardStage, toolbox: Toolbox): PointerInput {
  const element = stage.element;
  let activePointer: number | null = null;

  const toBoardEvent = (event: PointerEvent): BoardPointerEvent => {
    const point = stage.toBoard(event.clientX, event.clientY);
    return {
      x: point.x,
      y: point.y,
      pressure: event.pressure,
      pointerType: event.pointerType === 'pen' || event.pointerType === 'touch' ? event.pointerType : 'mouse',
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      time: event.timeStamp,
      scale: stage.viewport().scale,
    };
  };

  const onDown = (event: PointerEvent): void => {
    if (activePointer !== null || !event.isPrimary || event.button !== 0) return;
    activePointer = event.pointerId;
    // Keep receiving moves and the release even if the pointer leaves the window mid-stroke.
    element.setPointerCapture(event.pointerId);
    event.preventDefault();
    toolbox.pointerDown(toBoardEvent(event));
  };
  const onMove = (event: PointerEvent): void => {
    if (event.pointerId !== activePointer) return;
    const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of samples.length > 0 ? samples : [event]) toolbox.pointerMove(toBoardEvent(sample));
  };
  const onUp = (event: PointerEvent): void => {
    if (event.pointerId !== activePointer) return;
    activePointer = null;
    if (element.hasPointerCapture(event.pointerId)) element.releasePointerCapture(event.pointerId);
    toolbox.pointerUp(toBoardEvent(event));
  };
  const onCancel = (event: PointerEvent): void => {
    if (event.pointerId !== activePointer) return;
    activePointer = null;
    toolbox.cancel();
  };

  // Aborting removes every listener below at once.
  const listening = new AbortController();
  const { signal } = listening;
  element.addEventListener('pointerdown', onDown, { signal });
  element.addEventListener('pointermove', onMove, { signal });
  element.addEventListener('pointerup', onUp, { signal });
  element.addEventListener('pointercancel', onCancel, { signal });
  // Capture can be lost without a pointerup (the element is hidden, an alert opens).
  element.addEventListener('lostpointercapture', onCancel, { signal });

  return {
    close() {
      listening.abort();
    },
  };
}
