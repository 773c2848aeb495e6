/**
 * createServer: the HTTP server, the WebSocket endpoint `/sync/<room>`, the room registry and the
 * store, wired together. Everything it starts, `close()` stops, so tests can run several servers
 * in one process.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { CLOSE_CODE, PATHS, isValidRoomName } from '../shared/protocol.ts';
import { Connection } from './connection.ts';
import { ProtocolError } from './errors.ts';
import { createHttpHandler, type HealthReport } from './http.ts';
import { createLogger, type LogLevel } from './log.ts';
import { createLevelPersistence, type Persistence } from './persistence.ts';
import type { Room } from './room.ts';
import { createRoomRegistry, type RoomRegistry } from './rooms.ts';

export interface ServerOptions {
  port: number;
  host: string;
  /** LevelDB folder. */
  dataDir: string;
  /** Folder of the built client; defaults to dist/client beside the sources. */
  staticDir: string;
  logLevel: LogLevel;
  /** Use this logger instead of making one (tests capture logs this way). */
  logger?: Logger;
  /** How long an empty room stays in memory. */
  unloadDelayMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /** How often sockets are pinged; one missed pong drops the socket. */
  pingIntervalMs: number;
  /** Largest WebSocket message accepted; a larger one closes the socket with 1009. */
  maxMessageBytes: number;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  port: 1234,
  host: '0.0.0.0',
  dataDir: './data',
  staticDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
  logLevel: 'info',
  unloadDelayMs: 5_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 16 * 1024 * 1024,
  pingIntervalMs: 30_000,
  maxMessageBytes: 8 * 1024 * 1024,
};

export interface EaselServer {
  /** The port actually listened on (useful with port 0). */
  readonly port: number;
  readonly registry: RoomRegistry;
  readonly logger: Logger;
  health(): HealthReport;
  /** Stops accepting, flushes every room, closes sockets with 1001, closes the store. */
  close(): Promise<void>;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The room named by an upgrade path `/sync/<room>`, or null if the path is not a sync path. */
function roomFromPath(pathname: string): string | null {
  const prefix = `${PATHS.sync}/`;
  if (!pathname.startsWith(prefix)) return null;
  try {
    return decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return '';
  }
}

/** Starts a server; resolves once it listens. */
export async function createServer(overrides: Partial<ServerOptions> = {}): Promise<EaselServer> {
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...overrides };
  const logger = options.logger ?? createLogger(options.logLevel);
  const persistence: Persistence = await createLevelPersistence(options.dataDir);
  const registry = createRoomRegistry({
    persistence,
    logger,
    unloadDelayMs: options.unloadDelayMs,
    compactAfterUpdates: options.compactAfterUpdates,
    compactAfterBytes: options.compactAfterBytes,
  });
  /** Every open socket's connection, joined to a room or still waiting for it to load. */
  const connections = new Set<Connection>();
  let closing = false;

  const health = (): HealthReport => ({
    status: 'ok',
    rooms: registry.size,
    connections: registry.connectionCount(),
  });

  const httpServer = http.createServer(createHttpHandler({ staticDir: options.staticDir, health, logger }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });

  function onSocket(socket: WebSocket, roomName: string): void {
    const id = randomUUID().slice(0, 8);
    const log = logger.child({ room: roomName, conn: id });
    // ws reports bad frames (reserved bits, bad opcodes, oversize) here and closes the socket
    // itself with 1002/1007/1009; without this listener the error would kill the process.
    socket.on('error', (error) => log.warn({ err: error }, 'socket error'));
    if (!isValidRoomName(roomName)) {
      log.warn('refusing invalid room name');
      socket.close(CLOSE_CODE.invalidRoomName, 'invalidRoomName');
      return;
    }
    const conn = new Connection(id, roomName, socket, log);
    connections.add(conn);
    let room: Room | null = null;
    // Messages that arrive while the room loads are kept and handled in order once it is ready.
    const early: Uint8Array[] = [];

    const handle = (bytes: Uint8Array): void => {
      if (!conn.isOpen || room === null) return;
      try {
        room.handleMessage(conn, bytes);
      } catch (error) {
        if (error instanceof ProtocolError) {
          log.warn({ err: error, closeCode: error.closeCode }, 'closing connection: bad message');
          conn.close(error.closeCode);
        } else {
          log.error({ err: error }, 'closing connection: message handling failed');
          conn.close(CLOSE_CODE.internalError);
        }
      }
    };

    socket.on('message', (data, isBinary) => {
      if (!conn.isOpen) return;
      if (!isBinary) {
        log.warn('closing connection: text frame');
        conn.close(CLOSE_CODE.unsupportedData);
        return;
      }
      const bytes = toBytes(data);
      if (room === null) early.push(bytes);
      else handle(bytes);
    });
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', (code) => {
      conn.markClosed();
      connections.delete(conn);
      if (room !== null) registry.leave(room, conn);
      log.debug({ code }, 'connection closed');
    });

    registry.join(roomName, conn).then(
      (joined) => {
        if (!conn.isOpen) {
          registry.leave(joined, conn);
          return;
        }
        room = joined;
        log.debug('connection joined');
        for (const bytes of early.splice(0)) handle(bytes);
      },
      (error: unknown) => {
        log.error({ err: error }, 'room failed to load');
        conn.close(CLOSE_CODE.storageFailure);
      },
    );
  }

  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'upgrade socket error'));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const roomName = roomFromPath(url.pathname);
    if (roomName === null || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, roomName));
  });

  const pingTimer = setInterval(() => {
    for (const conn of connections) {
      if (!conn.alive) {
        conn.log.info('dropping dead socket (no pong)');
        conn.terminate();
      } else {
        conn.ping();
      }
    }
  }, options.pingIntervalMs);
  pingTimer.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  httpServer.on('error', (error) => logger.error({ err: error }, 'http server error'));
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  logger.info({ port, host: options.host, dataDir: options.dataDir }, 'easel server listening');

  let closePromise: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing = true;
    clearInterval(pingTimer);
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await registry.close(CLOSE_CODE.goingAway);
    // Sockets still waiting for a room (or refused) get the same goodbye.
    for (const conn of connections) conn.close(CLOSE_CODE.goingAway);
    // Give peers a moment to answer the close handshake, then cut whoever did not.
    const closed = [...wss.clients].map(
      (client) => new Promise<void>((resolve) => (client.readyState === client.CLOSED ? resolve() : client.once('close', () => resolve()))),
    );
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, 2_000)))]);
    clearTimeout(graceTimer);
    for (const client of wss.clients) client.terminate();
    wss.close();
    httpServer.closeAllConnections();
    await httpClosed;
    await persistence.close();
    logger.info('easel server stopped');
  }

  return {
    port,
    registry,
    logger,
    health,
    close() {
      closePromise ??= close();
      return closePromise;
    },
  };
}
