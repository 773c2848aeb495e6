import { VERSION_REASONS, versionApiPath, versionsApiPath, type CaptureReason, type CaptureVersionRequest, type VersionInfo } from '../../shared/api.ts';
import { readBoardFile, type BoardFileData } from '../../shared/board-file.ts';
import { authHeaders } from './access-token.ts';

/** How to reach the versions API: the page's room and the link's token (null for none). */
export interface VersionsApiRequest {
  room: string;
  token: string | null;
  fetch: typeof fetch;
}

/** The versions of a board, newest first, or why there are none to show; `message` is for people. */
export type VersionListResult =
  | { kind: 'versions'; versions: VersionInfo[] }
  /** The server keeps no history (an older server, or history turned off). */
  | { kind: 'no-history'; message: string }
  | { kind: 'error'; message: string };

/** One version's board, or why it could not be had. */
export type VersionBoardResult = { kind: 'board'; board: BoardFileData } | { kind: 'error'; message: string };

/** A version the server took on request, or why it did not. */
export type CaptureResult = { kind: 'captured'; version: VersionInfo } | { kind: 'error'; message: string };

/** Checks one listed version; the server is another program, so nothing is taken on trust. */
export function readVersionInfo(value: unknown): VersionInfo | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, at, reason, editors, shapes, bytes } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
  if (!(VERSION_REASONS as readonly unknown[]).includes(reason)) return null;
  if (!Array.isArray(editors) || !editors.every((name) => typeof name === 'string')) return null;
  if (typeof shapes !== 'number' || !Number.isFinite(shapes) || typeof bytes !== 'number' || !Number.isFinite(bytes)) return null;
  return { id, at, reason: reason as VersionInfo['reason'], editors: editors as string[], shapes, bytes };
}


async function errorMessage(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json();
    const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : null;
  } catch {
    return null;
  }
}

/** What a refused request means to the person looking at the History panel. */
async function refusal(response: Response, what: string): Promise<string> {
  const server = await errorMessage(response);
  const detail = server === null ? '' : ` (${server})`;
  if (response.status === 401) return `The server did not accept this link’s access token, so it will not show ${what}. Open the board with a fresh link${detail}.`;
  if (response.status === 403) return `This link may not see ${what}${detail}.`;
  return `The server could not show ${what} (HTTP ${response.status}${server === null ? '' : `: ${server}`}).`;
}

const unreachable = (error: unknown): string => `Could not reach the server (${(error as Error).message}): history needs a connection. Try again once online.`;

/**
 * Lists the board's versions (GET versionsApiPath, with the link's token as a bearer token),
 * newest first. Never throws: a failed request is a result saying what happened. Entries that do
 * not read as versions are left out (and logged), not a reason to show none.
 */
export async function fetchVersions(request: VersionsApiRequest): Promise<VersionListResult> {
  let response: Response;
  try {
    response = await request.fetch(versionsApiPath(request.room), { headers: authHeaders(request.token) });
  } catch (error) {
    return { kind: 'error', message: unreachable(error) };
  }
  if (response.status === 404) return { kind: 'no-history', message: 'This server keeps no history for this board.' };
  if (!response.ok) return { kind: 'error', message: await refusal(response, 'this board’s history') };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { kind: 'error', message: 'The server’s answer about this board’s history was not readable.' };
  }
  const list = typeof body === 'object' && body !== null ? (body as { versions?: unknown }).versions : undefined;
  if (!Array.isArray(list)) return { kind: 'error', message: 'The server’s answer about this board’s history was not readable.' };
  const versions: VersionInfo[] = [];
  for (const entry of list) {
    const version = readVersionInfo(entry);
    if (version === null) console.warn('easel: skipping a version the server listed that does not read as one', entry);
    else versions.push(version);
  }
  versions.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
  return { kind: 'versions', versions };
}

/** Fetches one version's board file (GET versionApiPath) through the board file's gate. Never throws. */
export async function fetchVersionBoard(request: VersionsApiRequest, id: string): Promise<VersionBoardResult> {
  let response: Response;
  try {
    response = await request.fetch(versionApiPath(request.room, id), { headers: authHeaders(request.token) });
  } catch (error) {
    return { kind: 'error', message: unreachable(error) };
  }
  if (response.status === 404) return { kind: 'error', message: 'This version is no longer kept on the server.' };
  if (!response.ok) return { kind: 'error', message: await refusal(response, 'this version') };
  try {
    return { kind: 'board', board: readBoardFile(await response.text()) };
  } catch (error) {
    return { kind: 'error', message: `The server sent this version in a form this page cannot read: ${(error as Error).message}.` };
  }
}

/**
 * Asks the server to take a version of the board now (POST versionsApiPath): the browser's
 * Restore is its own edit, which the server cannot see coming, so it asks first and restores
 * only once the board as it was is kept. Never throws.
 */
export async function captureVersion(request: VersionsApiRequest, reason: CaptureReason): Promise<CaptureResult> {
  let response: Response;
  try {
    const body: CaptureVersionRequest = { reason };
    response = await request.fetch(versionsApiPath(request.room), {
      method: 'POST',
      headers: { ...authHeaders(request.token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return { kind: 'error', message: unreachable(error) };
  }
  if (!response.ok) {
    const server = await errorMessage(response);
    const why = response.status === 401 || response.status === 403 ? 'this link may not change the board' : `HTTP ${response.status}`;
    return { kind: 'error', message: `The server did not keep a version of the board as it is (${why}${server === null ? '' : `: ${server}`}), so nothing was restored.` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { kind: 'error', message: 'The server’s answer about the version it kept was not readable.' };
  }
  const version = readVersionInfo(typeof body === 'object' && body !== null ? (body as { version?: unknown }).version : undefined);
  return version === null ? { kind: 'error', message: 'The server’s answer about the version it kept was not readable.' } : { kind: 'captured', version };
}
