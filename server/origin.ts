/**
 * Which web pages may open a sync socket. Browsers always send Origin on a WebSocket upgrade,
 * and cookies or not, a page on another site must not be able to drive a user's board; clients
 * that are not browsers send no Origin and are let through (a token, if configured, still gates
 * them).
 */
import type { IncomingMessage } from 'node:http';

export interface OriginPolicy {
  /** True if the upgrade request may proceed. */
  allows(req: IncomingMessage): boolean;
}

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `scheme://host[:port]` in lower case, or null if `value` is not an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin.toLowerCase();
}

/**
 * `allowed` null: the default, the server's own origin (same host as the request's Host header)
 * and localhost on any port. Otherwise the server's own origin and exactly the listed origins;
 * `*` allows every origin.
 */
export function createOriginPolicy(allowed: readonly string[] | null): OriginPolicy {
  const list = new Set((allowed ?? []).map((origin) => (origin === '*' ? '*' : normalizeOrigin(origin))).filter((o) => o !== null));
  return {
    allows(req) {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      if (list.has('*')) return true;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false; // "null" (sandboxed frames, file://) and garbage.
      }
      // The page this server itself serves: its host is the one the request was sent to.
      const host = req.headers.host?.toLowerCase();
      if (host !== undefined && url.host.toLowerCase() === host) return true;
      if (allowed === null) return LOCAL_HOSTNAMES.has(url.hostname.toLowerCase());
      return list.has(url.origin.toLowerCase());
    },
  };
}
