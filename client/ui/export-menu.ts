import type { Board } from '../model/board.ts';
import { BoardFileError, parseBoardFile, serializeBoard } from '../export/board-file.ts';
import { downloadBlob, exportName } from '../export/download.ts';
import { exportPng } from '../export/png-export.ts';
import { exportSvg } from '../export/svg-export.ts';
import type { Command } from './keymap.ts';
import type { Notice } from './notice.ts';

export interface ExportMenuOptions {
  parent: HTMLElement;
  /** Where board files can be dropped to import them. */
  dropTarget: HTMLElement;
  board: Board;
  room: string;
  notice: Notice;
}

export interface ExportMenu {
  readonly element: HTMLElement;
  /** Keyboard commands for the same actions, for the shortcuts and the help dialog. */
  readonly commands: readonly Command[];
  close(): void;
}

/**
 * Export to PNG, SVG and JSON, and import of JSON board files by button or by dropping the file
 * on the board. An import is all or nothing: a broken file is refused with a message saying why,
 * and the board is left as it was. A good import is one undo step.
 */
export function createExportMenu(options: ExportMenuOptions): ExportMenu {
  const { parent, board, room, notice, dropTarget } = options;
  const element = document.createElement('div');
  element.className = 'export-menu panel';
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', 'Export and import');

  const exportAs = async (format: 'png' | 'svg' | 'json'): Promise<void> => {
    const shapes = board.ordered();
    try {
      if (format === 'json') downloadBlob(new Blob([serializeBoard(shapes)], { type: 'application/json' }), exportName(room, 'json'));
      else if (format === 'svg') downloadBlob(new Blob([exportSvg(shapes)], { type: 'image/svg+xml' }), exportName(room, 'svg'));
      else downloadBlob(await exportPng(shapes), exportName(room, 'png'));
    } catch (error) {
      console.error('easel: export failed', error);
      notice.show(`Export failed: ${(error as Error).message}`, 'error');
    }
  };

  const importFile = async (file: File): Promise<void> => {
    try {
      const shapes = parseBoardFile(await file.text());
      board.importShapes(shapes);
      notice.show(`Imported ${shapes.length} shape${shapes.length === 1 ? '' : 's'} from ${file.name}`, 'info');
    } catch (error) {
      if (!(error instanceof BoardFileError)) console.error('easel: import failed', error);
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

  const button = (action: string, label: string, text: string, run: () => void): void => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'chip-button';
    b.dataset.action = action;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.textContent = text;
    b.addEventListener('click', run);
    element.append(b);
  };
  button('export-png', 'Export PNG — Ctrl+Shift+E', 'PNG', () => void exportAs('png'));
  button('export-svg', 'Export SVG — Ctrl+Shift+G', 'SVG', () => void exportAs('svg'));
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
    const file = event.dataTransfer?.files[0];
    if (file) void importFile(file);
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
    close() {
      dropTarget.removeEventListener('dragover', onDragOver);
      dropTarget.removeEventListener('drop', onDrop);
      element.remove();
    },
  };
}
