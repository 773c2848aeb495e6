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
  /** The room's storage failed: the client keeps its changes and retries later. */
  storageFailure: 4500,
  /** The room name is not 1–128 characters of [A-Za-z0-9_.-]. */
  invalidRoomName: 4400,
  unauthorized: 4401,
  forbidden: 4403,
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
} as const;

/** The board page of a room, relative to the server's origin. */
export function boardPath(room: string): string {
  return `${PATHS.board}/${encodeURIComponent(room)}`;
}
