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
 *   an asset refused (room-assets.ts): hash 400, too large or room quota 413,
 *   not an image 415, this address uploading too fast 429 (Retry-After)
 *
 * An asset is served so that a hostile file can never run in our origin: the type sniffed from
 * its bytes (never one a client declared), nosniff, and a CSP that allows no script at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { MAX_BOARD_FILE_BYTES, BoardFileError, readBoardFile, serializeBoard, type BoardFileData } from '../../shared/board-file.ts';
import { CAPTURE_REASONS, type ApiErrorBody, type BoardListResponse, type CaptureReason, type VersionListResponse, type VersionResponse } from '../../shared/api.ts';
import { ASSET_ERROR, isAssetId, type AssetUploadResponse } from '../../shared/assets.ts';
import { isValidRoomName } from '../../shared/protocol.ts';
import type { BoardAssets, BoardService, BoardStates, VersionCapture } from '../boards/board-service.ts';
import { AccessError, AssetError, EaselError } from '../errors.ts';
import type { AddressRate } from '../limits.ts';
import { assetTooLarge } from '../assets/room-assets.ts';
import { sendJson, type ShareHandler } from '../share.ts';
import type { AccessPolicy, Caller } from './access-policy.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { declaredLength, editorName, readBody, readBodyBytes, RequestError } from './request.ts';
import { MAX_CAPTURE_REQUEST_BYTES, ROUTES, matchPath, type OperationId, type Route } from './routes.ts';

/** How the asset endpoints take and give files. */
export interface UploadOptions {
  /** --max-asset-bytes: a body is not read past it. */
  maxAssetBytes: number;
  /** Uploaded bytes per client address. */
  rate: AddressRate;
  /** The client address an upload counts against (server/limits.ts clientAddress). */
  addressOf(req: IncomingMessage): string;
  /** Cache-Control private (the server has an auth secret) rather than public. */
  privateCache: boolean;
  /** Told how each upload ended: 'stored', 'exists', or the error code (metrics). */
  counted(result: string): void;
}

export interface ApiHandlerOptions {
  service: BoardService & VersionCapture & BoardAssets & BoardStates;
  policy: AccessPolicy;
  share: ShareHandler;
  logger: Logger;
  uploads: UploadOptions;
}

/**
 * Every upload costs at least this many bytes of its address's budget, so a flood of empty or tiny
 * requests is held by the same rate as large ones.
 */
export const MIN_UPLOAD_CHARGE = 4096;

/** An asset's id never names other bytes, so a cached copy is good for a year (the longest HTTP allows). */
const ASSET_MAX_AGE_SECONDS = 31_536_000;

/**
 * The CSP an asset is served with: nothing in it may run or load (an SVG or HTML that slipped past
 * the sniffing would still be inert), images and inline styles only, in a sandbox.
 */
export const ASSET_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

/** Whether an If-None-Match header names the entity tag `etag` (weak or strong) or is `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}

const notAnAssetId = (): RequestError => new RequestError(404, 'not_found', 'an asset id is the SHA-256 of the file: 64 lowercase hex digits');

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
  res.end(serializeBoard(file.shapes, file.title, file.assets ?? []));
}

/** Builds the handler of every request under API_BASE. */
export function createApiHandler(options: ApiHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { service, policy, logger, uploads } = options;
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
    async getBoardState({ res, room }) {
      const state = await service.getBoardState(room);
      // A board never written has nothing to start from yet, which is no error: a new board's
      // page asks this first, and a 404 would be logged by every browser as a failed load.
      if (state === null) {
        res.writeHead(204, { 'cache-control': 'no-store' });
        res.end();
        return;
      }
      // Not compressed here: a reverse proxy can gzip it (it shrinks well), without the CPU going to this process.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store', 'content-length': String(state.byteLength) });
      res.end(state);
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
    async uploadAsset(call) {
      try {
        const result = await upload(call);
        uploads.counted(result.created ? 'stored' : 'exists');
        const body: AssetUploadResponse = { id: result.id, type: result.type, bytes: result.bytes };
        sendJson(call.res, 200, body);
      } catch (error) {
        uploads.counted(error instanceof EaselError ? error.code : 'internal');
        throw error;
      }
    },
    async getAsset({ req, res, room, id }) {
      if (!isAssetId(id)) throw notAnAssetId();
      // Looked up before a 304 too: another room's id is 404 here whatever the client has cached.
      const asset = await service.getAsset(room, id);
      const etag = `"${id}"`;
      const headers = {
        etag,
        'cache-control': `${uploads.privateCache ? 'private' : 'public'}, max-age=${ASSET_MAX_AGE_SECONDS}, immutable`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': ASSET_CSP,
      };
      if (matchesEtag(req.headers['if-none-match'], etag)) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': asset.type, 'content-length': String(asset.bytes.byteLength) });
      res.end(asset.bytes);
    },
    async openapi({ res }) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(openapi);
    },
  };

  /**
   * Takes an upload's body within the limits (size, then this address's byte rate) and stores it.
   * A declared length is judged before a byte is read; a chunked body while and once it is read.
   */
  async function upload({ req, room, id }: Call) {
    if (!isAssetId(id)) throw notAnAssetId();
    const declared = declaredLength(req);
    if (declared !== null && declared > uploads.maxAssetBytes) throw assetTooLarge(uploads.maxAssetBytes, declared);
    const address = uploads.addressOf(req);
    const charge = (bytes: number): void => {
      const waitMs = uploads.rate.take(address, Math.max(MIN_UPLOAD_CHARGE, bytes));
      if (waitMs === 0) return;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new AssetError(429, ASSET_ERROR.rateLimited, `this address has uploaded too much too fast; try again in ${seconds} s`, seconds);
    };
    if (declared !== null) charge(declared);
    const body = await readBodyBytes(req, uploads.maxAssetBytes, () => assetTooLarge(uploads.maxAssetBytes, null));
    if (declared === null) charge(body.byteLength);
    return service.uploadAsset(room, id, new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  }

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
    if (error instanceof AssetError && error.retryAfterSeconds !== null) res.setHeader('retry-after', String(error.retryAfterSeconds));
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
