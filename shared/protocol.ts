/**
 * Wire constants shared by the server and the client. The framing is the standard y-websocket
 * protocol (y-protocols): every binary message starts with a varint message type.
 */

/** Top-level message types of the y-websocket protocol. */
export const MESSAGE_TYPE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;
export type MessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE];

/** Sub-types of a sync message (y-protocols/sync). */
export const SYNC_MESSAGE_TYPE = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;

/** Sub-types of an auth message (y-protocols/auth). */
export const AUTH_MESSAGE_TYPE = {
  permissionDenied: 0,
} as const;

/**
 * WebSocket close codes the server uses. 1000–1011 are the standard ones (RFC 6455); 4000–4399
 * mean "this connection misbehaved or the server had trouble, reconnecting may work"; 4400–4499
 * mirror HTTP 4xx and mean "refused: do not retry without changing something".
 */
export const CLOSE_CODE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  messageTooBig: 1009,
  internalError: 1011,
  /** A binary message that does not decode as the y-websocket protocol. */
  malformedMessage: 4000,
  /** A message type the server does not know. */
  unknownMessageType: 4001,
  /** A sync update that Yjs cannot decode or apply. */
  invalidUpdate: 4002,
  /** An awareness update that does not decode. */
  invalidAwareness: 4003,
  /** The server stopped hearing from the socket (no pong). */
  deadSocket: 4008,
  /** The socket upgraded and joined its room but sent nothing within the handshake timeout. */
  handshakeTimeout: 4009,
  /**
   * The client sent too many edits (count or bytes) while its room was still loading and the
   * store was answering (HTTP 425).
   */
  tooEarly: 4025,
  /** More messages or bytes per second than the connection's token bucket allows (HTTP 429). */
  rateLimited: 4029,
  /** Too many open connections from this client's IP address. */
  tooManyConnections: 4030,
  /** The server holds as many rooms in memory as it may; another room can load later (HTTP 503). */
  tooManyRooms: 4031,
  /**
   * This client's address opened new connections faster than the server allows (its burst is
   * spent): retry after a moment, as a reconnecting client's backoff does.
   */
  connectionRateLimited: 4032,
  /**
   * The room's storage failed, or kept the client waiting (its room did not load within the
   * handshake timeout, or it sent more than can be held while the store does not answer): the
   * client keeps its changes and retries later.
   */
  storageFailure: 4500,
  /** The room name is not 1–128 characters of [A-Za-z0-9_.-]. */
  invalidRoomName: 4400,
  /** No token, or one that is malformed, badly signed or expired (HTTP 401). */
  unauthorized: 4401,
  /** A valid token for another room (HTTP 403). */
  forbidden: 4403,
  /**
   * One awareness (presence) state is larger than the server accepts (HTTP 413). Final: the
   * client would send the same state again.
   */
  awarenessTooLarge: 4413,
  /**
   * The board was deleted (HTTP 410): it can be undeleted by an admin within the retention period,
   * then it is purged. Final: reconnecting would only be refused again.
   */
  boardDeleted: 4410,
} as const;
export type CloseCode = (typeof CLOSE_CODE)[keyof typeof CLOSE_CODE];

/** True for close codes that mean the server refused the client for good (no reconnect loop). */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4400 && code <= 4499;
}

/** The name of a close code, for logs and user-facing messages. */
export function closeCodeName(code: number): string {
  for (const [name, value] of Object.entries(CLOSE_CODE)) if (value === code) return name;
  return `code ${code}`;
}

/** Room names: 1 to 128 characters of [A-Za-z0-9_.-]. */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** True if `name` is an acceptable room name. */
export function isValidRoomName(name: string): boolean {
  return ROOM_NAME_PATTERN.test(name);
}

/** URL paths the server answers. The sync socket for room R is `${SYNC_PATH}/R`. */
export const PATHS = {
  sync: '/sync',
  board: '/b',
  health: '/healthz',
  metrics: '/metrics',
  /** `${PATHS.rooms}/<room>/share` makes a read-only link (POST). */
  rooms: '/api/rooms',
} as const;

/** The last segment of a room's share endpoint. */
export const SHARE_SEGMENT = 'share';

/** The share endpoint of a room: POST with an edit token, answers a view token. */
export function sharePath(room: string): string {
  return `${PATHS.rooms}/${encodeURIComponent(room)}/${SHARE_SEGMENT}`;
}

/**
 * Access tokens. A token is an HS256 JWT with claims `room` (a room name, or ROOM_WILDCARD for
 * every room), `role` and `exp`. It travels as the `token` query parameter of the sync URL or as
 * one of the offered Sec-WebSocket-Protocol values (the server echoes it back); a board link
 * carries it in the fragment, `/b/<room>#token=<jwt>`, so it never reaches server logs.
 */
export const ACCESS_ROLE = {
  edit: 'edit',
  view: 'view',
  /** Every room, plus the admin API (board list, delete, repair, backup). Only with room '*'. */
  admin: 'admin',
} as const;
export type AccessRole = (typeof ACCESS_ROLE)[keyof typeof ACCESS_ROLE];

/** The `room` claim of a token valid for every room. */
export const ROOM_WILDCARD = '*';
/** Name of the query parameter (sync URL) and fragment parameter (board link) holding a token. */
export const TOKEN_PARAM = 'token';

/** The reason a view-only connection is given (once) when its document writes are dropped. */
export const READ_ONLY_REASON = 'read-only: this link can view the board but not edit it';

/** The answer of the share endpoint. `expiresAt` is an ISO 8601 time. */
export interface ShareResponse {
  token: string;
  role: typeof ACCESS_ROLE.view;
  expiresAt: string;
}

/** The name of a top-level message type, for logs and metrics ('unknown' otherwise). */
export function messageTypeName(type: number): string {
  for (const [name, value] of Object.entries(MESSAGE_TYPE)) if (value === type) return name;
  return 'unknown';
}

/** The board page of a room, relative to the server's origin. */
export function boardPath(room: string): string {
  return `${PATHS.board}/${encodeURIComponent(room)}`;
}
