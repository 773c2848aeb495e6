import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { createEmitter } from '../model/emitter.ts';
import { originKind } from '../../shared/origins.ts';

/**
 * Whether this browser holds changes the server does not have yet ("unsynced changes").
 *
 * The approach: keep `acked`, a state vector of what the server is known to hold, and compare the
 * doc's state vector with it. The server's knowledge comes from
 *  - its sync step 1 on every connection (its own state vector),
 *  - every step 2 and update it sends (it only relays what it holds),
 *  - the reply to a probe: after local changes this sends a sync step 1 of its own, and the server
 *    answers a step 1 only once everything it received before is on disk. So when the answer to
 *    a probe arrives, everything the doc held when the probe was sent is stored on the server.
 * Replies arrive in the order of the probes, so a FIFO pairs them up. `acked` is kept in
 * localStorage, so edits made offline still read as unsynced after a reload.
 *
 * Only this browser's own client ids count: an update relayed by the server (or passed on by
 * another tab) is someone else's change, and a relayed incremental update says nothing usable
 * about its client's full state vector. The ids this browser wrote with are kept in localStorage
 * too, since a reload gets a new one while its old offline edits are still to be sent.
 */
export interface PendingChanges {
  readonly unsynced: boolean;
  onChange(listener: (unsynced: boolean) => void): () => void;
  close(): void;
}

export interface PendingOptions {
  doc: Y.Doc;
  room: string;
  provider: WebsocketProvider;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** How long after a local change to probe the server, so a burst of edits costs one probe. */
  probeDelayMs?: number;
}

type StateVector = Map<number, number>;

/** The localStorage key of a room's acknowledged state vector. */
export function ackedKey(room: string): string {
  return `easel-acked-${room}`;
}

function mergeInto(target: StateVector, source: StateVector): boolean {
  let grew = false;
  for (const [client, clock] of source) {
    if ((target.get(client) ?? 0) < clock) {
      target.set(client, clock);
      grew = true;
    }
  }
  return grew;
}

/** The localStorage key of the client ids this browser has written a room with. */
export function localClientsKey(room: string): string {
  return `easel-local-clients-${room}`;
}

