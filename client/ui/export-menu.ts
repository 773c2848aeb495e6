import type { Board } from '../model/board.ts';
import { frameBox, frameContent } from '../model/frames.ts';
import type { Bounds } from '../model/plane.ts';
import type { Selection } from '../model/selection.ts';
import { BoardFileError, readBoardFile, serializeBoard } from '../../shared/board-file.ts';
import type { BoardTitle } from '../model/board-title.ts';
import { downloadBlob, exportName } from '../export/download.ts';
import { exportPng } from '../export/png-export.ts';
import { exportSvg } from '../export/svg-export.ts';
import type { Command } from './keymap.ts';
import type { Notice } from './notice.ts';
import { holdsShapes, type Shape } from '../../shared/schema.ts';
import { FRAME_DEFAULT_NAME } from '../shapes/constants.ts';
import { exportDataUrls, exportFileBytes, exportPictures, missingFilesMessage, type BoardFiles } from '../export/export-files.ts';
import { addCarriedAssets, checkCarriedAssets, CarriedAssetMismatchError } from '../assets/carried-assets.ts';

export interface ExportMenuOptions {
  parent: HTMLElement;
  /** Where board files can be dropped to import them. */
  dropTarget: HTMLElement;
  board: Board;
  /** A selection of one frame is exported alone. */
  selection: Pick<Selection, 'ids' | 'onChange'>;
  room: string;
  /** The board file carries the title; an imported file names an untitled board. */
  title: Pick<BoardTitle, 'get' | 'rename'>;
  notice: Notice;
  /** The board's files: exports embed the images' files, the JSON file carries them, an import adds them. */
  files: BoardFiles;
  /** Takes files dropped on the board that are not board files (images), with where they were dropped, in client pixels. */
  dropFiles?: (files: File[], clientX: number, clientY: number) => void;
}

export interface ExportMenu {
  readonly element: HTMLElement;
  /** Keyboard commands for the same actions, for the shortcuts and the help dialog. */
  readonly commands: readonly Command[];
  /** Exports one frame alone (its box, its children clipped to it), as the frames panel asks. */
  exportFrame(frameId: string, format: 'png' | 'svg'): Promise<void>;
  close(): void;
}

/**
 * Export to PNG, SVG and JSON, and import of JSON board files by button or by dropping the file
 * on the board (other files dropped go to `dropFiles`: images). While the selection is one frame, PNG and SVG export that frame alone: its box,
 * and its children clipped to it (exportFrame does the same for any frame). An import is all or nothing: a broken file is refused with a message saying why,
 * and the board is left as it was. A good import is one undo step. The JSON file carries the
 * board's title; importing a titled file into an untitled board gives it that title (a board
 * that has one keeps it: an import adds shapes, it does not rename). Exports embed the images'
 * files (client/export/export-files.ts); the JSON file carries them and an import adds them to
 * this board's room before its shapes, so a board moved to another server keeps its pictures.
 */
