/**
 * Named errors of the server. Each carries a stable `code` for logs and metrics; a ProtocolError
 * also carries the WebSocket close code its connection is closed with.
 */
import { CLOSE_CODE, type CloseCode } from '../shared/protocol.ts';

/** Base class: a stable machine-readable code beside the message. */
export class EaselError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A client sent something the protocol does not allow; its connection is closed with `closeCode`. */
export class ProtocolError extends EaselError {
  readonly closeCode: CloseCode;
  constructor(closeCode: CloseCode, message: string, options?: { cause?: unknown }) {
    super('protocol_error', message, options);
    this.closeCode = closeCode;
  }
}

/** The store could not read or write; the room stops relaying rather than lose data. */
export class StorageError extends EaselError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('storage_error', message, options);
  }
}

/** Bad command-line flags or environment. */
export class ConfigError extends EaselError {
  constructor(message: string) {
    super('config_error', message);
  }
}

/**
 * A client may not open this connection or call this endpoint: 401/4401 (no usable token) or
 * 403/4403 (a valid token that does not allow it).
 */
export class AccessError extends EaselError {
  readonly closeCode: typeof CLOSE_CODE.unauthorized | typeof CLOSE_CODE.forbidden;
  readonly httpStatus: 401 | 403;
  constructor(kind: 'unauthorized' | 'forbidden', message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
    this.closeCode = kind === 'unauthorized' ? CLOSE_CODE.unauthorized : CLOSE_CODE.forbidden;
    this.httpStatus = kind === 'unauthorized' ? 401 : 403;
  }
}

/** A configured limit refused a client; its connection is closed with `closeCode`. */
export class LimitError extends EaselError {
  readonly closeCode: CloseCode;
  constructor(closeCode: CloseCode, message: string) {
    super('limit_exceeded', message);
    this.closeCode = closeCode;
  }
}

/**
 * A compaction could not build its snapshot (an entry that does not decode, a crashed worker).
 * Nothing was written: the log stays as it was, complete, just longer.
 */
export class SnapshotError extends EaselError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('snapshot_error', message, options);
  }
}

/** A board or version that does not exist (or a deleted board where a live one is needed): HTTP 404. */
export class NotFoundError extends EaselError {
  readonly httpStatus = 404;
  constructor(message: string) {
    super('not_found', message);
  }
}

/**
 * A data folder the CLI cannot work on: `data_locked` (a running server holds it), `data_missing`
 * (no such folder), `not_a_data_folder` (a folder with no LevelDB database in it).
 */
export class DataFolderError extends EaselError {
  constructor(code: 'data_locked' | 'data_missing' | 'not_a_data_folder', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A sync connection to a board that was deleted: closed with 4410 (it can be undeleted until purged). */
export class BoardDeletedError extends EaselError {
  readonly closeCode = CLOSE_CODE.boardDeleted;
  constructor(room: string) {
    super('board_deleted', `board "${room}" was deleted`);
  }
}

/**
 * An asset upload (or a board file's asset) the server refuses, with its HTTP status and one of
 * ASSET_ERROR's codes (shared/assets.ts): 400 hash_mismatch, 413 asset_too_large or
 * room_quota_exceeded, 415 unsupported_type, 429 rate_limited (with the seconds to wait).
 */
export class AssetError extends EaselError {
  readonly httpStatus: 400 | 413 | 415 | 429;
  /** For 429: when to try again, in whole seconds (the Retry-After header). */
  readonly retryAfterSeconds: number | null;
  constructor(httpStatus: 400 | 413 | 415 | 429, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(code, message);
    this.httpStatus = httpStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
