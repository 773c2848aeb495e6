/**
 * The OpenAPI 3.1 document of the API, generated from the route table (routes.ts) so every routed
 * endpoint is documented and nothing undocumented is routed. The schemas mirror shared/api.ts.
 */
import { BOARD_FILE_TYPE, BOARD_FILE_VERSION, MAX_BOARD_FILE_BYTES } from '../../shared/board-file.ts';
import { CAPTURE_REASONS, VERSION_REASONS } from '../../shared/api.ts';
import { ROOM_NAME_PATTERN } from '../../shared/protocol.ts';
import { ASSET_ERROR, ASSET_ID_PATTERN, ASSET_TYPES } from '../../shared/assets.ts';
import { MAX_CAPTURE_REQUEST_BYTES, type BodyKind, type Route } from './routes.ts';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const isoTime: Json = { type: 'string', format: 'date-time' };

const SCHEMAS: Record<string, Json> = {
  ApiError: {
    type: 'object',
    required: ['error', 'message'],
    properties: { error: { type: 'string', description: 'A stable code' }, message: { type: 'string', description: 'What went wrong, in words' } },
  },
  VersionInfo: {
    type: 'object',
    required: ['id', 'at', 'reason', 'editors', 'shapes', 'bytes'],
    properties: {
      id: { type: 'string', description: 'Opaque, URL-safe; sorts by time as a string' },
      at: isoTime,
      reason: { type: 'string', enum: [...VERSION_REASONS] },
      editors: { type: 'array', items: { type: 'string' }, description: 'Who edited since the version before' },
      shapes: { type: 'integer', minimum: 0 },
      bytes: { type: 'integer', minimum: 0 },
    },
  },
  BoardSummary: {
    type: 'object',
    required: ['room', 'title', 'updatedAt', 'shapes', 'bytes', 'versions', 'deletedAt'],
    properties: {
      room: { type: 'string' },
      title: { type: 'string' },
      updatedAt: { oneOf: [isoTime, { type: 'null' }], description: 'When it last changed; null when nothing recorded it' },
      shapes: { type: 'integer', minimum: 0 },
      bytes: { type: 'integer', minimum: 0 },
      versions: { type: 'integer', minimum: 0 },
      deletedAt: { oneOf: [isoTime, { type: 'null' }], description: 'When deleted (restorable until purged); null while live' },
    },
  },
  BoardListResponse: { type: 'object', required: ['boards'], properties: { boards: { type: 'array', items: ref('BoardSummary') } } },
  VersionListResponse: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: ref('VersionInfo') } } },
  VersionResponse: { type: 'object', required: ['version'], properties: { version: ref('VersionInfo') } },
  CaptureVersionRequest: {
    type: 'object',
    properties: { reason: { type: 'string', enum: [...CAPTURE_REASONS], default: 'manual', description: 'Why the version is asked for' } },
  },
  RepairResponse: {
    type: 'object',
    required: ['removed'],
    properties: {
      removed: {
        type: 'array',
        items: { type: 'object', required: ['id', 'reason'], properties: { id: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
  },
  RestoreBackupResponse: {
    type: 'object',
    required: ['boards', 'versions', 'assets'],
    properties: { boards: { type: 'integer' }, versions: { type: 'integer' }, assets: { type: 'integer' } },
  },
  AssetUploadResponse: {
    type: 'object',
    required: ['id', 'type', 'bytes'],
    properties: {
      id: { type: 'string', pattern: ASSET_ID_PATTERN.source, description: 'The SHA-256 of the bytes, lowercase hex' },
      type: { type: 'string', enum: [...ASSET_TYPES], description: 'The type sniffed from the bytes' },
      bytes: { type: 'integer', minimum: 0, description: 'The size stored' },
    },
  },
  ShareResponse: {
    type: 'object',
    required: ['token', 'role', 'expiresAt'],
    properties: { token: { type: 'string' }, role: { const: 'view' }, expiresAt: isoTime },
  },
  BoardFile: {
    type: 'object',
    description: `The client's JSON export format; at most ${MAX_BOARD_FILE_BYTES} bytes. Every shape passes the schema gate or the file is refused whole.`,
    required: ['type', 'version', 'shapes'],
    properties: {
      type: { const: BOARD_FILE_TYPE },
      version: { type: 'integer', minimum: 1, maximum: BOARD_FILE_VERSION },
      schemaVersion: { type: 'integer' },
      title: { type: 'string' },
      shapes: {
        type: 'array',
        items: { type: 'object', required: ['id', 'type', 'index'], properties: { id: { type: 'string' }, type: { type: 'string' }, index: { type: 'string' } } },
      },
    },
  },
};

/** The media type and schema of a body. */
function content(kind: BodyKind): Json {
  switch (kind) {
    case 'boardFile':
      return { 'application/json': { schema: ref('BoardFile') } };
    case 'backup':
      return {
        'application/x-ndjson': {
          schema: {
            type: 'string',
            description:
              'JSON lines: first {"type":"easel/backup","version":1}, then one line per board: ' +
              '{"room","board" (its record),"state" (base64 Yjs update),"versions":[{"info","state"}],"assets":[{"id","contentType","data" (base64)}]}',
          },
        },
      };
    case 'boardState':
      return {
        'application/octet-stream': {
          schema: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The board’s Yjs document as one update, encoding V1' },
        },
      };
    case 'openapi':
      return { 'application/json': { schema: { type: 'object', description: 'This document' } } };
    case 'asset': {
      // Raw bytes. A request may say any type (application/octet-stream will do): the server reads the type from the bytes.
      const binary = { schema: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The file’s bytes' } };
      return Object.fromEntries([...ASSET_TYPES, 'application/octet-stream'].map((type) => [type, binary]));
    }
    default:
      return { 'application/json': { schema: ref(kind) } };
  }
}

const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: ref('ApiError') } } });

