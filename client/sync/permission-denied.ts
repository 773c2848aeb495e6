import * as authProtocol from 'y-protocols/auth';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_TYPE } from '../../shared/protocol.ts';

export interface PermissionWatch {
  close(): void;
}

/**
 * Calls `onDenied` with the reason whenever the server sends a y-protocols auth "permission
 * denied" message. y-websocket 3 has no event for it (its own handler only logs a warning), so
 * this takes over the provider's auth handler, as offline-pending.ts does for sync.
 */
export function watchPermissionDenied(provider: WebsocketProvider, onDenied: (reason: string) => void): PermissionWatch {
  const original = provider.messageHandlers[MESSAGE_TYPE.auth]!;
  provider.messageHandlers[MESSAGE_TYPE.auth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, provider.doc, (_doc, reason) => onDenied(reason));
  };
  return {
    close() {
      provider.messageHandlers[MESSAGE_TYPE.auth] = original;
    },
  };
}
