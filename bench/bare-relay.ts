/**
 * The benchmark's ceiling: not a server anyone should run, but the least work a y-websocket
 * server can do. It keeps no document and stores nothing: it answers a client's sync step 1 with
 * an empty step 2 (so the provider reports 'sync'), drops the client's own step 2, and forwards
 * every update and awareness frame, untouched, to the other clients of the room.
 *
 * Run against the throughput workload's fresh, empty rooms, what it delivers per second is what
 * these clients can take on this machine whatever the server does: no server that applies,
 * validates and persists updates can deliver more.
 *
 * Usage: PORT=<port> tsx bench/bare-relay.ts (PORT 0 or unset: any free port); prints "listening <port>".
 */
import { WebSocketServer, type WebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../shared/protocol.ts';

/** [sync, step 2, an update holding nothing: no structs (0 clients), an empty delete set (0)]. */
const EMPTY_STEP2 = new Uint8Array([MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.step2, 2, 0, 0]);

function startBareRelay(port: number): Promise<{ port: number; close(): void }> {
  const rooms = new Map<string, Set<WebSocket>>();
  const server = new WebSocketServer({ port, host: process.env.HOST ?? '127.0.0.1', perMessageDeflate: false });
  server.on('connection', (socket, request) => {
    const name = (request.url ?? '/').slice(1).split('?')[0]!;
    let room = rooms.get(name);
    if (!room) rooms.set(name, (room = new Set()));
    const peers = room;
    peers.add(socket);
    socket.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      let type: number;
      let subType = -1;
      try {
        const decoder = decoding.createDecoder(bytes);
        type = decoding.readVarUint(decoder);
        if (type === MESSAGE_TYPE.sync) subType = decoding.readVarUint(decoder);
      } catch {
        socket.close(1003, 'malformed message');
        return;
      }
      if (type === MESSAGE_TYPE.sync && subType === SYNC_MESSAGE_TYPE.step1) socket.send(EMPTY_STEP2);
      else if ((type === MESSAGE_TYPE.sync && subType === SYNC_MESSAGE_TYPE.update) || type === MESSAGE_TYPE.awareness) {
        for (const peer of peers) if (peer !== socket) peer.send(bytes);
      }
    });
    socket.on('close', () => {
      peers.delete(socket);
      if (peers.size === 0) rooms.delete(name);
    });
    socket.on('error', () => socket.terminate());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => resolve({ port: (server.address() as { port: number }).port, close: () => server.close() }));
  });
}

const relay = await startBareRelay(Number(process.env.PORT ?? 0));
process.stdout.write(`listening ${relay.port}\n`);
process.on('SIGTERM', () => {
  relay.close();
  process.exit(0);
});
