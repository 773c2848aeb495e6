/**
 * The API's route table: every endpoint of shared/api.ts (plus the share endpoint of
 * shared/protocol.ts) as data. The router dispatches from it and the OpenAPI document is generated
 * from it, so the two cannot drift: a route added here needs a handler (the router's handler map
 * is typed by operation id) and is documented at once.
 */
import { API_BASE, BACKUP_API_PATH, BOARDS_API_PATH, OPENAPI_PATH } from '../../shared/api.ts';
import { SHARE_SEGMENT } from '../../shared/protocol.ts';
import type { AccessNeed } from './access-policy.ts';

/** What a request or response body is, for the OpenAPI document. */
export type BodyKind =
  | 'boardFile'
  | 'boardState'
  | 'asset'
  | 'AssetUploadResponse'
  | 'backup'
  | 'openapi'
  | 'BoardListResponse'
  | 'BoardSummary'
  | 'VersionListResponse'
  | 'VersionResponse'
  | 'CaptureVersionRequest'
  | 'RepairResponse'
  | 'RestoreBackupResponse'
  | 'ShareResponse';

export interface Route {
  /** Unique; names the router's handler and the OpenAPI operation. */
  operationId: OperationId;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /**
   * An OpenAPI path template: `{room}` is a room name, `{id}` a version id, or an asset id under
   * `/assets/` (each one URL-encoded segment).
   */
  path: string;
  access: AccessNeed;
  summary: string;
  request?: BodyKind;
  /** The request body may be left out (documented as not required). */
  requestOptional?: true;
  response: BodyKind;
  /** HTTP status of success. */
  status: 200;
}

const ROOM = `${API_BASE}/rooms/{room}`;

/** Largest body of a capture request: `{"reason":"restore"}` needs a few dozen bytes. */
export const MAX_CAPTURE_REQUEST_BYTES = 1024;

export const OPERATION_IDS = [
  'listBoards',
  'getBoard',
  'getBoardState',
  'replaceBoard',
  'deleteBoard',
  'undeleteBoard',
  'repairBoard',
  'shareBoard',
  'listVersions',
  'captureVersion',
  'getVersion',
  'restoreVersion',
  'uploadAsset',
  'getAsset',
  'backup',
  'restoreBackup',
  'openapi',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];

export const ROUTES: readonly Route[] = [
  { operationId: 'listBoards', method: 'GET', path: BOARDS_API_PATH, access: 'admin', summary: 'Every board the server holds, live and deleted', response: 'BoardListResponse', status: 200 },
  { operationId: 'getBoard', method: 'GET', path: ROOM, access: 'view', summary: 'The board now, as a board file (the client’s JSON export format, with its title)', response: 'boardFile', status: 200 },
  {
    operationId: 'getBoardState',
    method: 'GET',
    path: `${ROOM}/state`,
    access: 'view',
    summary:
      'The board’s whole Yjs document as one update (encoding V1), holding only what is stored: a page applies it to an empty document before its socket syncs, to open faster. 204 with no body for a board never written',
    response: 'boardState',
    status: 200,
  },
  {
    operationId: 'replaceBoard',
    method: 'PUT',
    path: ROOM,
    access: 'edit',
    summary: 'Import: make the board equal to a board file, as a forward edit connected clients see at once, after saving a version of what it was',
    request: 'boardFile',
    response: 'VersionResponse',
    status: 200,
  },
  { operationId: 'deleteBoard', method: 'DELETE', path: ROOM, access: 'admin', summary: 'Delete a board: its clients are closed with code 4410; restorable until purged after the history retention', response: 'BoardSummary', status: 200 },
  { operationId: 'undeleteBoard', method: 'POST', path: `${ROOM}/undelete`, access: 'admin', summary: 'Bring back a deleted board that was not purged yet', response: 'BoardSummary', status: 200 },
  { operationId: 'repairBoard', method: 'POST', path: `${ROOM}/repair`, access: 'admin', summary: 'Remove the stored shape records the schema gate refuses, as a forward edit; answers what went and why', response: 'RepairResponse', status: 200 },
  { operationId: 'shareBoard', method: 'POST', path: `${ROOM}/${SHARE_SEGMENT}`, access: 'edit', summary: 'A view token for a read-only link, expiring with the edit token that asks (needs an auth secret)', response: 'ShareResponse', status: 200 },
  { operationId: 'listVersions', method: 'GET', path: `${ROOM}/versions`, access: 'view', summary: 'The board’s saved versions, oldest first', response: 'VersionListResponse', status: 200 },
  {
    operationId: 'captureVersion',
    method: 'POST',
    path: `${ROOM}/versions`,
    access: 'edit',
    summary:
      'Take a version of the board now, changed or not: a browser asks for one (reason "restore") before it restores a version, which it does as its own edit; "manual" (the default) for any other caller',
    request: 'CaptureVersionRequest',
    requestOptional: true,
    response: 'VersionResponse',
    status: 200,
  },
  { operationId: 'getVersion', method: 'GET', path: `${ROOM}/versions/{id}`, access: 'view', summary: 'One version, as a board file', response: 'boardFile', status: 200 },
  {
    operationId: 'restoreVersion',
    method: 'POST',
    path: `${ROOM}/versions/{id}/restore`,
    access: 'edit',
    summary: 'Make the board equal to a version, as a forward edit, after saving a version of what it was',
    response: 'VersionResponse',
    status: 200,
  },
  {
    operationId: 'uploadAsset',
    method: 'PUT',
    path: `${ROOM}/assets/{id}`,
    access: 'edit',
    summary:
      'Store an image file for the room under the SHA-256 of its bytes (the id): PNG, JPEG, GIF or WebP judged by the bytes themselves; ' +
      'within the largest file, the room’s total and this address’s upload rate; putting a file the room has changes nothing',
    request: 'asset',
    response: 'AssetUploadResponse',
    status: 200,
  },
  {
    operationId: 'getAsset',
    method: 'GET',
    path: `${ROOM}/assets/{id}`,
    access: 'view',
    summary: 'One of the room’s image files, with the type sniffed from its bytes, cached for good (ETag the id, 304 on If-None-Match) and under a CSP that runs nothing',
    response: 'asset',
    status: 200,
  },
  { operationId: 'backup', method: 'GET', path: BACKUP_API_PATH, access: 'admin', summary: 'Every board with its versions and assets, as a backup stream (JSON lines)', response: 'backup', status: 200 },
  { operationId: 'restoreBackup', method: 'POST', path: BACKUP_API_PATH, access: 'admin', summary: 'Store everything in a backup stream; boards already there are replaced', request: 'backup', response: 'RestoreBackupResponse', status: 200 },
  { operationId: 'openapi', method: 'GET', path: OPENAPI_PATH, access: 'none', summary: 'This API as an OpenAPI 3.1 document', response: 'openapi', status: 200 },
];

/** A path's segments against a template's: the decoded parameters, or null if it does not match. */
export function matchPath(template: string, pathname: string): Record<string, string> | null | 'undecodable' {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const pattern = want[i]!;
    const segment = got[i]!;
    if (pattern.startsWith('{') && pattern.endsWith('}')) {
      if (segment === '') return null;
      try {
        params[pattern.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return 'undecodable';
      }
    } else if (pattern !== segment) {
      return null;
    }
  }
  return params;
}
