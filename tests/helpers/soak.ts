/**
 * Connect/disconnect soak, shared by the leak test and bench/leak.ts: stock providers join rooms
 * in turn, edit, publish presence and leave; afterwards the server must hold nothing.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { EaselServer } from '../../server/server.ts';
import { connectClient, poll } from './client.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

/** A full garbage collection, without needing node --expose-gc on the command line. */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // Twice: the first pass can leave objects whose finalizers free more.
  gc();
  gc();
}

export function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export interface SoakOptions {
  syncUrl: string;
  cycles: number;
  rooms: number;
  /** Cycles running at once. */
  concurrency: number;
}

/** Runs `cycles` connect → sync → edit → presence → disconnect cycles over `rooms` rooms. */
export async function soak(options: SoakOptions): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.cycles) {
      const cycle = next++;
      const room = `soak-${cycle % options.rooms}`;
      const client = connectClient(options.syncUrl, room);
      try {
        await client.synced;
        client.doc.transact(() => client.doc.getMap('m').set(`c${cycle}`, cycle), LOCAL_ORIGIN);
        client.provider.awareness.setLocalStateField('user', { name: `u${cycle}`, color: '#336699' });
      } finally {
        client.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

/** Waits until the server holds no sockets, connections, rooms or per-address counts. */
export async function waitForEmpty(server: EaselServer, timeoutMs = 20_000): Promise<void> {
  await poll(() => {
    const stats = server.stats();
    return stats.sockets === 0 && stats.connections === 0 && stats.rooms === 0 && stats.addresses === 0;
  }, `server back to empty (${JSON.stringify(server.stats())})`, timeoutMs);
}
