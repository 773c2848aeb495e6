import { holdsShapes, SHAPE_LIMITS, type FrameShape } from '../../shared/schema.ts';
import type { Board } from '../model/board.ts';
import type { Camera } from '../model/camera.ts';
import { framesOf } from '../model/frames.ts';
import type { Point } from '../model/plane.ts';
import { FONT_FAMILY, FRAME_DEFAULT_NAME, FRAME_STYLE, FRAME_TITLE_BAND, LINE_HEIGHT } from '../shapes/constants.ts';
import { isDressed, titleBox } from '../shapes/frame/frame-geometry.ts';

export interface FrameTitleEditorOptions {
  parent: HTMLElement;
  /** Where double-clicks are heard: the board's element. */
  target: HTMLElement;
  board: Board;
  camera: Camera;
  /** Board coordinates of a client point, and client coordinates of a board point. */
  toBoard(clientX: number, clientY: number): Point;
  toClient(point: Point): Point;
  /** Whether a double-click may rename now: false on a view-only board, or with a tool other than select. */
  enabled(): boolean;
}

export interface FrameTitleEditor {
  /** The frame being renamed, or null. */
  readonly editing: string | null;
  /** Opens the editor on a frame's title, as a double-click on it does. */
  open(frameId: string): void;
  close(): void;
}

/**
 * Renames frames in place: a double-click on a frame's title opens a text field over it, scaled
 * with the zoom. Enter or leaving the field writes the name (one undo step, nothing if it did
 * not change); Escape leaves it as it was. The field follows the camera and goes if the frame is
 * deleted meanwhile.
 */
export function createFrameTitleEditor(options: FrameTitleEditorOptions): FrameTitleEditor {
  const { board, camera } = options;
  const input = document.createElement('input');
  input.type = 'text';
  input.className = 'frame-title-editor';
  input.maxLength = SHAPE_LIMITS.maxFrameNameLength;
  input.spellcheck = false;
  input.setAttribute('aria-label', 'Frame name');
  input.hidden = true;
  options.parent.append(input);
  let editing: string | null = null;

  const frame = (): FrameShape | null => {
    const shape = editing === null ? undefined : board.get(editing);
    return shape !== undefined && holdsShapes(shape) ? shape : null;
  };

  const place = (shape: FrameShape): void => {
    const scale = camera.viewport().scale;
    const at = options.toClient({ x: shape.x, y: shape.y - FRAME_TITLE_BAND });
    const style = input.style;
    style.left = `${at.x}px`;
    style.top = `${at.y}px`;
    style.width = `${Math.max(80, shape.width) * scale}px`;
    style.height = `${FRAME_STYLE.titleFontSize * LINE_HEIGHT * scale}px`;
    style.fontSize = `${FRAME_STYLE.titleFontSize * scale}px`;
    style.fontFamily = FONT_FAMILY;
  };

  const finish = (save: boolean): void => {
    const id = editing;
    if (id === null) return;
    editing = null;
    const shape = board.get(id);
    if (save && shape !== undefined && holdsShapes(shape) && input.value !== shape.name) board.updateShapes(new Map([[id, { name: input.value }]]));
    input.hidden = true;
    input.blur();
  };

  const open = (frameId: string): void => {
    finish(true);
    const shape = board.get(frameId);
    if (shape === undefined || !holdsShapes(shape)) return;
    editing = frameId;
    input.value = shape.name;
    input.placeholder = FRAME_DEFAULT_NAME;
    input.hidden = false;
    place(shape);
    input.focus();
    input.select();
  };

  /** The topmost frame whose title is under the client point, if any. */
  const titleAt = (clientX: number, clientY: number): FrameShape | null => {
    const p = options.toBoard(clientX, clientY);
    const frames = framesOf(board);
    for (let i = frames.length - 1; i >= 0; i--) {
      const shape = frames[i]!;
      if (!isDressed(shape) || shape.locked) continue;
      const box = titleBox(shape);
      const x = p.x - shape.x;
      const y = p.y - shape.y;
      if (x >= box.x && y >= box.y && x <= box.x + box.width && y <= box.y + box.height) return shape;
    }
    return null;
  };

  const onDoubleClick = (event: MouseEvent): void => {
    if (!options.enabled()) return;
    const shape = titleAt(event.clientX, event.clientY);
    if (shape === null) return;
    event.preventDefault();
    open(shape.id);
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    // Keys typed into the name are not board shortcuts.
    event.stopPropagation();
    if (event.key === 'Enter') finish(true);
    else if (event.key === 'Escape') finish(false);
  };
  const onBlur = (): void => finish(true);

  const listening = new AbortController();
  const { signal } = listening;
  options.target.addEventListener('dblclick', onDoubleClick, { signal });
  input.addEventListener('keydown', onKeyDown, { signal });
  input.addEventListener('blur', onBlur, { signal });
  const offs = [
    camera.onChange(() => {
      const shape = frame();
      if (shape !== null) place(shape);
    }),
    board.onChange(({ ids }) => {
      if (editing === null || !ids.has(editing)) return;
      const shape = frame();
      if (shape === null) finish(false);
      else place(shape);
    }),
  ];

  return {
    get editing() {
      return editing;
    },
    open,
    close() {
      listening.abort();
      for (const off of offs) off();
      input.remove();
    },
  };
}
