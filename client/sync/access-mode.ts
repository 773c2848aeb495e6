import { ACCESS_ROLE, type AccessRole } from '../../shared/protocol.ts';
import { createEmitter } from '../model/emitter.ts';

/**
 * Whether this page may edit the board. It starts from the role the link's token names and turns
 * read-only for good when the server says the connection's writes are dropped (a token whose
 * role the client could not read). The server enforces access; this only keeps the page from
 * making edits that would never reach anyone.
 */
export interface AccessMode {
  /** The token's role as the client read it, null with no token or an unreadable one. */
  readonly role: AccessRole | null;
  readonly readOnly: boolean;
  /** Called when the server refused a write; turns the page read-only. */
  deny(reason: string): void;
  /** Fires once, when the page turns read-only after it started editable. */
  onChange(listener: (readOnly: boolean) => void): () => void;
  close(): void;
}

export function createAccessMode(role: AccessRole | null): AccessMode {
  let readOnly = role === ACCESS_ROLE.view;
  const changes = createEmitter<boolean>();
  return {
    role,
    get readOnly() {
      return readOnly;
    },
    deny(reason) {
      if (readOnly) return;
      console.info(`easel: the server refused an edit (${reason}); the board is view only`);
      readOnly = true;
      changes.emit(true);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
