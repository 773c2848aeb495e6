import { TOKEN_PARAM } from '../../shared/protocol.ts';

/**
 * The access token a board link carries in its fragment (`/b/<room>#token=<jwt>`), or null. The
 * fragment never reaches the server's logs; the client hands the token to the sync socket itself.
 */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get(TOKEN_PARAM);
  return token === null || token === '' ? null : token;
}
