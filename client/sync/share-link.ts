import { ACCESS_ROLE, TOKEN_PARAM, boardPath, sharePath, type ShareResponse } from '../../shared/protocol.ts';
import { authHeaders } from './access-token.ts';

/** What asking the server for a read-only link came to; `message` is for people. */
export type ShareResult =
  | { kind: 'view-link'; url: string; expiresAt: Date }
  /** The server runs without an auth secret: every link edits, `url` is the plain board link. */
  | { kind: 'sharing-disabled'; url: string }
  | { kind: 'error'; message: string };

export interface ShareRequest {
  /** The page's origin, e.g. https://easel.example. */
  origin: string;
  room: string;
  /** The page's own (edit) token, or null. */
  token: string | null;
  fetch: typeof fetch;
}

/** The board link of `room`, carrying `token` in the fragment when there is one. */
export function boardLink(origin: string, room: string, token: string | null = null): string {
  const url = `${origin}${boardPath(room)}`;
  return token === null ? url : `${url}#${TOKEN_PARAM}=${token}`;
}

function isShareResponse(body: unknown): body is ShareResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { token, role, expiresAt } = body as Record<string, unknown>;
  return typeof token === 'string' && token !== '' && role === ACCESS_ROLE.view && typeof expiresAt === 'string' && !Number.isNaN(Date.parse(expiresAt));
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

const STATUS_MESSAGES: Record<number, string> = {
  401: 'The server did not accept this link’s access token (it may have expired), so it cannot make a read-only link. Open the board with a fresh edit link and try again.',
  403: 'This link’s access token cannot make read-only links: only an edit link for this board can.',
};

/**
 * Asks the share endpoint for a view token (POST with the edit token as a bearer token) and turns
 * the answer into a link. Never throws: a failed request is an `error` result saying what to do.
 */
export async function requestViewLink(request: ShareRequest): Promise<ShareResult> {
  let response: Response;
  try {
    response = await request.fetch(sharePath(request.room), {
      method: 'POST',
      headers: authHeaders(request.token),
    });
  } catch (error) {
    return { kind: 'error', message: `Could not reach the server (${(error as Error).message}). Check the connection and try again.` };
  }
  const body = await readJson(response);
  const code = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (response.status === 404 && code === 'sharing_disabled') return { kind: 'sharing-disabled', url: boardLink(request.origin, request.room) };
  if (response.ok && isShareResponse(body)) {
    return { kind: 'view-link', url: boardLink(request.origin, request.room, body.token), expiresAt: new Date(body.expiresAt) };
  }
  const serverMessage = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : null;
  if (response.status === 401 && request.token === null) {
    return { kind: 'error', message: 'This server only opens boards through access links, and this page has none: open the board with an edit link to make a read-only one.' };
  }
  const known = STATUS_MESSAGES[response.status];
  if (known !== undefined) return { kind: 'error', message: serverMessage === null ? known : `${known} (${serverMessage})` };
  return { kind: 'error', message: `The server could not make a read-only link (HTTP ${response.status}${serverMessage === null ? '' : `: ${serverMessage}`}).` };
}
