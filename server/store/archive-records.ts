/**
 * How an archive's records travel as bytes, and the gate they pass on the way back: every store
 * (LevelDB, Redis) encodes versions' info, board records and assets the same way, so a backup can
 * move them between stores, and a record that does not read back whole is a StorageError naming
 * it rather than a half-filled object.
 *
 * Room names and ids become parts of keys: rooms match ROOM_NAME_PATTERN and ids ARCHIVE_ID_PATTERN,
 * neither of which admits '!', ':', '{', '}' or '~', the separators and range ends the stores use.
 */
import { isValidRoomName } from '../../shared/protocol.ts';
import { VERSION_REASONS, type VersionInfo } from '../../shared/api.ts';
import { StorageError } from '../errors.ts';
import type { BoardRecord, StoredAsset } from './archive.ts';

/** Version and asset ids: URL-safe, and never a key separator. */
export const ARCHIVE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** Throws a TypeError for a room name a store must never see (callers validate user input first). */
export function checkRoom(room: string): void {
  if (!isValidRoomName(room)) throw new TypeError(`not a room name: ${JSON.stringify(room)}`);
}

/** Throws a TypeError for a version or asset id that is not URL-safe. */
export function checkId(id: string): void {
  if (!ARCHIVE_ID_PATTERN.test(id)) throw new TypeError(`not an archive id: ${JSON.stringify(id)}`);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function decodeJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new StorageError(`${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new StorageError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function encodeVersionInfo(info: VersionInfo): Uint8Array {
  const { id, at, reason, editors, shapes, bytes } = info;
  return encodeJson({ id, at, reason, editors, shapes, bytes });
}

/** The stored info of version `id` of `room`; a StorageError if it is damaged. */
export function decodeVersionInfo(bytes: Uint8Array, room: string, id: string): VersionInfo {
  const what = `version ${id} of room ${room}`;
  const v = decodeJson(bytes, what);
  if (
    v.id !== id ||
    typeof v.at !== 'string' ||
    Number.isNaN(Date.parse(v.at)) ||
    !(VERSION_REASONS as readonly unknown[]).includes(v.reason) ||
    !Array.isArray(v.editors) ||
    !v.editors.every((name) => typeof name === 'string') ||
    !isCount(v.shapes) ||
    !isCount(v.bytes)
  ) {
    throw new StorageError(`${what} is damaged`);
  }
  return { id, at: v.at, reason: v.reason as VersionInfo['reason'], editors: v.editors as string[], shapes: v.shapes, bytes: v.bytes };
}

export function encodeBoardRecord(record: BoardRecord): Uint8Array {
  const { room, title, createdAt, updatedAt, shapes, bytes, deletedAt } = record;
  return encodeJson({ room, title, createdAt, updatedAt, shapes, bytes, deletedAt });
}

/** The stored board record of `room`; a StorageError if it is damaged. */
export function decodeBoardRecord(bytes: Uint8Array, room: string): BoardRecord {
  const what = `the board record of room ${room}`;
  const r = decodeJson(bytes, what);
  if (
    r.room !== room ||
    typeof r.title !== 'string' ||
    !isCount(r.createdAt) ||
    !isCount(r.updatedAt) ||
    !isCount(r.shapes) ||
    !isCount(r.bytes) ||
    !(r.deletedAt === null || isCount(r.deletedAt))
  ) {
    throw new StorageError(`${what} is damaged`);
  }
  return { room, title: r.title, createdAt: r.createdAt, updatedAt: r.updatedAt, shapes: r.shapes, bytes: r.bytes, deletedAt: r.deletedAt };
}

/** A content type is one header value: printable ASCII, so it can end at a NUL byte in one stored value. */
const CONTENT_TYPE_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** An asset as one value: its content type, a NUL byte, its bytes (one key, so one atomic write). */
export function encodeAsset(asset: StoredAsset): Uint8Array {
  if (!CONTENT_TYPE_PATTERN.test(asset.contentType)) throw new TypeError(`not a content type: ${JSON.stringify(asset.contentType)}`);
  const type = encoder.encode(asset.contentType);
  const value = new Uint8Array(type.byteLength + 1 + asset.bytes.byteLength);
  value.set(type, 0);
  value.set(asset.bytes, type.byteLength + 1);
  return value;
}

export function decodeAsset(value: Uint8Array, room: string, id: string): StoredAsset {
  const end = value.indexOf(0);
  const contentType = end > 0 ? decoder.decode(value.subarray(0, end)) : '';
  if (!CONTENT_TYPE_PATTERN.test(contentType)) throw new StorageError(`asset ${id} of room ${room} is damaged`);
  return { contentType, bytes: plainBytes(value.subarray(end + 1)) };
}

/** An asset's size as stored beside it (decimal text: readable in redis-cli and ldb dumps alike). */
export function encodeAssetSize(size: number): Uint8Array {
  return encoder.encode(String(size));
}

export function decodeAssetSize(value: Uint8Array, room: string, id: string): number {
  let text = '';
  try {
    text = decoder.decode(value);
  } catch {
    // Not UTF-8: damaged, as below.
  }
  const size = /^(0|[1-9][0-9]{0,15})$/.test(text) ? Number(text) : NaN;
  if (!isCount(size)) throw new StorageError(`the size of asset ${id} of room ${room} is damaged`);
  return size;
}

/**
 * `bytes` as a plain Uint8Array (a view, no copy): LevelDB and ioredis hand back Buffers, and
 * every store answers alike.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `error` as a StorageError saying what failed; one that already is passes through. */
export function storageFailure(action: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError(`${action} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
