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
import { ACCESS_ROLE, CLOSE_CODE, PATHS, isValidRoomName, type AccessRole } from '../shared/protocol.ts';
import { DEFAULT_MAX_ASSET_BYTES, DEFAULT_MAX_ROOM_ASSET_BYTES } from '../shared/assets.ts';
import { createAuth, tokenFromUpgrade, type Auth } from './auth.ts';
import { Connection } from './connection.ts';
import { AccessError, BoardDeletedError, LimitError, ProtocolError, StorageError } from './errors.ts';
import { createHttpHandler, type HealthReport } from './http.ts';
import { clientAddress, createAddressRate, createConnectionRate, createIpCounter, createRateLimiter } from './limits.ts';
import { createLogger, type LogLevel } from './log.ts';
import { createMetrics, type ServerMetrics } from './metrics.ts';
import { createOriginPolicy } from './origin.ts';
import type { Room, RoomOptions } from './room/room.ts';
import { createArchive, createStore, withLocalFanout } from './store/create-store.ts';
import type { Archive } from './store/archive.ts';
import { meterStore } from './store/metered-store.ts';
import type { Store } from './store/store.ts';
import { PRESENCE_DEFAULTS } from './room-presence.ts';
import { createRoomRegistry, type RoomRegistry } from './rooms.ts';
import { createShareHandler } from './share.ts';
import { createAccessPolicy } from './api/access-policy.ts';
import { createApiHandler } from './api/router.ts';
import { createArchiveMissingService } from './boards/archive-missing-service.ts';
import { createLiveBoards, type LiveBoards } from './boards/live-boards.ts';
import { DEFAULT_HISTORY_OPTIONS, type HistoryOptions } from './history/history-options.ts';
import type { Clock } from './history/clock.ts';
import { EarlyMessages } from './early-messages.ts';
import { createStoreHealth } from './store-health.ts';
import { settleBy, TIMED_OUT } from './deadline.ts';

