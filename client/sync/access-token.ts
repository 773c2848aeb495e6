import { ACCESS_ROLE, TOKEN_PARAM, type AccessRole } from '../../shared/protocol.ts';

/**
 * The access token a board link carries in its fragment (`/b/<room>#token=<jwt>`), or null. The
 * fragment never reaches the server's logs; the client hands the token to the sync socket itself.
 */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get(TOKEN_PARAM);
  return token === null || token === '' ? null : token;
}

/** The headers that present a link's token to the HTTP API (none without one), as the socket presents it. */
export function authHeaders(token: string | null): Record<string, string> {
  return token === null ? {} : { authorization: `Bearer ${token}` };
}

/**
 * The `role` claim of a JWT, read without checking its signature: only the UI uses it (to show a
 * read-only board at once, before any write is tried); the server verifies every token and
 * enforces the role. Anything that is not a three-part token with a JSON payload naming a known
 * role reads as null (unknown), never as an error.
 */
export function tokenRole(token: string | null): AccessRole | null {
  if (token === null) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) return null;
  try {
    const base64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof payload !== 'object' || payload === null) return null;
    const role = (payload as { role?: unknown }).role;
    return role === ACCESS_ROLE.edit || role === ACCESS_ROLE.view ? role : null;
  } catch {
    // Not base64 or not JSON: a token this client cannot read, which the server will judge.
    return null;
  }
}
