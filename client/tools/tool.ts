import type { Shape } from '../../shared/schema.ts';
import type { ToolStyle } from '../model/style-state.ts';
import type { Board } from '../model/board.ts';
import type { Camera } from '../model/camera.ts';
import type { Laser } from '../model/laser.ts';
import type { TextEditing } from '../model/text-editing.ts';
import type { Draft } from '../model/draft.ts';
import type { Point } from '../model/plane.ts';
import type { Selection } from '../model/selection.ts';
import type { NewShape } from '../model/shape.ts';
import type { SnapContext } from '../model/snap-state.ts';

export { roundCoordinate } from '../model/plane.ts';

/** A pointer event already turned into board coordinates; tools never see the DOM or the canvas. */
export interface BoardPointerEvent {
  x: number;
  y: number;
  /** 0–1; what the device reported (mice report 0.5 while a button is down, 0 otherwise). */
  pressure: number;
  pointerType: 'mouse' | 'pen' | 'touch';
  shiftKey: boolean;
  altKey: boolean;
  /** Milliseconds, monotonic (event.timeStamp). */
  time: number;
  /** Screen pixels per board unit, so tools can keep thresholds constant on screen under zoom. */
  scale: number;
}

export interface BoardKeyEvent {
  key: string;
  shiftKey: boolean;
}

/** What a tool may touch. */
export interface ToolContext {
  board: Board;
  selection: Selection;
  draft: Draft;
  /** Where the user is looking: the hand tool moves it. */
  camera: Camera;
  /** The text being typed in place, if any. */
  editing: TextEditing;
  /** The laser pointer's trail (never stored). */
  laser: Laser;
  /** The style new shapes get (set from the style panel). */
  style(): ToolStyle;
  /**
   * Opens the page's file picker for images, inserted in the middle of the view once chosen
   * (client/ui/image-picker.ts); absent where there is no page (tests): the image tool then does nothing.
   */
  pickImages?: () => void;
  /** Snapping of moves and resizes to shapes near them or the grid; absent (tests): none. */
  snap?: SnapContext;
}

/**
 * What the tool of a shape type may touch (client/shapes/<type>/): the tool context, and what
 * the toolbox answers from the shape registry, which those tools are listed in and so cannot
 * import.
 */
export interface ShapeToolContext extends ToolContext {
  /** The topmost unlocked shape under `point` (board units), within `tolerance`, or null. */
  shapeAt(point: Point, tolerance: number): Shape | null;
  /** The shape as it is to be added: in the frame it is drawn in, or in none (client/model/frames.ts). */
  placeInFrame<S extends NewShape>(shape: S): S;
  /** Opens the file picker for images (ToolContext.pickImages), or does nothing without one. */
  pickImages(): void;
}

/** How a tool appears: its toolbar button, the key that picks it and its cursor over the board. */
export interface ToolEntry {
  /** The tool's id; doubles as its button's `data-tool` value in the DOM. */
  id: string;
  label: string;
  /** The shortcut, as `KeyboardEvent.key` lower-cased. */
  key: string;
  /** Inner SVG markup on a 24×24 grid, stroked with currentColor. */
  icon: string;
  /** The CSS cursor over the board while the tool is active. */
  cursor: string;
}

/** A tool is a small state machine driven by board-space pointer events. */
export interface Tool {
  /** Its id in the toolbox (see ToolId in toolbox.ts). */
  readonly id: string;
  /** Name of the current state, e.g. 'idle', 'pointing', 'dragging'. */
  readonly state: string;
  pointerDown(event: BoardPointerEvent): void;
  pointerMove(event: BoardPointerEvent): void;
  pointerUp(event: BoardPointerEvent): void;
  /** Abandons whatever is in progress (Escape, pointercancel, switching tools); writes nothing. */
  cancel(): void;
  /** Returns true if the tool used the key. */
  keyDown(event: BoardKeyEvent): boolean;
}

/**
 * The keyDown of a tool whose only key is Escape, which cancels what is in progress. Install it
 * as the tool's method (`keyDown: cancelOnEscape`), so that `this` is the tool.
 */
export function cancelOnEscape(this: Tool, event: BoardKeyEvent): boolean {
  if (event.key !== 'Escape' || this.state === 'idle') return false;
  this.cancel();
  return true;
}

/** Pointer travel, in screen pixels, that turns a press into a drag. */
export const DRAG_THRESHOLD_PX = 3;
/** Boxes smaller than this on both sides, in screen pixels, are taken as a stray click. */
export const MIN_BOX_PX = 2;
/** How far from a shape, in screen pixels, a click still hits it. */
export const HIT_TOLERANCE_PX = 4;
