import type { VersionInfo } from '../../shared/api.ts';
import type { BoardFileData } from '../../shared/board-file.ts';
import { createEmitter } from './emitter.ts';

/** A version being looked at instead of the live board. */
export interface PreviewedVersion {
  readonly version: VersionInfo;
  readonly board: BoardFileData;
}

/**
 * Whether the page shows a past version instead of the live board. While it does, the canvas
 * shows the version (client/canvas/version-preview-renderer.ts), nothing edits the live board
 * (the board's writable gate, the toolbox and the commands ask `active`), and the live board
 * keeps taking in others' edits underneath.
 */
export interface VersionPreview {
  readonly current: PreviewedVersion | null;
  readonly active: boolean;
  /** Shows this version (in place of another one being shown). */
  show(preview: PreviewedVersion): void;
  /** Back to the live board; nothing if none is shown. */
  exit(): void;
  onChange(listener: (current: PreviewedVersion | null) => void): () => void;
  close(): void;
}

export function createVersionPreview(): VersionPreview {
  let current: PreviewedVersion | null = null;
  const changes = createEmitter<PreviewedVersion | null>();
  return {
    get current() {
      return current;
    },
    get active() {
      return current !== null;
    },
    show(preview) {
      current = preview;
      changes.emit(current);
    },
    exit() {
      if (current === null) return;
      current = null;
      changes.emit(null);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      current = null;
      changes.clear();
    },
  };
}