export interface ServerOptions extends HistoryOptions {
  port: number;
  host: string;
  /** LevelDB folder. */
  dataDir: string;
  /** Folder of the built client; defaults to dist/client beside the sources. */
  staticDir: string;
  logLevel: LogLevel;
  /** Use this logger instead of making one (tests capture logs this way). */
  logger?: Logger;
  /** Use this store (with the local fan-out) instead of opening one; the server closes it on close(). */
  store?: Store;
  /**
   * With `store`: the archive on the same database (versions, board index, assets). A server
   * given a store and no archive keeps no history and answers the board API with 501.
   */
  archive?: Archive;
  /** How often deleted boards past the history retention are purged. */
  purgeIntervalMs: number;
  /** History's and the board service's clock (tests); the real one unless given. */
  clock?: Clock;
  /** Told of every batch a room stored, with who made it (version history). */
  onCommitted?: RoomOptions['onCommitted'];
  /** Told when a room's last connection has left. */
  onRoomEmpty?: RoomOptions['onEmpty'];
  /** Scale-out: keep rooms in this Redis, shared with every other process using it, instead of LevelDB. */
  redisUrl?: string;
  /**
   * Scale-out: how long a process's registration in a room lasts unrenewed, so how long others
   * keep reading a room's log back after that process crashed (default 30 s).
   */
  redisRegistrationTtlMs?: number;
  /** How long an empty room stays in memory. */
  unloadDelayMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /**
   * A busy room writes (and relays) at most once per this many ms, merging what arrived meanwhile;
   * the first write after a quiet spell goes at once. 0 writes whenever the last write is done.
   */
  writeIntervalMs: number;
  /** How often sockets are pinged; one missed pong drops the socket. */
  pingIntervalMs: number;
  /** Largest WebSocket message accepted; a larger one closes the socket with 1009. */
  maxMessageBytes: number;
  /** HS256 secret for access tokens; null: no tokens, everyone may edit. */
  authSecret: string | null;
  /**
   * A static bearer token for the admin API; null: with no auth secret either, the admin API is
   * off (see server/api/access-policy.ts).
   */
  adminToken: string | null;
  /**
   * Origins (scheme://host[:port]) whose pages may open a sync socket, besides the server's own;
   * null: localhost on any port. `*` allows all.
   */
  allowedOrigins: string[] | null;
  /** Take the client address from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  /** Messages per second per connection; more closes it with 4029 (0: unlimited). */
  rateMessages: number;
  /** Bytes per second per connection; more closes it with 4029 (0: unlimited). */
  rateBytes: number;
  /** Seconds' worth of the rates a connection may spend at once (the token bucket size). */
  rateBurstSeconds: number;
  /** Largest JSON of one awareness (presence) state; larger closes the connection with 4413. */
  maxAwarenessBytes: number;
  /**
   * Presence is sent out at most once per this many ms in a busy room: one message per peer
   * holding the latest state of everyone who changed (the first change after a quiet tick goes at
   * once). PRESENCE_DEFAULTS says why 16 ms.
   */
  presenceTickMs: number;
  /**
   * A peer with more than this many bytes waiting on its socket gets no presence until it has
   * drained, and then the latest state of everyone who changed meanwhile (not a backlog).
   */
  presenceSlowPeerBytes: number;
  /** Open connections per client address; more are closed with 4030 (0: unlimited). */
  maxConnectionsPerIp: number;
  /**
   * New connections per second per client address (a token bucket); one over closes with 4032
   * (0: unlimited). Guards the server against one address reconnecting in a loop.
   */
  connectionRatePerIp: number;
  /** New connections one address may open at once (the bucket's size). */
  connectionBurstPerIp: number;
  /** Rooms in memory at once; a join that needs one more is closed with 4031 (0: unlimited). */
  maxRooms: number;
  /** The largest image file (asset) an upload or an imported board file may hold; larger is 413. */
  maxAssetBytes: number;
  /** The largest total of one room's image files; an upload or import past it is 413 (0: no total). */
  maxRoomAssetBytes: number;
  /**
   * Uploaded bytes per second per client address (a token bucket); an upload over it is 429 with
   * Retry-After (0: unlimited). Each upload counts at least MIN_UPLOAD_CHARGE bytes.
   */
  uploadBytesPerIp: number;
  /** Uploaded bytes one address may send at once (the bucket's size; never less than maxAssetBytes). */
  uploadBurstBytesPerIp: number;
  /**
   * The upgrade request must arrive within this time, and an upgraded socket must have joined its
   * room and sent its first message within it too (else 4009).
   */
  handshakeTimeoutMs: number;
  /** How often the store is probed for /healthz (see store-health.ts). */
  storeProbeIntervalMs: number;
  /** A store probe unanswered for this long makes /healthz report unhealthy. */
  storeTimeoutMs: number;
  /**
   * close() ends within this time whatever the store does: it flushes what it can, closes the
   * sockets, and reports what it could not store.
   */
  shutdownTimeoutMs: number;
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
  // The presence tick's value, for the same reason: a peer gets at most one document frame per
  // display frame of a busy room. Measured with a room of 50-200 (a quarter drawing at 20 Hz):
  // half the server CPU of writing as soon as the last write is done, for ~10 ms more latency;
  // a quiet room (a write more than 16 ms after the last) is not held back at all.
  writeIntervalMs: 16,
  pingIntervalMs: 30_000,
  maxMessageBytes: 8 * 1024 * 1024,
  authSecret: null,
  adminToken: null,
  allowedOrigins: null,
  trustProxy: false,
  // A pen stroke sends a few dozen updates and cursor moves a second; a pasted board, one large one.
  rateMessages: 200,
  rateBytes: 2 * 1024 * 1024,
  rateBurstSeconds: 5,
  maxAwarenessBytes: 16 * 1024,
  presenceTickMs: PRESENCE_DEFAULTS.tickMs,
  presenceSlowPeerBytes: PRESENCE_DEFAULTS.slowPeerBytes,
  // A class of 200 behind one NAT address, with room for second tabs; one address can still
  // hold only a bounded share of the server (see the README's limits).
  maxConnectionsPerIp: 256,
  // The class joins at once (within the burst); a reconnecting loop gets 20 a second.
  connectionRatePerIp: 20,
  connectionBurstPerIp: 256,
  maxRooms: 1000,
  maxAssetBytes: DEFAULT_MAX_ASSET_BYTES,
  maxRoomAssetBytes: DEFAULT_MAX_ROOM_ASSET_BYTES,
  // A class behind one NAT address pasting a few photos each at once fits the burst (30 people ×
  // 3 images of 2-3 MB); after it, a steady picture a minute from each of them still passes.
  uploadBytesPerIp: 2 * 1024 * 1024,
  uploadBurstBytesPerIp: 256 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  storeProbeIntervalMs: 1_000,
  storeTimeoutMs: 2_000,
  shutdownTimeoutMs: 10_000,
  ...DEFAULT_HISTORY_OPTIONS,
  // Deleted boards are kept for days; looking once an hour costs one index read per hour.
  purgeIntervalMs: 60 * 60_000,
};

