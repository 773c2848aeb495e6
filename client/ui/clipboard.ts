import type { Board } from '../model/board.ts';
import { isEditable } from './editable.ts';
import { parseClipboard, serializeClipboard, type ClipboardContent } from '../model/clipboard-data.ts';
import type { Point } from '../model/plane.ts';
import { newShapeId } from '../model/ids.ts';
import { placeInFrame, withFrameChildren } from '../model/frames.ts';
import type { Selection } from '../model/selection.ts';
import type { ShapeStyle } from '../../shared/schema.ts';
import { SHAPE_UTILS } from '../shapes/registry.ts';
import { addCopies, COPY_OFFSET } from '../tools/actions/duplicate.ts';
import type { AssetLibrary } from '../assets/asset-library.ts';
import { addCarriedAssets, checkCarriedAssets } from '../assets/carried-assets.ts';
import { createSelectionFiles } from '../assets/selection-files.ts';
import type { Notice } from './notice.ts';

export interface ClipboardOptions {
  target: Window;
  board: Board;
  selection: Selection;
  style(): ShapeStyle;
  /** Where plain text lands: the middle of the view, in board units. */
  center(): Point;
  /** False on a view-only board: cut then only copies and paste does nothing. */
  writable?: () => boolean;
  /** The board's files: a copy carries the selected images' files, a paste adds those it carries. */
  files: Pick<AssetLibrary, 'file' | 'add'>;
  /** Tells the person about files a copy left behind or a paste refused. */
  notice: Pick<Notice, 'show'>;
  /** Takes pasted files (images) to insert at the middle of the view; without it files are ignored. */
  pasteFiles?: (files: File[], at: Point) => void;
}

export interface Clipboard {
  close(): void;
}

/**
 * Copy, cut and paste through the system clipboard (the browser's copy/cut/paste events, which
 * need no permission prompt). Shapes travel as JSON text, with the files their images show, so a
 * paste into another board brings the pictures (client/model/clipboard-data.ts); pasting other
 * text makes a text shape; pasted files go to the image inserter (client/assets/insert-images.ts).
 * Copy writes nothing to the board; cut and paste are one undo step each.
 */
export function createClipboard(options: ClipboardOptions): Clipboard {
  const { target, board, selection } = options;
  // A frame is copied with its children.
  const selected = () => withFrameChildren(board, board.ordered().filter((shape) => selection.has(shape.id)));
  // A copy event writes the clipboard before it returns: the files are loaded while selected.
  // Looked up by id, not by scanning the board: the selection changes at every step of a marquee.
  const selectionFiles = createSelectionFiles({
    library: options.files,
    selected: () => withFrameChildren(board, [...selection.ids()].flatMap((id) => board.get(id) ?? [])),
    onChange: (listener) => selection.onChange(listener),
  });

  const onCopy = (event: ClipboardEvent): void => {
    if (isEditable(event.target) || event.clipboardData === null) return;
    const shapes = selected();
    if (shapes.length === 0) return;
    const files = selectionFiles.now(shapes);
    const { text, skipped } = serializeClipboard(shapes, files.files);
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
    const behind = files.missing.length + skipped.length;
    if (behind > 0) {
      const what = behind === 1 ? "1 image's file was" : `${behind} images' files were`;
      options.notice.show(`${what} not copied (still loading, or too large for the clipboard): pasted into another board, ${behind === 1 ? 'it shows' : 'they show'} as ${behind === 1 ? 'a placeholder' : 'placeholders'}.`, 'info');
    }
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
    const content = parseClipboard(text);
    if (content !== null) {
      if (content.assets.length === 0 && content.refused === 0) pasteShapes(content.shapes);
      else void pasteWithFiles(content);
      return;
    }
    // Other text becomes a shape of the first type that takes plain text (the text shape).
    const util = SHAPE_UTILS.find((candidate) => candidate.fromPlainText !== undefined);
    if (util?.fromPlainText === undefined) return;
    const shape = board.addShape(placeInFrame(board, util.fromPlainText(newShapeId(), text, options.center(), options.style())));
    selection.set([shape.id]);
  };
  const pasteShapes = (shapes: ClipboardContent['shapes']): void => {
    if (shapes.length > 0) selection.set(addCopies(board, shapes, COPY_OFFSET, COPY_OFFSET));
  };
  // The files first, so the shapes show their pictures as they appear; a file whose bytes are not
  // its id is left out (its shapes still paste, as placeholders where the file is unknown).
  const pasteWithFiles = async (content: ClipboardContent): Promise<void> => {
    try {
      const { good, bad } = await checkCarriedAssets(content.assets, content.shapes);
      await addCarriedAssets(options.files, good);
      pasteShapes(content.shapes);
      const refused = bad.length + content.refused;
      if (refused > 0) options.notice.show(`${refused === 1 ? 'An image file' : `${refused} image files`} on the clipboard ${refused === 1 ? 'was' : 'were'} damaged and left out.`, 'error');
    } catch (error) {
      console.error('easel: paste failed', error);
      options.notice.show(`Could not paste: ${(error as Error).message}`, 'error');
    }
  };
  const listening = new AbortController();
  const { signal } = listening;
  target.addEventListener('copy', onCopy, { signal });
  target.addEventListener('cut', onCopy, { signal });
  target.addEventListener('paste', onPaste, { signal });
  return {
    close() {
      listening.abort();
      selectionFiles.close();
    },
  };
}
