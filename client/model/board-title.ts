import type * as Y from 'yjs';
import { readBoardTitle, writeBoardTitle } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { createEmitter } from './emitter.ts';

/**
 * The board's title as the page sees it: read from the document (shared/doc.ts owns where it is
 * stored), renamed as the local user, and announced whenever it changes, whoever changed it
 * (another person, another tab, the offline copy loading).
 */
export interface BoardTitle {
  /** The title, '' while the board is untitled. */
  get(): string;
  /** Sets the title as the local user ('' makes the board untitled); nothing if it is the same. */
  rename(title: string): void;
  /** Called with the new title after any transaction that changed it. */
  onChange(listener: (title: string) => void): () => void;
  close(): void;
}

export function createBoardTitle(doc: Y.Doc): BoardTitle {
  const changes = createEmitter<string>();
  let current = readBoardTitle(doc);
  // One map read per transaction: cheaper than knowing which Yjs type holds the title here.
  const onAfterTransaction = (): void => {
    const next = readBoardTitle(doc);
    if (next === current) return;
    current = next;
    changes.emit(next);
  };
  doc.on('afterTransaction', onAfterTransaction);
  return {
    get: () => current,
    rename(title) {
      doc.transact(() => writeBoardTitle(doc, title), LOCAL_ORIGIN);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      doc.off('afterTransaction', onAfterTransaction);
      changes.clear();
    },
  };
}

/** The browser tab's title for a board: its title, or its room while it has none. */
export function tabTitle(title: string, room: string): string {
  return `${title === '' ? room : title} · Easel`;
}