/**
 * Document messages a socket may send before its room has loaded (a client sends sync step 1 and
 * step 2 right away, and an edit or two may follow; a stream is not fine). Presence is merged and
 * does not count (see early-messages.ts). Their bytes are capped at two largest messages.
 */
const MAX_EARLY_MESSAGES = 64;

/** Counts of what the server holds, for leak checks. */
export interface ServerStats {
  /** Open sockets, joined or not. */
  sockets: number;
  /** Connections joined to a room. */
  connections: number;
  rooms: number;
  /** Client addresses with an open connection. */
  addresses: number;
}

/** What close() could not do in time or at all; empty lists mean a clean stop. */
export interface ShutdownReport {
  /** Rooms whose last changes are not stored (their clients hold them and send them again). */
  unflushedRooms: string[];
  /** Set if the store did not close cleanly. */
  storeError: string | null;
  readonly clean: boolean;
}

export interface EaselServer {
  /** The port actually listened on (useful with port 0). */
  readonly port: number;
  readonly registry: RoomRegistry;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  health(): HealthReport;
  stats(): ServerStats;
  /**
   * Stops accepting, flushes every room, closes sockets with 1001, closes the store; within
   * shutdownTimeoutMs whatever the store does.
   */
  close(): Promise<ShutdownReport>;
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
  const handedIn = options.store;
  const created =
    handedIn === undefined
      ? await createStore({
          dataDir: options.dataDir,
          redisUrl: options.redisUrl ? options.redisUrl : null,
          logger,
          ...(options.redisRegistrationTtlMs !== undefined && { redisRegistrationTtlMs: options.redisRegistrationTtlMs }),
        })
      : null;
  const opened = created ?? withLocalFanout(handedIn!);
  // The archive lives on the store's own database handle, so one open (and one close) serves both.
  const archive: Archive | null = created === null ? (options.archive ?? null) : createArchive(created.backend);
  const auth: Auth | null = options.authSecret === null ? null : createAuth(options.authSecret);
  const originPolicy = createOriginPolicy(options.allowedOrigins);
  const addresses = createIpCounter(options.maxConnectionsPerIp);
  const connectionRate = createConnectionRate(options.connectionRatePerIp, options.connectionBurstPerIp);
  /** Every open socket's connection, joined to a room or still waiting for it to load. */
  const connections = new Set<Connection>();
  const metrics = createMetrics({ connections: () => connections.size, rooms: () => registry.size });
  /** A connection sent something the protocol does not allow: close only it, logged once. */
  const rejectMessage = (conn: Connection, error: ProtocolError): void => {
    metrics.error('protocol');
    conn.log.warn({ err: error, closeCode: error.closeCode }, 'closing connection: bad message');
    conn.close(error.closeCode);
  };
  let closing = false;
  const storeHealth = createStoreHealth({
    probe: () => opened.store.probe(),
    intervalMs: options.storeProbeIntervalMs,
    timeoutMs: options.storeTimeoutMs,
    logger,
    onChange: (ok) => metrics.storeUp(ok),
  });

