/**
 * The HTTP API's wire contract: paths and JSON bodies both sides agree on. Every path is under
 * PATHS.api; rooms are URL-encoded path segments. Errors are `{ error, message }` (ApiErrorBody).
 *
 *   GET    /api/boards                                   admin   → BoardListResponse
 *   GET    /api/rooms/<room>                             view    → board file (client's JSON export format, with `title`)
 *   GET    /api/rooms/<room>/state                       view    → the board's whole Yjs document as one update (V1, octet-stream):
 *                                                                what is stored, for a page to apply before its socket syncs;
 *                                                                204 for a board never written
 *   PUT    /api/rooms/<room>                             edit    board file → VersionResponse (the version saved before the import)
 *   DELETE /api/rooms/<room>                             admin   → BoardSummary (clients closed with CLOSE_CODE.boardDeleted)
 *   POST   /api/rooms/<room>/undelete                    admin   → BoardSummary
 *   POST   /api/rooms/<room>/repair                      admin   → RepairResponse
 *   GET    /api/rooms/<room>/versions                    view    → VersionListResponse
 *   POST   /api/rooms/<room>/versions                    edit    [CaptureVersionRequest] → VersionResponse (a version taken now;
 *                                                                reason 'restore' when a browser is about to restore, else 'manual')
 *   GET    /api/rooms/<room>/versions/<id>               view    → board file of that version
 *   POST   /api/rooms/<room>/versions/<id>/restore       edit    → VersionResponse (the version saved before the restore)
 *   PUT    /api/rooms/<room>/assets/<sha256>             edit    raw image bytes → AssetUploadResponse (shared/assets.ts)
 *   GET    /api/rooms/<room>/assets/<sha256>             view    → the image bytes, typed from them (shared/assets.ts)
 *   GET    /api/backup                                   admin   → backup stream (see server docs)
 *   POST   /api/backup                                   admin   backup stream → RestoreBackupResponse
 *   GET    /api/openapi.json                             none    → the OpenAPI 3.1 document of all of the above
 *
 * Roles: admin ⊃ edit ⊃ view. Without an auth secret every room is open (view and edit need no
 * token) and admin endpoints answer 404 unless the server has an admin token.
 */

/** Why a version was taken. */
export const VERSION_REASONS = ['interval', 'idle', 'restore', 'import', 'delete', 'repair', 'manual'] as const;
export type VersionReason = (typeof VERSION_REASONS)[number];

/**
 * The reasons a caller may give when it asks for a version (POST versionsApiPath): 'restore'
 * before the browser's own restore (a local edit the server cannot see coming), 'manual' for any
 * other request. The other reasons are the server's own.
 */
export const CAPTURE_REASONS = ['restore', 'manual'] as const satisfies readonly VersionReason[];
export type CaptureReason = (typeof CAPTURE_REASONS)[number];

/** The body of POST versionsApiPath; optional, and `reason` defaults to 'manual'. */
export interface CaptureVersionRequest {
  reason?: CaptureReason;
}

/** One whole-state version of a board, as listed. */
export interface VersionInfo {
  /** Opaque, URL-safe; sorts by time as a string. */
  id: string;
  /** When it was taken, ISO 8601. */
  at: string;
  reason: VersionReason;
  /** Presence names of who edited since the version before (distinct, first edit first). */
  editors: string[];
  /** Shapes in the version, and the bytes of its stored state. */
  shapes: number;
  bytes: number;
}

/** One board, as the board list shows it. */
export interface BoardSummary {
  room: string;
  title: string;
  /**
   * When it last changed, ISO 8601; null when nothing recorded it (a board written before the
   * board index, with no versions either): unknown, not "now".
   */
  updatedAt: string | null;
  shapes: number;
  bytes: number;
  versions: number;
  /** ISO 8601 when deleted (restorable until purged), null while live. */
  deletedAt: string | null;
}

export interface BoardListResponse {
  boards: BoardSummary[];
}
export interface VersionListResponse {
  versions: VersionInfo[];
}
export interface VersionResponse {
  version: VersionInfo;
}
export interface RepairResponse {
  /** The records removed: shape id (or key) and why the schema gate refused it. */
  removed: Array<{ id: string; reason: string }>;
}
export interface RestoreBackupResponse {
  boards: number;
  versions: number;
  assets: number;
}
export interface ApiErrorBody {
  error: string;
  message: string;
}

export const API_BASE = '/api';

export function roomApiPath(room: string): string {
  return `${API_BASE}/rooms/${encodeURIComponent(room)}`;
}
/** The board's whole stored Yjs document as one update (Y.applyUpdate it into an empty doc). */
export function boardStateApiPath(room: string): string {
  return `${roomApiPath(room)}/state`;
}
export function versionsApiPath(room: string): string {
  return `${roomApiPath(room)}/versions`;
}
export function versionApiPath(room: string, id: string): string {
  return `${versionsApiPath(room)}/${encodeURIComponent(id)}`;
}
export function restoreApiPath(room: string, id: string): string {
  return `${versionApiPath(room, id)}/restore`;
}
export const BOARDS_API_PATH = `${API_BASE}/boards`;
export const BACKUP_API_PATH = `${API_BASE}/backup`;
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;
export function undeleteApiPath(room: string): string {
  return `${roomApiPath(room)}/undelete`;
}
export function repairApiPath(room: string): string {
  return `${roomApiPath(room)}/repair`;
}
