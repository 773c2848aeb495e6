import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { OFFLINE_ORIGIN } from '../../shared/origins.ts';

/**
 * Keeps the tabs of one browser on the same board in sync, with or without the server. The
 * messages are y-protocols sync messages (step 1, step 2, update) on a BroadcastChannel per room;
 * what arrives from another tab is applied with OFFLINE_ORIGIN, and such changes are never sent
 * on again (the tab that made them already told everyone).
 */
export interface TabSync {
  close(): void;
}

/** The BroadcastChannel of a room. */
export function tabChannelName(room: string): string {
  return `easel-board-${room}`;
}

export function createTabSync(options: { doc: Y.Doc; room: string; Channel?: typeof BroadcastChannel }): TabSync | null {
  const Channel = options.Channel ?? globalThis.BroadcastChannel;
  if (typeof Channel !== 'function') return null;
  const { doc } = options;
  const channel = new Channel(tabChannelName(options.room));

  const post = (write: (encoder: encoding.Encoder) => void): void => {
    const encoder = encoding.createEncoder();
    write(encoder);
    channel.postMessage(encoding.toUint8Array(encoder));
  };

  const onMessage = (event: MessageEvent): void => {
    if (!(event.data instanceof Uint8Array)) return;
    const reply = encoding.createEncoder();
    try {
      // Answers a step 1 with a step 2 into `reply`; applies step 2 and updates to the doc.
      syncProtocol.readSyncMessage(decoding.createDecoder(event.data), reply, doc, OFFLINE_ORIGIN);
    } catch (error) {
      console.warn('easel: ignoring a malformed message from another tab', error);
      return;
    }
    if (encoding.length(reply) > 0) channel.postMessage(encoding.toUint8Array(reply));
  };

  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === OFFLINE_ORIGIN) return;
    post((encoder) => syncProtocol.writeUpdate(encoder, update));
  };

  channel.addEventListener('message', onMessage);
  doc.on('update', onUpdate);
  // Ask the other tabs for whatever this one lacks.
  post((encoder) => syncProtocol.writeSyncStep1(encoder, doc));

  return {
    close() {
      doc.off('update', onUpdate);
      channel.removeEventListener('message', onMessage);
      channel.close();
    },
  };
}
