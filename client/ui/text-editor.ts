import { SHAPE_LIMITS } from '../../shared/schema.ts';
import type { Camera } from '../model/camera.ts';
import type { TextEditing, EditTarget, OutsideTextChange } from '../model/text-editing.ts';
import { FONT_FAMILY, LINE_HEIGHT } from '../shapes/constants.ts';
import { shapeUtil } from '../shapes/registry.ts';
import { rotate, type Point } from '../model/plane.ts';
import { AS_DRAWN, type Paint } from '../canvas/theme-colors.ts';

export interface TextEditorOptions {
  parent: HTMLElement;
  editing: TextEditing;
  camera: Camera;
  /** Client coordinates of a board point. */
  toClient(point: Point): Point;
  /** The theme's paint, so the typed text shows in the colours the canvas draws it with; as stored without it. */
  paint?: () => Paint;
  /** Calls `listener` when the paint changes (the theme switched), so an open editor takes the new colours. */
  onRepaint?: (listener: () => void) => () => void;
}

export interface TextEditor {
  close(): void;
}

/**
 * Edits text in place: a textarea laid over the text or note being edited, scaled with the zoom.
 * Each input goes to the document at once; others' typing into the same text shows in the
 * textarea as it arrives, the caret kept where it was in the text. The caret and selection are
 * reported to the editing model, which publishes them. Enter or Escape finishes (Shift+Enter is a
 * new line), and so does clicking elsewhere.
 */
export function createTextEditor(options: TextEditorOptions): TextEditor {
  const { parent, editing, camera } = options;
  const area = document.createElement('textarea');
  area.className = 'text-editor';
  area.setAttribute('aria-label', 'Text');
  area.spellcheck = false;
  area.maxLength = SHAPE_LIMITS.maxTextLength;
  area.hidden = true;
  parent.append(area);

  const place = (target: EditTarget): void => {
    const { shape } = target;
    const scale = camera.viewport().scale;
    // Its type's util says where the text goes in the shape; the stylesheet styles each kind.
    const box = shapeUtil(shape).text?.editorBox(shape, area.value, scale);
    const offset = rotate(box?.offset ?? { x: 0, y: 0 }, shape.rotation);
    const at = options.toClient({ x: shape.x + offset.x, y: shape.y + offset.y });
    const style = area.style;
    const paint = options.paint?.() ?? AS_DRAWN;
    style.left = `${at.x}px`;
    style.top = `${at.y}px`;
    style.fontSize = `${shape.fontSize * scale}px`;
    style.fontFamily = FONT_FAMILY;
    style.lineHeight = String(LINE_HEIGHT);
    style.color = paint(shape.strokeColor);
    style.transform = shape.rotation !== 0 ? `rotate(${shape.rotation}deg)` : '';
    if (box === undefined) return;
    style.width = `${box.width}px`;
    style.background = paint(box.background);
    area.dataset.kind = shape.type;
    style.textAlign = box.align ?? '';
    // A label wraps in its text area as the canvas wraps it; a text runs on until a new line.
    style.whiteSpace = box.inset !== undefined ? 'pre-wrap' : '';
    if (box.inset === undefined) {
      style.height = `${box.height}px`;
      style.padding = box.padding === 0 ? '0' : `${box.padding}px`;
      return;
    }
    const { top, right, bottom, left } = box.inset;
    style.padding = `0 ${right}px 0 ${left}px`;
    // A textarea cannot centre its lines vertically: the typed lines' height, measured with no
    // height and no vertical padding, says how much of the text area's spare room goes above them.
    style.height = '0';
    const lines = area.scrollHeight;
    const spare = Math.max(0, box.height - top - bottom - lines);
    const above = box.verticalAlign === 'middle' ? spare / 2 : box.verticalAlign === 'bottom' ? spare : 0;
    style.paddingTop = `${top + above}px`;
    style.paddingBottom = `${Math.max(0, box.height - top - above - lines)}px`;
    style.height = `${box.height}px`;
  };

  const show = (target: EditTarget | null): void => {
    if (target === null) {
      area.hidden = true;
      area.blur();
      return;
    }
    area.value = editing.text();
    area.hidden = false;
    place(target);
    // Focus at once, with the editor shown: keys typed right after the click are text, not board
    // shortcuts. (The pointerdown that opened it is default-prevented, so the press does not
    // take focus back; e2e covers mouse, double-click and touch.)
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    reportSelection();
  };

  const reportSelection = (): void => {
    if (editing.target === null) return;
    const { selectionStart: start, selectionEnd: end } = area;
    if (area.selectionDirection === 'backward') editing.setSelection(end, start);
    else editing.setSelection(start, end);
  };
  const onInput = (): void => {
    editing.setText(area.value, area.selectionEnd);
    if (editing.target !== null) place(editing.target);
    reportSelection();
  };
  // Someone else typed into this text: show it, the local caret and selection where they were in
  // the text (not at the same index, which would shift them by what was inserted before them).
  const onOutsideChange = ({ text, mapIndex }: OutsideTextChange): void => {
    if (area.value === text) return;
    const { selectionStart: start, selectionEnd: end, selectionDirection: direction } = area;
    area.value = text;
    area.setSelectionRange(mapIndex(start), mapIndex(end), direction ?? 'none');
    if (editing.target !== null) place(editing.target);
  };
  const onSelectionChange = (): void => {
    if (document.activeElement === area) reportSelection();
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    // Keys typed here are text, not board shortcuts.
    event.stopPropagation();
    if (event.key === 'Escape' || (event.key === 'Enter' && !event.shiftKey)) {
      event.preventDefault();
      editing.finish(area.value);
    }
  };
  const onBlur = (): void => {
    if (editing.target !== null) editing.finish(area.value);
  };
  area.addEventListener('input', onInput);
  area.addEventListener('keydown', onKeyDown);
  area.addEventListener('blur', onBlur);
  // Caret moves by keys, clicks and drags; input moves are reported by onInput. Chromium reports
  // a textarea's caret moves on the document; keyup and pointerup cover browsers that do not.
  document.addEventListener('selectionchange', onSelectionChange);
  for (const type of ['select', 'keyup', 'pointerup'] as const) area.addEventListener(type, reportSelection);
  const offs = [
    editing.onChange(show),
    editing.onOutsideChange(onOutsideChange),
    options.onRepaint?.(() => {
      if (editing.target !== null) place(editing.target);
    }) ?? (() => {}),
    camera.onChange(() => {
      if (editing.target !== null) place(editing.target);
    }),
  ];
  return {
    close() {
      for (const off of offs) off();
      document.removeEventListener('selectionchange', onSelectionChange);
      area.remove();
    },
  };
}
