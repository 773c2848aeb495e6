import type { Board } from '../model/board.ts';
import { isEditable } from './editable.ts';
import { parseShapes, serializeShapes } from '../model/clipboard-data.ts';
import type { Point } from '../model/plane.ts';
import { newShapeId } from '../model/ids.ts';
import { placeInFrame, withFrameChildren } from '../model/frames.ts';
import type { Selection } from '../model/selection.ts';
import type { ShapeStyle } from '../../shared/schema.ts';
import { SHAPE_UTILS } from '../shapes/registry.ts';
import { addCopies, COPY_OFFSET } from '../tools/actions/duplicate.ts';

export interface ClipboardOptions {
  target: Window;
  board: Board;
  selection: Selection;
  style(): ShapeStyle;
  /** Where plain text lands: the middle of the view, in board units. */
  center(): Point;
  /** False on a view-only board: cut then only copies and paste does nothing. */
  writable?: () => boolean;
  /** Takes pasted files (images) to insert at the middle of the view; without it files are ignored. */
  pasteFiles?: (files: File[], at: Point) => void;
}

export interface Clipboard {
  close(): void;
}

/**
 * Copy, cut and paste through the system clipboard (the browser's copy/cut/paste events, which
 * need no permission prompt). Shapes travel as JSON text; pasting other text makes a text shape;
 * pasted files go to the image inserter (client/assets/insert-images.ts).
 * Copy writes nothing to the board; cut and paste are one undo step each.
 */
export function createClipboard(options: ClipboardOptions): Clipboard {
  const { target, board, selection } = options;
  // A frame is copied with its children.
  const selected = () => withFrameChildren(board, board.ordered().filter((shape) => selection.has(shape.id)));

  const onCopy = (event: ClipboardEvent): void => {
    if (isEditable(event.target) || event.clipboardData === null) return;
    const shapes = selected();
    if (shapes.length === 0) return;
    event.clipboardData.setData('text/plain', serializeShapes(shapes));
    event.preventDefault();
    if (event.type === 'cut' && options.writable?.() !== false) {
      board.deleteShapes(shapes.map((shape) => shape.id));
      selection.clear();
    }
  };
  const onPaste = (event: ClipboardEvent): void => {
    if (isEditable(event.target) || event.clipboardData === null || options.writable?.() === false) return;
    // Files first: a copied image often comes with its name or a URL as text beside it.
    const files = [...event.clipboardData.files];
    if (files.length === 0) {
      for (const item of event.clipboardData.items) {
        const file = item.kind === 'file' ? item.getAsFile() : null;
        if (file !== null) files.push(file);
      }
    }
    if (files.length > 0 && options.pasteFiles !== undefined) {
      event.preventDefault();
      options.pasteFiles(files, options.center());
      return;
    }
    const text = event.clipboardData.getData('text/plain');
    if (text === '') return;
    event.preventDefault();
    const shapes = parseShapes(text);
    if (shapes !== null) {
      if (shapes.length > 0) selection.set(addCopies(board, shapes, COPY_OFFSET, COPY_OFFSET));
      return;
    }
    // Other text becomes a shape of the first type that takes plain text (the text shape).
    const util = SHAPE_UTILS.find((candidate) => candidate.fromPlainText !== undefined);
    if (util?.fromPlainText === undefined) return;
    const shape = board.addShape(placeInFrame(board, util.fromPlainText(newShapeId(), text, options.center(), options.style())));
    selection.set([shape.id]);
  };
  const listening = new AbortController();
  const { signal } = listening;
  target.addEventListener('copy', onCopy, { signal });
  target.addEventListener('cut', onCopy, { signal });
  target.addEventListener('paste', onPaste, { signal });
  return {
    close: () => listening.abort(),
  };
}
