/**
 * The share API: `POST /api/rooms/<room>/share` with an editor's token (Authorization: Bearer)
 * answers a view token for that room that expires when the editor's does (never later), for a
 * read-only link `/b/<room>#token=<view token>`.
 *
 * Without an auth secret every link can edit, so there is nothing to share: 404 with a JSON error
 * saying read-only links need a secret (404 rather than 409: on such a server the endpoint does
 * not exist, whatever the request).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ACCESS_ROLE, type ShareResponse } from '../shared/protocol.ts';
import { bearerToken, type Auth } from './auth.ts';
import { AccessError } from './errors.ts';

/** The JSON error body of every non-2xx answer of the API. */
export interface ApiError {
  error: string;
  message: string;
}

export function sendJson(res: ServerResponse, status: number, body: ShareResponse | ApiError | object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export type ShareHandler = (req: IncomingMessage, res: ServerResponse, room: string) => Promise<void>;

/** The share endpoint; `auth` null when the server runs without a secret. */
export function createShareHandler(auth: Auth | null, logger: Logger): ShareHandler {
  return async (req, res, room) => {
    // The request body is not used; drain it so the connection can be reused.
    req.resume();
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendJson(res, 405, { error: 'method_not_allowed', message: 'use POST' });
      return;
    }
    if (auth === null) {
      sendJson(res, 404, {
        error: 'sharing_disabled',
        message: 'Read-only links need the server to run with an auth secret (--auth-secret or AUTH_SECRET).',
      });
      return;
    }
    let expiresAt: number;
    try {
      const grant = await auth.authorize(bearerToken(req), room);
      if (grant.role !== ACCESS_ROLE.edit) throw new AccessError('forbidden', 'only an edit token can make a read-only link');
      expiresAt = grant.expiresAt;
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      logger.info({ room, err: error.message }, 'share refused');
      if (error.httpStatus === 401) res.setHeader('www-authenticate', 'Bearer');
      sendJson(res, error.httpStatus, { error: error.code, message: error.message });
      return;
    }
    const token = await auth.sign({ room, role: ACCESS_ROLE.view, expiresAt });
    const body: ShareResponse = { token, role: ACCESS_ROLE.view, expiresAt: new Date(expiresAt * 1000).toISOString() };
    sendJson(res, 200, body);
  };
}
