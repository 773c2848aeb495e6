/**
 * Assets: the files image shapes show. The pixels never go into the Y.Doc; a shape names its file
 * by the SHA-256 of the file's bytes (an asset id), and the file travels over HTTP:
 *
 *   PUT /api/rooms/<room>/assets/<sha256>   edit   raw bytes → AssetUploadResponse
 *   GET /api/rooms/<room>/assets/<sha256>   view   → the bytes, with the type sniffed from them
 *
 * An asset belongs to one room: a file uploaded to room A is not readable through room B's URL
 * (a paste into B uploads it to B again). Both sides agree here on the id's form, the types
 * accepted (recognised from the bytes themselves, never from a declared type) and the limits.
 */
import { roomApiPath } from './api.ts';

/** An asset id: the lowercase hex SHA-256 of the file's bytes. */
export const ASSET_ID_PATTERN = /^[0-9a-f]{64}$/;

export function isAssetId(value: unknown): value is string {
  return typeof value === 'string' && ASSET_ID_PATTERN.test(value);
}

/** The image types an asset may be. SVG is not one: the browser draws an SVG into a PNG first. */
export const ASSET_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export function isAssetType(value: unknown): value is AssetType {
  return typeof value === 'string' && (ASSET_TYPES as readonly string[]).includes(value);
}

/** Default largest file (`--max-asset-bytes`): 10 MiB. */
export const DEFAULT_MAX_ASSET_BYTES = 10 * 1024 * 1024;
/** Default largest total of one room's files (`--max-room-asset-bytes`): 500 MiB. */
export const DEFAULT_MAX_ROOM_ASSET_BYTES = 500 * 1024 * 1024;
/** Images larger than this many pixels on a side are scaled down in the browser before upload. */
export const MAX_IMAGE_SIDE = 4096;

export function assetApiPath(room: string, id: string): string {
  return `${roomApiPath(room)}/assets/${encodeURIComponent(id)}`;
}

/** The answer to an upload: the id, the sniffed type and the size stored. */
export interface AssetUploadResponse {
  id: string;
  type: AssetType;
  bytes: number;
}

/**
 * The error codes of the asset endpoints (ApiErrorBody.error), with their statuses: the client
 * turns each into a message for the person who added the image.
 */
export const ASSET_ERROR = {
  /** 400: the body's SHA-256 is not the id in the URL. */
  hashMismatch: 'hash_mismatch',
  /** 415: the bytes are not PNG, JPEG, GIF or WebP, whatever the request says they are. */
  unsupportedType: 'unsupported_type',
  /** 413: the file is over the server's largest file. */
  assetTooLarge: 'asset_too_large',
  /** 413: the room's files would pass the server's total for one room. */
  roomQuotaExceeded: 'room_quota_exceeded',
  /** 429: this address uploaded too much too fast. */
  rateLimited: 'rate_limited',
} as const;

/**
 * The image type of a file from its first bytes (its magic number), or null for anything else.
 * The one test both sides use: the server refuses what it returns null for (415) and serves what
 * it stores with the type it returns; the browser checks a file before it uploads it.
 */
export function sniffAssetType(bytes: Uint8Array): AssetType | null {
  const starts = (signature: readonly number[], at = 0): boolean =>
    bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // "GIF87a" or "GIF89a".
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  // "RIFF", a length, "WEBP".
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/** The asset id of some bytes (SHA-256, lowercase hex), by the Web Crypto API both sides have. */
export async function assetIdOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
