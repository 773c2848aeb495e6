import type * as Y from 'yjs';
import { migrateStringTexts } from '../../shared/doc.ts';

export interface TextMigration {
  close(): void;
}

/**
 * Brings a board written with plain-string text up to schema version 2 (shared/doc.ts,
 * migrateStringTexts) once this page has synced with the server for the first time. Not before:
 * the offline copy may be older than the server's board, and a string migrated here while the
 * server already holds that text as a Y.Text would replace it, dropping what was typed into it.
 * A view-only page writes nothing (the server would drop it). Runs once per page; a string a bot
 * writes later is shown as it is, and becomes a Y.Text when someone types into it.
 */
export function migrateTextsOnFirstSync(options: {
  doc: Y.Doc;
  connection: { readonly synced: boolean; onSynced(listener: (synced: boolean) => void): () => void };
  writable: () => boolean;
}): TextMigration {
  let off: (() => void) | null = null;
  const run = (): void => {
    off?.();
    off = null;
    if (!options.writable()) return;
    const converted = migrateStringTexts(options.doc);
    if (converted > 0) console.info(`easel: ${converted} text(s) of this board moved to schema version 2`);
  };
  if (options.connection.synced) run();
  else off = options.connection.onSynced((synced) => synced && run());
  return {
    close() {
      off?.();
      off = null;
    },
  };
}