export function createExportMenu(options: ExportMenuOptions): ExportMenu {
  const { parent, board, selection, room, title, notice, dropTarget, files } = options;
  const element = document.createElement('div');
  element.className = 'export-menu panel';
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', 'Export and import');

  /** The frame selected alone, if that is what is selected. */
  const selectedFrame = (): string | null => {
    const ids = selection.ids();
    if (ids.size !== 1) return null;
    const [id] = ids;
    return frameContent(board, id!).length > 0 ? id! : null;
  };

  /** Whether pictures export in the dark theme's colours on its background; off: as drawn, on white. */
  let dark = false;

  // The images' files are fetched first; one that does not come exports as its placeholder.
  const exportPicture = async (format: 'png' | 'svg', shapes: readonly Shape[], name: string, region?: Bounds): Promise<void> => {
    if (format === 'svg') {
      const urls = await exportDataUrls(files, shapes);
      downloadBlob(new Blob([exportSvg(shapes, { region, files: urls.files, dark })], { type: 'image/svg+xml' }), exportName(name, 'svg'));
      tellMissing(urls.missing, 'placeholder');
    } else {
      const pictures = await exportPictures(files, shapes);
      downloadBlob(await exportPng(shapes, { region, images: pictures.files, dark }), exportName(name, 'png'));
      tellMissing(pictures.missing, 'placeholder');
    }
  };
  const tellMissing = (missing: readonly string[], what: 'placeholder' | 'left out'): void => {
    if (missing.length > 0) notice.show(missingFilesMessage(missing.length, what), 'error');
  };

  const exportFrame = async (frameId: string, format: 'png' | 'svg'): Promise<void> => {
    const shapes = frameContent(board, frameId);
    const frame = shapes[0];
    if (frame === undefined || !holdsShapes(frame)) return;
    try {
      await exportPicture(format, shapes, `${room}-${frame.name.trim() || FRAME_DEFAULT_NAME}`, frameBox(frame));
    } catch (error) {
      console.error('easel: export failed', error);
      notice.show(`Export failed: ${(error as Error).message}`, 'error');
    }
  };

  const exportAs = async (format: 'png' | 'svg' | 'json'): Promise<void> => {
    const frame = format === 'json' ? null : selectedFrame();
    if (frame !== null && format !== 'json') return exportFrame(frame, format);
    const shapes = board.ordered();
    try {
      if (format === 'json') {
        const carried = await exportFileBytes(files, shapes);
        downloadBlob(new Blob([serializeBoard(shapes, title.get(), carried.files)], { type: 'application/json' }), exportName(room, 'json'));
        tellMissing(carried.missing, 'left out');
      } else await exportPicture(format, shapes, room);
    } catch (error) {
      console.error('easel: export failed', error);
      notice.show(`Export failed: ${(error as Error).message}`, 'error');
    }
  };

  const importFile = async (file: File): Promise<void> => {
    try {
      const { shapes, title: fileTitle, assets = [] } = readBoardFile(await file.text());
      // All or nothing: a file carrying a picture that is not what its id says is refused whole.
      const { good, bad } = await checkCarriedAssets(assets, shapes);
      if (bad.length > 0) throw new CarriedAssetMismatchError(bad);
      await addCarriedAssets(files, good);
      board.importShapes(shapes);
      if (fileTitle !== '' && title.get() === '') title.rename(fileTitle);
      const images = good.length === 0 ? '' : ` and ${good.length} image file${good.length === 1 ? '' : 's'}`;
      notice.show(`Imported ${shapes.length} shape${shapes.length === 1 ? '' : 's'}${images} from ${file.name}`, 'info');
    } catch (error) {
      if (!(error instanceof BoardFileError || error instanceof CarriedAssetMismatchError)) console.error('easel: import failed', error);
      notice.show(`Could not import ${file.name}: ${(error as Error).message}. Nothing was changed.`, 'error');
    }
  };

  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.hidden = true;
  input.dataset.action = 'import-file';
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void importFile(file);
  });

  const button = (action: string, label: string, text: string, run: () => void): HTMLButtonElement => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'chip-button';
    b.dataset.action = action;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.textContent = text;
    b.addEventListener('click', run);
    element.append(b);
    return b;
  };
  button('export-png', 'Export PNG — Ctrl+Shift+E', 'PNG', () => void exportAs('png'));
  button('export-svg', 'Export SVG — Ctrl+Shift+G', 'SVG', () => void exportAs('svg'));
  // The picture buttons say when they export the selected frame alone.
  const pictureButtons = [...element.querySelectorAll<HTMLButtonElement>('button[data-action^="export-"]')].filter((b) => b.dataset.action !== 'export-json');
  const showTarget = (): void => {
    const framed = selectedFrame() !== null;
    for (const b of pictureButtons) {
      const format = b.dataset.action === 'export-png' ? 'PNG' : 'SVG';
      const label = framed ? `Export the selected frame as ${format}` : `Export ${format}`;
      b.title = `${label} — Ctrl+Shift+${format === 'PNG' ? 'E' : 'G'}`;
      b.setAttribute('aria-label', label);
      b.dataset.target = framed ? 'frame' : 'board';
    }
  };
  showTarget();
  const offSelection = selection.onChange(showTarget);
  const darkButton = button('export-dark', 'Dark background', 'Dark bg', () => {
    dark = !dark;
    darkButton.setAttribute('aria-pressed', String(dark));
  });
  darkButton.setAttribute('aria-pressed', 'false');
  darkButton.title = 'Dark background: PNG and SVG exports show the board as the dark theme draws it (off: the colours as drawn, on white)';
  button('export-json', 'Save board file (JSON) — Ctrl+S', 'JSON', () => void exportAs('json'));
  button('import', 'Import board file — Ctrl+O (or drop it on the board)', 'Import', () => input.click());
  element.append(input);
  element.addEventListener('mousedown', (event) => event.preventDefault());

  const hasFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') === true;
  const onDragOver = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    const files = [...(event.dataTransfer?.files ?? [])];
    // Board files are imported; anything else (images) goes where it was dropped.
    const isBoardFile = (file: File): boolean => file.type === 'application/json' || /\.json$/i.test(file.name);
    const boardFile = files.find(isBoardFile);
    if (boardFile !== undefined) void importFile(boardFile);
    const others = files.filter((file) => !isBoardFile(file));
    if (others.length > 0 && options.dropFiles !== undefined) options.dropFiles(others, event.clientX, event.clientY);
    // Without an image inserter, a file of another name is still tried as a board file (and refused with a message if it is none).
    else if (others.length > 0 && boardFile === undefined) void importFile(others[0]!);
  };
  dropTarget.addEventListener('dragover', onDragOver);
  dropTarget.addEventListener('drop', onDrop);
  parent.append(element);

  return {
    element,
    commands: [
      { id: 'export-png', label: 'Export PNG', keys: ['Mod+Shift+E'], run: () => void exportAs('png') },
      { id: 'export-svg', label: 'Export SVG', keys: ['Mod+Shift+G'], run: () => void exportAs('svg') },
      { id: 'export-json', label: 'Save board file (JSON)', keys: ['Mod+S'], run: () => void exportAs('json') },
      { id: 'import', label: 'Import board file', keys: ['Mod+O'], run: () => input.click() },
    ],
    exportFrame,
    close() {
      offSelection();
      dropTarget.removeEventListener('dragover', onDragOver);
      dropTarget.removeEventListener('drop', onDrop);
      element.remove();
    },
  };
}
