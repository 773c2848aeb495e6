import type { Awareness } from 'y-protocols/awareness';
import { readPresence, type Presence } from '../../shared/presence.ts';
import { createEmitter } from '../model/emitter.ts';

/** Another user on the board, as this client last heard of them. */
export interface Peer {
  /** Their awareness client id: one per open tab. */
  clientId: number;
  presence: Presence;
  /** When their state last changed here (Date.now()), for fading laser trails by local time. */
  receivedAt: number;
}

/**
 * Everyone else's presence, read through the readPresence gate: a state that does not pass is
 * treated as absent. Removed states (a closed tab, a dropped socket) leave at once.
 */
export interface Peers {
  list(): readonly Peer[];
  get(clientId: number): Peer | undefined;
  onChange(listener: (peers: readonly Peer[]) => void): () => void;
  close(): void;
}

export function createPeers(awareness: Awareness, now: () => number = Date.now): Peers {
  const peers = new Map<number, Peer>();
  let listCache: Peer[] = [];
  const changes = createEmitter<readonly Peer[]>();

  const read = (ids: readonly number[]): boolean => {
    let changed = false;
    const states = awareness.getStates();
    for (const clientId of ids) {
      if (clientId === awareness.clientID) continue;
      const presence = states.has(clientId) ? readPresence(states.get(clientId)) : null;
      if (presence === null) changed = peers.delete(clientId) || changed;
      else {
        peers.set(clientId, { clientId, presence, receivedAt: now() });
        changed = true;
      }
    }
    if (changed) listCache = [...peers.values()].sort((a, b) => a.clientId - b.clientId);
    return changed;
  };

  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
    if (read([...added, ...updated, ...removed])) changes.emit(listCache);
  };
  read([...awareness.getStates().keys()]);
  awareness.on('change', onChange);

  return {
    list: () => listCache,
    get: (clientId) => peers.get(clientId),
    onChange: (listener) => changes.on(listener),
    close() {
      awareness.off('change', onChange);
      changes.clear();
      peers.clear();
    },
  };
}
