/**
 * Server memory with many idle connections: `connections` raw sockets spread over `rooms` rooms,
 * each doing what a fresh y-websocket provider does on connect (sync step 1, its presence, and
 * sync step 2 in answer to the server's step 1), then staying open and silent. Raw `ws` sockets
 * keep this process small where a thousand providers with their docs would not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../shared/protocol.ts';
import { awarenessMessage, syncStep1, syncStep2 } from '../tests/helpers/wire.ts';
import { totalMemory, waitUntilIdle } from './proc.ts';
import type { BenchTarget, RunningTarget } from './targets.ts';

export interface IdleResult {
  target: string;
  connections: number;
  rooms: number;
  /** RSS of the started server before any connection, bytes. */
  baselineRss: number;
  /** RSS with every connection open and the server quiet again. */
  rss: number;
  /** VmHWM: the peak over the server's life, connecting included. */
  peakRss: number;
}

/** Sockets opened at once; the rest wait, so the server is not hit by a thousand handshakes in one go. */
const CONNECT_CONCURRENCY = 50;

function openIdleSocket(url: string, clientId: number): Promise<WebSocket> {
  const empty = new Y.Doc();
  const hello = [syncStep1(empty), awarenessMessage(clientId, 1, { user: { name: `idle ${clientId}`, color: '#1971c2' }, cursor: null })];
  const answer = syncStep2(empty);
  empty.destroy();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => {
      for (const message of hello) ws.send(message);
      resolve(ws);
    });
    ws.on('message', (data: Buffer) => {
      // Answer the server's sync step 1 as a provider would; ignore everything else.
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarUint(decoder) === MESSAGE_TYPE.sync && decoding.readVarUint(decoder) === SYNC_MESSAGE_TYPE.step1) ws.send(answer);
    });
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`socket closed with ${code} before opening`)));
  });
}

/** Opens the connections against a fresh `target` and reads its memory once it has settled. */
export async function measureIdleConnections(target: BenchTarget, options: { connections: number; rooms: number }): Promise<IdleResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `easel-bench-idle-${target.name}-`));
  let server: RunningTarget | null = null;
  const sockets: WebSocket[] = [];
  const closed: string[] = [];
  try {
    const running = await target.start({ dataDir });
    server = running;
    await waitUntilIdle(running.pids, 500);
    const baseline = await totalMemory(running.pids);
    let next = 0;
    const opener = async (): Promise<void> => {
      while (next < options.connections) {
        const i = next++;
        const url = `${running.syncUrl(i)}/idle-${i % options.rooms}`;
        const ws = await openIdleSocket(url, i + 1);
        ws.on('close', (code) => closed.push(`socket ${i} closed with ${code}`));
        sockets.push(ws);
      }
    };
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, opener));
    await waitUntilIdle(running.pids, 1_000);
    if (closed.length > 0) throw new Error(`${closed.length} idle sockets were closed: ${closed.slice(0, 3).join('; ')}`);
    const settled = await totalMemory(running.pids);
    return {
      target: target.name,
      connections: sockets.length,
      rooms: options.rooms,
      baselineRss: baseline.rss,
      rss: settled.rss,
      peakRss: settled.peakRss,
    };
  } finally {
    for (const ws of sockets) {
      ws.removeAllListeners('close');
      ws.terminate();
    }
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
