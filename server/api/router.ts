/**
 * The HTTP API: matches a request against the route table, checks access through the policy,
 * calls the BoardService and answers JSON. Every refusal is answered as `{ error, message }` with
 * its status and logged here, once:
 *
 *   unknown path, invalid room name, missing board or version, admin API off   404
 *   wrong method                                                               405 (with Allow)
 *   board file or backup the gate refuses, malformed JSON                      400
 *   body over the board file limit                                             413
 *   no usable token / a token that does not allow it                           401 (WWW-Authenticate) / 403
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { MAX_BOARD_FILE_BYTES, BoardFileError, readBoardFile, serializeBoard, type BoardFileData } from '../../shared/board-file.ts';
import { CAPTURE_REASONS, type ApiErrorBody, type BoardListResponse, type CaptureReason, type VersionListResponse, type VersionResponse } from '../../shared/api.ts';
import { isValidRoomName } from '../../shared/protocol.ts';
import type { BoardService, VersionCapture } from '../boards/board-service.ts';
import { AccessError, EaselError } from '../errors.ts';
import { sendJson, type ShareHandler } from '../share.ts';
import type { AccessPolicy, Caller } from './access-policy.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { editorName, readBody, RequestError } from './request.ts';
import { MAX_CAPTURE_REQUEST_BYTES, ROUTES, matchPath, type OperationId, type Route } from './routes.ts';

export interface ApiHandlerOptions {
  service: BoardService & VersionCapture;
  policy: AccessPolicy;
  share: ShareHandler;
  logger: Logger;
}

/** What a handler gets: the request, its decoded path parameters and who is calling. */
interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  room: string;
  id: string;
  caller: Caller;
}

type Handler = (call: Call) => Promise<void>;

/**
 * The reason of a capture request (CaptureVersionRequest): an empty body is 'manual'; anything
 * but a JSON object with no reason or a known one is refused with 400 before a version is taken.
 */
function readCaptureReason(text: string): CaptureReason {
  if (text.trim() === '') return 'manual';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'bad_request', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(400, 'bad_request', 'the body must be a JSON object');
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined) return 'manual';
  if (!(CAPTURE_REASONS as readonly unknown[]).includes(reason)) throw new RequestError(400, 'bad_request', `reason must be one of ${CAPTURE_REASONS.join(', ')}`);
  return reason as CaptureReason;
}

/** The status an error is answered with, or null for an unexpected one (500). */
function statusOf(error: unknown): number | null {
  if (error instanceof BoardFileError) return 400;
  if (error instanceof EaselError && 'httpStatus' in error && typeof error.httpStatus === 'number') return error.httpStatus;
  return null;
}

function sendBoardFile(res: ServerResponse, file: BoardFileData): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(serializeBoard(file.shapes, file.title));
}

/** Builds the handler of every request under API_BASE. */
export function createApiHandler(options: ApiHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { service, policy, logger } = options;
  const openapi = JSON.stringify(buildOpenApiDocument(ROUTES));
  const editor = (call: Call): string => editorName(call.req, `api (${call.caller.via === 'jwt' ? `${call.caller.role} token` : call.caller.via})`);

  const handlers: Record<OperationId, Handler> = {
    async listBoards({ res }) {
      const body: BoardListResponse = { boards: await service.listBoards() };
      sendJson(res, 200, body);
    },
    async getBoard({ res, room }) {
      sendBoardFile(res, await service.getBoard(room));
    },
    async replaceBoard(call) {
      const file = readBoardFile(await readBody(call.req, MAX_BOARD_FILE_BYTES));
      const body: VersionResponse = { version: await service.replaceBoard(call.room, file, editor(call)) };
      sendJson(call.res, 200, body);
    },
    async deleteBoard({ res, room }) {
      sendJson(res, 200, await service.deleteBoard(room));
    },
    async undeleteBoard({ res, room }) {
      sendJson(res, 200, await service.undeleteBoard(room));
    },
    async repairBoard({ res, room }) {
      sendJson(res, 200, await service.repairBoard(room));
    },
    async shareBoard({ req, res, room }) {
      await options.share(req, res, room);
    },
    async listVersions({ res, room }) {
      const body: VersionListResponse = { versions: await service.listVersions(room) };
      sendJson(res, 200, body);
    },
    async captureVersion(call) {
      const reason = readCaptureReason(await readBody(call.req, MAX_CAPTURE_REQUEST_BYTES));
      const body: VersionResponse = { version: await service.captureVersion(call.room, reason, editor(call)) };
      sendJson(call.res, 200, body);
    },
    async getVersion({ res, room, id }) {
      sendBoardFile(res, await service.getVersion(room, id));
    },
    async restoreVersion(call) {
      const body: VersionResponse = { version: await service.restoreVersion(call.room, call.id, editor(call)) };
      sendJson(call.res, 200, body);
    },
    async backup({ res }) {
      // Headers set, not written: they go with the first line, so a backup that fails before it
      // starts is still answered with a JSON error; one that fails later can only be cut off.
      res.statusCode = 200;
      res.setHeader('content-type', 'application/x-ndjson');
      res.setHeader('cache-control', 'no-store');
      await service.backup(res);
      res.end();
    },
    async restoreBackup({ req, res }) {
      sendJson(res, 200, await service.restoreBackup(req));
    },
    async openapi({ res }) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(openapi);
    },
  };

  /** The route for this method and path, or the RequestError it earns. */
  function resolve(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    const allowed: string[] = [];
    for (const route of ROUTES) {
      const params = matchPath(route.path, pathname);
      if (params === 'undecodable') throw new RequestError(404, 'not_found', 'the path does not decode');
      if (params === null) continue;
      if (params.room !== undefined && !isValidRoomName(params.room)) {
        throw new RequestError(404, 'not_found', 'invalid room name: 1 to 128 characters of A-Z a-z 0-9 _ . -');
      }
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) throw new RequestError(405, 'method_not_allowed', `use ${allowed.join(' or ')}`, allowed);
    throw new RequestError(404, 'not_found', 'no such endpoint');
  }

  function refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const status = statusOf(error);
    const route = { method: req.method, url: req.url };
    if (status === null) {
      logger.error({ ...route, err: error }, 'api request failed');
      if (res.headersSent) {
        // A stream (a backup) broke off after its status went: all the client can see is the cut.
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      sendJson(res, 500, { error: 'internal', message: 'the server failed; see its log' } satisfies ApiErrorBody);
      return;
    }
    const { code, message } = error as { code: string; message: string };
    logger.info({ ...route, status, code, reason: message }, 'api request refused');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof AccessError && error.httpStatus === 401) res.setHeader('www-authenticate', 'Bearer');
    if (error instanceof RequestError && error.httpStatus === 405) res.setHeader('allow', error.allow.join(', '));
    // A body refused unread (too large, or before access was granted) is not read to its end:
    // the connection closes after the answer instead.
    const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.readableEnded) res.setHeader('connection', 'close');
    else req.resume();
    sendJson(res, status, { error: code, message } satisfies ApiErrorBody);
  }

  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const { route, params } = resolve(req.method ?? 'GET', url.pathname);
      const room = params.room ?? '';
      const caller = await policy.check(req, route.access, params.room ?? null);
      // Bodies are read by the handlers that take one; any other is drained so the connection can be reused.
      if (route.request === undefined) req.resume();
      await handlers[route.operationId]({ req, res, room, id: params.id ?? '', caller });
    } catch (error) {
      refuse(req, res, error);
    }
  };
}