/** True if `doc` holds anything of the `own` clients past `acked`. */
export function isAhead(docVector: StateVector, acked: StateVector, own: ReadonlySet<number>): boolean {
  for (const [client, clock] of docVector) if (own.has(client) && clock > (acked.get(client) ?? 0)) return true;
  return false;
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function createPendingChanges(options: PendingOptions): PendingChanges {
  const { doc, provider } = options;
  const storage = options.storage ?? null;
  const acked: StateVector = new Map();
  try {
    const saved = storage?.getItem(ackedKey(options.room));
    if (saved) mergeInto(acked, Y.decodeStateVector(fromBase64(saved)));
  } catch {
    // A damaged entry only means "nothing known to be on the server".
  }
  const own = new Set<number>();
  try {
    const saved = storage?.getItem(localClientsKey(options.room));
    if (saved) for (const id of JSON.parse(saved) as unknown[]) if (typeof id === 'number') own.add(id);
  } catch {
    // A damaged entry only forgets which earlier ids were ours; this page's id is added below.
  }
  const claimOwnClient = (): void => {
    if (own.has(doc.clientID)) return;
    own.add(doc.clientID);
    try {
      // The newest ids are enough: older ones were acknowledged long ago.
      storage?.setItem(localClientsKey(options.room), JSON.stringify([...own].slice(-50)));
    } catch {
      // Storage full or blocked: the indicator is still right for this page.
    }
  };
  // One entry per step 1 sent on this socket: what its answer acknowledges (null: nothing).
  let probes: Array<StateVector | null> = [];
  let probeTimer: ReturnType<typeof setTimeout> | null = null;
  let unsynced = false;
  const changes = createEmitter<boolean>();

  const docVector = (): StateVector => Y.decodeStateVector(Y.encodeStateVector(doc));
  const ownClocks = (): StateVector => {
    const clocks: StateVector = new Map();
    for (const [client, clock] of docVector()) if (own.has(client)) clocks.set(client, clock);
    return clocks;
  };
  const recompute = (): void => {
    const next = isAhead(docVector(), acked, own);
    if (next === unsynced) return;
    unsynced = next;
    changes.emit(next);
  };
  const acknowledge = (vector: StateVector): void => {
    if (!mergeInto(acked, vector)) return;
    try {
      storage?.setItem(ackedKey(options.room), toBase64(Y.encodeStateVector(acked)));
    } catch {
      // Storage full or blocked: the indicator is still right for this page.
    }
    recompute();
  };

  const sendProbe = (): void => {
    probeTimer = null;
    const ws = provider.ws;
    if (!provider.wsconnected || ws === null || ws.readyState !== ws.OPEN) return;
    if (!isAhead(docVector(), acked, own)) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
    syncProtocol.writeSyncStep1(encoder, doc);
    probes.push(docVector());
    ws.send(encoding.toUint8Array(encoder));
  };
  const scheduleProbe = (delay: number): void => {
    if (probeTimer !== null) return;
    probeTimer = setTimeout(sendProbe, delay);
  };

  // Sees the server's sync messages before the provider handles them.
  const original = provider.messageHandlers[MESSAGE_TYPE.sync]!;
  provider.messageHandlers[MESSAGE_TYPE.sync] = (encoder, decoder, prov, emitSynced, messageType) => {
    let carriesUpdate = false;
    try {
      const peek = decoding.createDecoder(decoder.arr.subarray(decoder.pos));
      const subType = decoding.readVarUint(peek);
      if (subType === SYNC_MESSAGE_TYPE.step1) {
        acknowledge(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
        // The provider answers with our step 2 right after this; probe once that is sent.
        setTimeout(() => scheduleProbe(0), 0);
      } else {
        if (subType === SYNC_MESSAGE_TYPE.step2) {
          const probe = probes.shift();
          if (probe) acknowledge(probe);
        }
        carriesUpdate = true;
      }
    } catch {
      // Malformed: the provider's own handler reports it.
    }
    // What a step 2 or update holds is the server's: the own clients' clocks that applying it
    // advances are on the server. (Only own clients count.) Reading the update's state vector
    // from its bytes instead decodes the whole update a second time, which on a big board's
    // first answer cost as much as a third of opening it.
    const before = carriesUpdate ? ownClocks() : null;
    original(encoder, decoder, prov, emitSynced, messageType);
    if (before === null) return;
    const advanced: StateVector = new Map();
    for (const [client, clock] of ownClocks()) if (clock > (before.get(client) ?? 0)) advanced.set(client, clock);
    if (advanced.size > 0) acknowledge(advanced);
  };

  const onStatus = ({ status }: { status: string }): void => {
    // The provider sends its own step 1 on open: its answer acknowledges nothing of ours.
    if (status === 'connected') probes = [null];
  };
  const onClose = (): void => {
    probes = [];
  };
  const onUpdate = (_update: Uint8Array, origin: unknown): void => {
    // A change made here (not received from the server or another tab) makes this page's id ours.
    if (origin !== provider && originKind(origin) !== 'offline') claimOwnClient();
    recompute();
    if (origin !== provider && unsynced) scheduleProbe(options.probeDelayMs ?? 150);
  };

  provider.on('status', onStatus);
  provider.on('connection-close', onClose);
  doc.on('update', onUpdate);
  recompute();

  return {
    get unsynced() {
      return unsynced;
    },
    onChange: (listener) => changes.on(listener),
    close() {
      if (probeTimer !== null) clearTimeout(probeTimer);
      provider.messageHandlers[MESSAGE_TYPE.sync] = original;
      provider.off('status', onStatus);
      provider.off('connection-close', onClose);
      doc.off('update', onUpdate);
      changes.clear();
    },
  };
}
