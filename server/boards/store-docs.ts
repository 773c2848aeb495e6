/**
 * BoardDocs straight on the store, for a server that is not running (the CLI's --data mode): a
 * board's document is read from its log, edited as a scratch copy, and its log replaced by the
 * result. The edit is still a forward edit (the old history plus the change), so a client that
 * kept an offline copy merges into it when it next connects. It carries API_ORIGIN, as the same
 * edit made through a running server's room does.
 */
import * as Y from 'yjs';
import { API_ORIGIN } from '../../shared/origins.ts';
import { docFromState } from './board-state.ts';
import type { BoardDocs, BoardStore } from './store-board-service.ts';

export function createStoreDocs(store: BoardStore): BoardDocs {
  return {
    read: (room) => store.readRoom(room),
    // No room here holds anything unwritten.
    readStored: (room) => store.readRoom(room),
    async edit(room, change) {
      const stored = await store.readRoom(room);
      const doc = stored === null ? new Y.Doc() : docFromState(stored);
      try {
        const result = doc.transact(() => change(doc), API_ORIGIN);
        const state = Y.encodeStateAsUpdate(doc);
        await store.replaceRoom(room, state);
        return { result, state };
      } finally {
        doc.destroy();
      }
    },
    replace: (room, state) => store.replaceRoom(room, state),
    async deleted() {
      // No server, so no connections to close: the record's mark is all there is.
    },
  };
}