function operation(route: Route): Json {
  const parameters: Json[] = [];
  if (route.path.includes('{room}')) {
    parameters.push({ name: 'room', in: 'path', required: true, schema: { type: 'string', pattern: ROOM_NAME_PATTERN.source } });
  }
  const assetPath = route.path.includes('/assets/{id}');
  if (assetPath) {
    parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: ASSET_ID_PATTERN.source }, description: 'An asset id: the SHA-256 of the file, lowercase hex' });
  } else if (route.path.includes('{id}')) {
    parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'A version id' });
  }
  const responses: Json = { [String(route.status)]: { description: 'OK', content: content(route.response) } };
  if (route.response === 'boardState') responses['204'] = { description: 'A board never written: nothing to start from yet (no body)' };
  if (route.access !== 'none') {
    responses['401'] = errorResponse('No usable token (WWW-Authenticate: Bearer)');
    responses['403'] = errorResponse('A valid token that does not allow this');
  }
  if (route.access === 'admin') responses['404'] = errorResponse('No such board, or the admin API is off (no auth secret and no admin token)');
  else if (assetPath) responses['404'] = errorResponse('No such file in this room (a file belongs to the room it was uploaded to), a deleted board, or an invalid room name or id');
  else if (route.path.includes('{room}')) responses['404'] = errorResponse('No such board or version, or an invalid room name');
  if (route.request !== undefined) {
    responses['400'] = errorResponse('The body is refused (malformed JSON, a shape the schema gate refuses, a broken backup)');
    if (route.request === 'boardFile') responses['413'] = errorResponse(`The body is larger than ${MAX_BOARD_FILE_BYTES} bytes`);
    if (route.request === 'CaptureVersionRequest') responses['413'] = errorResponse(`The body is larger than ${MAX_CAPTURE_REQUEST_BYTES} bytes`);
  }
  if (route.request === 'asset') {
    responses['400'] = errorResponse(`${ASSET_ERROR.hashMismatch}: the SHA-256 of the body is not the id`);
    responses['413'] = errorResponse(`${ASSET_ERROR.assetTooLarge}: over the server’s largest file (--max-asset-bytes); ${ASSET_ERROR.roomQuotaExceeded}: the room’s files would pass its total (--max-room-asset-bytes)`);
    responses['415'] = errorResponse(`${ASSET_ERROR.unsupportedType}: the bytes are not PNG, JPEG, GIF or WebP, whatever the request says`);
    responses['429'] = errorResponse(`${ASSET_ERROR.rateLimited}: this address uploaded too much too fast (--upload-bytes-per-ip); Retry-After says when to try again`);
  }
  if (route.response === 'asset') responses['304'] = { description: 'Not modified: If-None-Match named the ETag (the id)' };
  return {
    operationId: route.operationId,
    summary: route.summary,
    'x-easel-access': route.access,
    ...(route.access === 'none' ? { security: [] } : { security: [{ bearer: [] }] }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.request !== undefined && { requestBody: { required: route.requestOptional !== true, content: content(route.request) } }),
    responses,
  };
}

/** The OpenAPI 3.1 document of `routes`. */
export function buildOpenApiDocument(routes: readonly Route[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Easel API',
      version: '1',
      description:
        'Boards, versions and backups of an Easel server. Roles nest: admin ⊃ edit ⊃ view (x-easel-access on each operation). ' +
        'Without an auth secret view and edit are open and admin operations answer 404 unless the server has an admin token; ' +
        'with one, send a token from `npm run token` as Authorization: Bearer.',
    },
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access JWT (npm run token) or the server’s admin token' } },
    },
  };
}
