import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_TYPE } from '../../shared/protocol.ts';

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * Makes the provider send the server this client's own presence only. The stock provider sends
 * every awareness change it sees, the ones it just received from the server included, so in a
 * room of N people every cursor move came back to the server N − 1 times (N² messages for a
 * class), and a local timeout of someone else's state told the server to drop that state for
 * everyone. A client speaks for itself; the server relays the others. Returns the undo.
 */
export function sendOwnAwarenessOnly(provider: WebsocketProvider): () => void {
  const { awareness } = provider;
  const onUpdate = ({ added, updated, removed }: AwarenessChange): void => {
    const own = awareness.clientID;
    if (!added.includes(own) && !updated.includes(own) && !removed.includes(own)) return;
    if (!provider.wsconnected || provider.ws === null) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [own]));
    provider.ws.send(encoding.toUint8Array(encoder));
  };
  awareness.off('update', provider._awarenessUpdateHandler);
  awareness.on('update', onUpdate);
  return () => {
    awareness.off('update', onUpdate);
    awareness.on('update', provider._awarenessUpdateHandler);
  };
}
