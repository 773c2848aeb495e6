/**
 * Who may call which API endpoint. The whole matrix, stated once:
 *
 *                       no auth secret                      auth secret
 *   view, edit          open to anyone (as the rooms are)   a JWT for the room (or "*") whose role
 *                                                           is at least the one needed
 *   admin               off (404, saying how to enable it)  an admin JWT (room "*"),
 *                       unless --admin-token is set: then   or the admin token if one is set
 *                       `Authorization: Bearer <admin token>`
 *
 * Roles nest: admin ⊃ edit ⊃ view. An admin JWT is also valid on the sync socket of every room
 * (server/auth.ts accepts it there, and rooms treat every role but view as edit). The static admin
 * token is for the API only: it is not a JWT and never opens a socket.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ACCESS_ROLE, type AccessRole } from '../../shared/protocol.ts';
import { bearerToken, type Auth } from '../auth.ts';
import { AccessError, EaselError } from '../errors.ts';

/** What an endpoint needs: nothing, or at least this role. */
export type AccessNeed = 'none' | AccessRole;

/** The admin API is switched off on this server (no auth secret, no admin token): HTTP 404. */
export class AdminDisabledError extends EaselError {
  readonly httpStatus = 404;
  constructor() {
    super(
      'admin_disabled',
      'The admin API is off: this server has no auth secret, so anyone could list, download and delete every board. ' +
        'Start it with --admin-token <token> (ADMIN_TOKEN), or with --auth-secret and an admin token from `npm run token -- --room "*" --role admin`.',
    );
  }
}

/** Who a request turned out to be, once allowed. */
export interface Caller {
  /** The role the request holds (edit for anyone on an open server). */
  role: AccessRole;
  /** For logs and version editors: how the caller proved it ("open", "jwt", "admin-token"). */
  via: 'open' | 'jwt' | 'admin-token';
}

export interface AccessPolicy {
  /**
   * Allows `req` to do what needs `need` on `room` (null for endpoints about no one room), or
   * throws AccessError (401/403) or AdminDisabledError (404).
   */
  check(req: IncomingMessage, need: AccessNeed, room: string | null): Promise<Caller>;
}

const RANK: Record<AccessRole, number> = { [ACCESS_ROLE.view]: 0, [ACCESS_ROLE.edit]: 1, [ACCESS_ROLE.admin]: 2 };

/** Whether a holder of `role` may do what needs `need`. */
export function roleAllows(role: AccessRole, need: AccessNeed): boolean {
  return need === 'none' || RANK[role] >= RANK[need];
}

/**
 * Compares in constant time: both sides are hashed first so neither the content nor the length of
 * the admin token leaks through how long a wrong guess takes.
 */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The policy of a server: `auth` null without an auth secret, `adminToken` null without one. */
export function createAccessPolicy(auth: Auth | null, adminToken: string | null): AccessPolicy {
  return {
    async check(req, need, room) {
      if (need === 'none') return { role: ACCESS_ROLE.view, via: 'open' };
      const token = bearerToken(req);
      if (adminToken !== null && token !== null && sameSecret(token, adminToken)) return { role: ACCESS_ROLE.admin, via: 'admin-token' };
      if (auth === null) {
        if (need !== ACCESS_ROLE.admin) return { role: ACCESS_ROLE.edit, via: 'open' };
        if (adminToken === null) throw new AdminDisabledError();
        throw new AccessError('unauthorized', token === null ? 'the admin API needs Authorization: Bearer <admin token>' : 'wrong admin token');
      }
      if (token === null) throw new AccessError('unauthorized', 'no token: send Authorization: Bearer <token>');
      const grant = room === null ? await auth.verify(token) : await auth.authorize(token, room);
      if (!roleAllows(grant.role, need)) throw new AccessError('forbidden', `this needs the ${need} role; the token has ${grant.role}`);
      return { role: grant.role, via: 'jwt' };
    },
  };
}
