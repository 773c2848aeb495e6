/**
 * Access tokens: HS256 JWTs signed with the server's secret (jose does the crypto). A token names
 * a room (or every room, ROOM_WILDCARD), a role and an expiry. verify() is the gate every token
 * passes before the server trusts any of its claims.
 */
import type { IncomingMessage } from 'node:http';
import { SignJWT, jwtVerify } from 'jose';
import { ACCESS_ROLE, ROOM_WILDCARD, TOKEN_PARAM, isValidRoomName, type AccessRole } from '../shared/protocol.ts';
import { AccessError, ConfigError } from './errors.ts';

/** What a verified token allows. */
export interface AccessGrant {
  /** A room name or ROOM_WILDCARD. */
  room: string;
  role: AccessRole;
  /** Expiry, in seconds since the epoch (the JWT `exp`). */
  expiresAt: number;
}

export interface Auth {
  /** Verifies a token (signature, expiry, claims); throws AccessError('unauthorized'). */
  verify(token: string): Promise<AccessGrant>;
  /** Verifies a token and checks it is for `room`; throws AccessError (401 or 403). */
  authorize(token: string | null, room: string): Promise<AccessGrant>;
  sign(grant: AccessGrant): Promise<string>;
}

const ALGORITHM = 'HS256';
/** HS256 is only as strong as its key: refuse secrets that could be guessed or brute-forced. */
export const MIN_SECRET_LENGTH = 32;
/** Three base64url segments: how a compact JWT looks among other subprotocol names. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function isAccessRole(value: unknown): value is AccessRole {
  return value === ACCESS_ROLE.edit || value === ACCESS_ROLE.view || value === ACCESS_ROLE.admin;
}

/**
 * The admin role opens every room and the admin API, so a grant naming one room with it is a
 * mistake (or a forgery attempt): refused when signing and when verifying. Null when `grant` is fine.
 */
export function grantProblem(grant: Pick<AccessGrant, 'room' | 'role'>): string | null {
  if (grant.role === ACCESS_ROLE.admin && grant.room !== ROOM_WILDCARD) return `the admin role is only valid with room "${ROOM_WILDCARD}", not "${grant.room}"`;
  return null;
}

/** Makes the token signer/verifier for `secret`; throws ConfigError for a short secret. */
export function createAuth(secret: string): Auth {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`the auth secret must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`);
  }
  const key = new TextEncoder().encode(secret);

  async function verify(token: string): Promise<AccessGrant> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], requiredClaims: ['exp'] }));
    } catch (error) {
      // jose's message says what was wrong (expired, bad signature, not a JWT); no claim is trusted.
      throw new AccessError('unauthorized', `invalid token: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const { room, role, exp } = payload;
    if (typeof room !== 'string' || (room !== ROOM_WILDCARD && !isValidRoomName(room))) {
      throw new AccessError('unauthorized', 'invalid token: the room claim is not a room name or "*"');
    }
    if (!isAccessRole(role)) throw new AccessError('unauthorized', `invalid token: the role claim must be "edit", "view" or "admin"`);
    if (typeof exp !== 'number') throw new AccessError('unauthorized', 'invalid token: no expiry');
    const problem = grantProblem({ room, role });
    if (problem !== null) throw new AccessError('unauthorized', `invalid token: ${problem}`);
    return { room, role, expiresAt: exp };
  }

  return {
    verify,
    async authorize(token, room) {
      if (token === null) throw new AccessError('unauthorized', 'no token');
      const grant = await verify(token);
      if (grant.room !== ROOM_WILDCARD && grant.room !== room) {
        throw new AccessError('forbidden', `the token is for room "${grant.room}", not "${room}"`);
      }
      return grant;
    },
    async sign(grant) {
      const problem = grantProblem(grant);
      if (problem !== null) throw new ConfigError(`cannot sign this token: ${problem}`);
      return new SignJWT({ room: grant.room, role: grant.role })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime(grant.expiresAt)
        .sign(key);
    },
  };
}

/** Where a sync request carried its token; a subprotocol token must be echoed back. */
export interface RequestToken {
  token: string;
  via: 'query' | 'protocol';
}

/**
 * The token of a WebSocket upgrade request: the `token` query parameter, or else the first offered
 * Sec-WebSocket-Protocol value shaped like a JWT (browsers cannot set headers on a WebSocket,
 * but they can offer subprotocols, and unlike the URL those stay out of proxy access logs).
 */
export function tokenFromUpgrade(req: IncomingMessage, url: URL): RequestToken | null {
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery) return { token: fromQuery, via: 'query' };
  const offered = req.headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return null;
  for (const protocol of offered.split(',')) {
    const candidate = protocol.trim();
    if (JWT_SHAPE.test(candidate)) return { token: candidate, via: 'protocol' };
  }
  return null;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Parses a duration like `90s`, `15m`, `12h`, `7d` (or plain seconds) into seconds; null if invalid. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return null;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}