  /** Version history and the board API; null without an archive (no history, API answers 501). */
  const boards: LiveBoards | null =
    archive === null
      ? null
      : createLiveBoards({
          store: opened.store,
          archive,
          // The registry is made below with boards' hooks; these run only once it exists.
          rooms: {
            get: (name) => registry.get(name),
            use: (name, fn) => registry.use(name, fn),
            evict: (name, code, fn) => registry.evict(name, code, fn),
          },
          logger,
          historyIntervalMs: options.historyIntervalMs,
          historyDays: options.historyDays,
          purgeIntervalMs: options.purgeIntervalMs,
          assetLimits: { maxAssetBytes: options.maxAssetBytes, maxRoomAssetBytes: options.maxRoomAssetBytes },
          ...(options.clock && { clock: options.clock }),
        });

  const registry = createRoomRegistry({
    store: meterStore(opened.store, metrics),
    fanout: opened.fanout,
    onCommitted(room, batch) {
      boards?.committed(room, batch);
      options.onCommitted?.(room, batch);
    },
    onEmpty(room) {
      boards?.emptied(room);
      options.onRoomEmpty?.(room);
    },
    ...(boards && { beforeUnload: (room: Room) => boards.beforeUnload(room) }),
    logger,
    unloadDelayMs: options.unloadDelayMs,
    compactAfterUpdates: options.compactAfterUpdates,
    compactAfterBytes: options.compactAfterBytes,
    writeIntervalMs: options.writeIntervalMs,
    maxRooms: options.maxRooms,
    maxAwarenessBytes: options.maxAwarenessBytes,
    presenceTickMs: options.presenceTickMs,
    presenceSlowPeerBytes: options.presenceSlowPeerBytes,
    onRejected: rejectMessage,
    onStorageFailure(_room: string, error: StorageError) {
      // The room logged the error itself; here it counts for /metrics and marks the store
      // unhealthy until it answers again.
      metrics.error('storage');
      storeHealth.failed(error);
    },
  });

  const health = (): HealthReport => {
    const report: HealthReport = { status: 'ok', rooms: registry.size, connections: registry.connectionCount() };
    const store = storeHealth.state();
    if (!store.ok) {
      report.status = 'unhealthy';
      report.reason = store.reason;
    }
    return report;
  };

  /**
   * Closes a socket that its room's store kept waiting (a load that did not finish, a client
   * that sent more than can be held meanwhile): the storage code, retryable, never a code that
   * blames the client.
   */
  const closeForStore = (conn: Connection, what: string): void => {
    metrics.error('storage');
    conn.log.warn({ store: storeHealth.state() }, `closing connection: ${what}`);
    conn.close(CLOSE_CODE.storageFailure);
  };

  const service = boards?.service ?? createArchiveMissingService();
  const httpServer = http.createServer(
    {
      // A client must send its whole upgrade (or any) request within the handshake timeout; Node
      // checks the deadlines on this interval.
      headersTimeout: options.handshakeTimeoutMs,
      requestTimeout: options.handshakeTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, options.handshakeTimeoutMs / 4)),
    },
    createHttpHandler({
      staticDir: options.staticDir,
      health,
      metrics: async () => ({ contentType: metrics.contentType, body: await metrics.render() }),
      api: createApiHandler({
        service,
        policy: createAccessPolicy(auth, options.adminToken),
        share: createShareHandler(auth, logger),
        logger,
        uploads: {
          maxAssetBytes: options.maxAssetBytes,
          rate: createAddressRate(options.uploadBytesPerIp, Math.max(options.uploadBurstBytesPerIp, options.maxAssetBytes)),
          addressOf: (req) => clientAddress(req, options.trustProxy),
          // With an auth secret a file is no one's business but its room's: no shared cache keeps it.
          privateCache: auth !== null,
          counted: (result) => metrics.assetUpload(result),
        },
      }),
      logger,
    }),
  );
  /** Upgrade requests whose token came as a subprotocol: that subprotocol is echoed back. */
  const tokenProtocols = new WeakMap<http.IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols, req) => tokenProtocols.get(req) ?? protocols.values().next().value ?? false,
  });

  /**
   * The outcome of the checks of an upgrade request: its token, then whether its board was
   * deleted. `deletions` is how many boards this process had deleted when that was checked: a
   * deletion between the check and the join is caught by checking again (see onSocket).
   */
  type Access = { role: AccessRole; deletions: number } | { refused: AccessError | BoardDeletedError | StorageError };

  /** Refuses a deleted board (4410), or answers null; a store that fails refuses with 4500, retryable. */
  async function deletedCheck(roomName: string): Promise<BoardDeletedError | StorageError | null> {
    if (boards === null || !isValidRoomName(roomName)) return null;
    try {
      return (await boards.service.isDeleted(roomName)) ? new BoardDeletedError(roomName) : null;
    } catch (error) {
      if (error instanceof StorageError) return error;
      throw error;
    }
  }

  function onSocket(socket: WebSocket, stream: Duplex, req: http.IncomingMessage, roomName: string, access: Access): void {
    const id = randomUUID().slice(0, 8);
    const log = logger.child({ room: roomName, conn: id });
    /** The code the server closed with, if it closed first (the peer's echo may differ, or never come). */
    let refusedWith: number | null = null;
    let conn: Connection | null = null;
    // ws reports bad frames (reserved bits, bad opcodes, oversize) here and closes the socket
    // itself with 1002/1007/1009; without this listener the error would kill the process.
    socket.on('error', (error) => {
      metrics.error('socket');
      log.warn({ err: error }, 'socket error');
    });
    socket.once('close', (code) => metrics.closed(conn?.closeCode ?? refusedWith ?? code));
    const refuse = (code: number, reason: string): void => {
      refusedWith = code;
      socket.close(code, reason);
    };
    if (!isValidRoomName(roomName)) {
      log.warn('refusing invalid room name');
      refuse(CLOSE_CODE.invalidRoomName, 'invalidRoomName');
      return;
    }
    if ('refused' in access) {
      const refusal = access.refused;
      if (refusal instanceof StorageError) {
        metrics.error('storage');
        log.warn({ err: refusal }, 'refusing connection: the board index cannot be read');
        refuse(CLOSE_CODE.storageFailure, 'storageFailure');
        return;
      }
      metrics.error('access');
      log.info({ err: refusal.message, closeCode: refusal.closeCode }, `refusing connection: ${refusal instanceof BoardDeletedError ? 'board deleted' : 'access'}`);
      refuse(refusal.closeCode, refusal.code);
      return;
    }
    const address = clientAddress(req, options.trustProxy);
    // Every connection that gets this far costs a join (a room load, a sync answer): an address
    // reconnecting in a loop is held to the rate, while a class joining at once fits the burst.
    if (!connectionRate.admit(address)) {
      metrics.error('limit');
      log.warn({ address }, 'refusing connection: new connections from this address come too fast');
      refuse(CLOSE_CODE.connectionRateLimited, 'connectionRateLimited');
      return;
    }
    if (!addresses.acquire(address)) {
      metrics.error('limit');
      log.warn({ address }, 'refusing connection: too many from this address');
      refuse(CLOSE_CODE.tooManyConnections, 'tooManyConnections');
      return;
    }
    socket.once('close', () => addresses.release(address));
    const joining = new Connection(id, roomName, socket, stream, log, access.role, metrics);
    conn = joining;
    connections.add(joining);
    let room: Room | null = null;
    // Messages that arrive while the room loads are kept and handled in order once it is ready.
    const early = new EarlyMessages(MAX_EARLY_MESSAGES, 2 * options.maxMessageBytes);
    let heardFrom = false;
    const limiter = createRateLimiter(options);
    const handshakeTimer = setTimeout(() => {
      if (room !== null && heardFrom) return;
      if (room === null) {
        // The room's load is what did not finish: the store is slow or unreachable.
        closeForStore(joining, 'its room did not load within the handshake timeout');
        return;
      }
      metrics.error('limit');
      log.warn('closing connection: handshake timeout (joined, sent nothing)');
      joining.close(CLOSE_CODE.handshakeTimeout);
    }, options.handshakeTimeoutMs);
    handshakeTimer.unref();
    const handshakeProgressed = (): void => {
      if (room !== null && heardFrom) clearTimeout(handshakeTimer);
    };

    const handle = (bytes: Uint8Array): void => {
      if (!joining.isOpen || room === null) return;
      try {
        room.handleMessage(joining, bytes);
      } catch (error) {
        if (error instanceof ProtocolError) {
          rejectMessage(joining, error);
        } else {
          metrics.error('internal');
          log.error({ err: error }, 'closing connection: message handling failed');
          joining.close(CLOSE_CODE.internalError);
        }
      }
    };

    socket.on('message', (data, isBinary) => {
      if (!joining.isOpen) return;
      const bytes = toBytes(data);
      metrics.messageIn(bytes);
      try {
        limiter.admit(bytes.byteLength);
      } catch (error) {
        if (!(error instanceof LimitError)) throw error;
        metrics.error('limit');
        log.warn({ err: error.message }, 'closing connection: rate limit');
        joining.close(error.closeCode);
        return;
      }
      if (!isBinary) {
        metrics.error('protocol');
        log.warn('closing connection: text frame');
        joining.close(CLOSE_CODE.unsupportedData);
        return;
      }
      heardFrom = true;
      handshakeProgressed();
      if (room !== null) {
        handle(bytes);
        return;
      }
      if (early.push(bytes)) return;
      const kept = { messages: early.count, bytes: early.bytes };
      early.drain();
      if (!storeHealth.state().ok) {
        closeForStore(joining, 'too much sent while its room waits on the store');
        return;
      }
      metrics.error('limit');
      log.warn(kept, 'closing connection: too much sent before joining');
      joining.close(CLOSE_CODE.tooEarly);
    });
    socket.on('pong', () => {
      joining.alive = true;
    });
    socket.on('close', (code) => {
      clearTimeout(handshakeTimer);
      early.drain();
      joining.markClosed();
      connections.delete(joining);
      if (room !== null) registry.leave(room, joining);
      log.debug({ code }, 'connection closed');
    });

    registry.join(roomName, joining).then(
      (joined) => {
        if (!joining.isOpen) {
          registry.leave(joined, joining);
          return;
        }
        room = joined;
        log.debug({ role: joining.role }, 'connection joined');
        handshakeProgressed();
        for (const bytes of early.drain()) handle(bytes);
        // A board deleted between this socket's check and its join closed the room's connections
        // before this one was among them: look again, and close it as the deletion would have.
        if (boards !== null && boards.deletions !== access.deletions) {
          deletedCheck(roomName).then(
            (refusal) => {
              if (refusal instanceof BoardDeletedError && joining.isOpen) {
                log.info('closing connection: its board was deleted as it joined');
                joining.close(CLOSE_CODE.boardDeleted);
              }
            },
            (error: unknown) => log.error({ err: error }, 'could not check whether the board was deleted as it joined'),
          );
        }
      },
      (error: unknown) => {
        if (error instanceof LimitError) {
          metrics.error('limit');
          log.warn({ err: error.message }, 'closing connection: room limit');
          joining.close(error.closeCode);
          return;
        }
        log.error({ err: error }, 'room failed to load');
        joining.close(CLOSE_CODE.storageFailure);
      },
    );
  }

  /** Answers an upgrade request with a plain HTTP error and closes it. */
  function rejectUpgrade(socket: Duplex, status: string, message: string): void {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${message}\n`);
  }

  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'upgrade socket error'));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const roomName = roomFromPath(url.pathname);
    if (roomName === null || closing) {
      rejectUpgrade(socket, closing ? '503 Service Unavailable' : '404 Not Found', closing ? 'shutting down' : 'not a sync path');
      return;
    }
    // Before the upgrade, so a page on another site never gets a socket (browsers see only a failure).
    if (!originPolicy.allows(req)) {
      metrics.error('access');
      logger.warn({ room: roomName, origin: req.headers.origin }, 'refusing upgrade: origin not allowed');
      rejectUpgrade(socket, '403 Forbidden', 'origin not allowed');
      return;
    }
    const requestToken = auth === null ? null : tokenFromUpgrade(req, url);
    // Token problems close the socket after the upgrade with 4401/4403, because a browser sees
    // close codes but never the HTTP status of a refused upgrade.
    const granted: Promise<AccessRole | AccessError> =
      auth === null
        ? Promise.resolve(ACCESS_ROLE.edit)
        : auth.authorize(requestToken?.token ?? null, roomName).then(
            (grant) => grant.role,
            (error: unknown) => {
              if (error instanceof AccessError) return error;
              throw error;
            },
          );
    // Deleted boards are checked after the token, so a refused token never learns whether a board exists.
    const access: Promise<Access> = granted.then(async (role) => {
      if (role instanceof AccessError) return { refused: role };
      const deletions = boards?.deletions ?? 0;
      const deleted = await deletedCheck(roomName);
      return deleted === null ? { role, deletions } : { refused: deleted };
    });
    access.then(
      (result) => {
        if (closing || socket.destroyed) {
          socket.destroy();
          return;
        }
        if (requestToken?.via === 'protocol') tokenProtocols.set(req, requestToken.token);
        wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, socket, req, roomName, result));
      },
      (error: unknown) => {
        metrics.error('internal');
        logger.error({ err: error, room: roomName }, 'upgrade failed');
        socket.destroy();
      },
    );
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

  let closePromise: Promise<ShutdownReport> | null = null;
  /**
   * The shutdown, in phases that share shutdownTimeoutMs: flushing the rooms gets most of it, the
   * close handshakes of the sockets a little, closing the store what is left. A phase that runs
   * out of time is cut short and what it left undone is logged, so a store that does not answer
   * cannot keep the process alive.
   */
  async function close(): Promise<ShutdownReport> {
    closing = true;
    const started = performance.now();
    const budget = options.shutdownTimeoutMs;
    clearInterval(pingTimer);
    storeHealth.close();
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    // History first, while every room is still loaded: the last version of each changed room.
    // Within the rooms' share of the time; a store that does not answer is given up on.
    if (boards !== null && (await settleBy(boards.close(), started + budget * 0.3)) === TIMED_OUT) {
      logger.error('the last versions of the rooms were not all taken in time');
    }
    const { unflushedRooms } = await registry.close(CLOSE_CODE.goingAway, started + budget * 0.6);
    // Sockets still waiting for a room (or refused) get the same goodbye.
    for (const conn of connections) conn.close(CLOSE_CODE.goingAway);
    // Give peers a moment to answer the close handshake, then cut whoever did not.
    const closed = [...wss.clients].map(
      (client) => new Promise<void>((resolve) => (client.readyState === client.CLOSED ? resolve() : client.once('close', () => resolve()))),
    );
    await settleBy(Promise.all(closed), Math.min(performance.now() + 2_000, started + budget * 0.75));
    for (const client of wss.clients) client.terminate();
    wss.close();
    httpServer.closeAllConnections();
    await httpClosed;
    let storeError: string | null = null;
    try {
      if ((await settleBy(opened.close(), started + budget * 0.95)) === TIMED_OUT) storeError = 'the store did not close in time';
    } catch (error) {
      storeError = error instanceof Error ? error.message : String(error);
    }
    if (storeError !== null) logger.error({ reason: storeError }, 'the store did not close cleanly');
    const report: ShutdownReport = { unflushedRooms, storeError, clean: unflushedRooms.length === 0 && storeError === null };
    logger.info({ clean: report.clean, unflushedRooms: unflushedRooms.length, ms: Math.round(performance.now() - started) }, 'easel server stopped');
    return report;
  }

  return {
    port,
    registry,
    logger,
    metrics,
    health,
    stats: () => ({ sockets: connections.size, connections: registry.connectionCount(), rooms: registry.size, addresses: addresses.size }),
    close() {
      closePromise ??= close();
      return closePromise;
    },
  };
}
