/**
 * The board file: a board as versioned JSON (easel/board). The client's JSON export and import,
 * the HTTP API and the CLI all speak it, so it lives here.
 */
import { isAssetId, sniffAssetType, type AssetType } from './assets.ts';
import { MAX_TITLE_LENGTH } from './doc.ts';
import { readShape, shapeFields, SCHEMA_VERSION, type Shape } from './schema.ts';

/** Marks a file as an Easel board. */
export const BOARD_FILE_TYPE = 'easel/board';
/** Version of the file format; files from a newer Easel are refused rather than half-read. */
export const BOARD_FILE_VERSION = 1;
/** Files above this size are refused before parsing (a board of 50k shapes is well under it). */
export const MAX_BOARD_FILE_BYTES = 64 * 1024 * 1024;

/** A file an image shape shows, carried in a board file so an import restores it (shared/assets.ts). */
export interface BoardFileAsset {
  /** The SHA-256 of `bytes`, lowercase hex. Only the store checks it (hashing is asynchronous). */
  id: string;
  /** The type sniffed from the bytes. */
  type: AssetType;
  bytes: Uint8Array;
}

/** What a board file holds once read: the title ('' for none), the shapes and the files they show. */
export interface BoardFileData {
  title: string;
  shapes: Shape[];
  /**
   * The files its images show, when the file carries them (readBoardFile always sets it, [] for
   * none); absent where a board is passed without them (the server keeps assets beside the document).
   */
  assets?: BoardFileAsset[];
}

/**
 * A board as a versioned JSON file: every shape with its id and z-order index, the board's title
 * when it has one, and the files its images show as `assets: [{ id, type, data (base64) }]`
 * (optional fields: format version 1 readers ignore them).
 */
export function serializeBoard(shapes: readonly Shape[], title = '', assets: readonly BoardFileAsset[] = []): string {
  return JSON.stringify(
    {
      type: BOARD_FILE_TYPE,
      version: BOARD_FILE_VERSION,
      schemaVersion: SCHEMA_VERSION,
      ...(title !== '' && { title }),
      shapes: shapes.map((shape) => ({ id: shape.id, ...shapeFields(shape) })),
      ...(assets.length > 0 && { assets: assets.map(({ id, type, bytes }) => ({ id, type, data: toBase64(bytes) })) }),
    },
    null,
    1,
  );
}

/** Bytes as base64, in slices so a 10 MiB file does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** Base64 as bytes, or null if it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Why a file was refused, in words for the person who chose it. */
export class BoardFileError extends Error {
  readonly code = 'invalid-board-file';
  constructor(message: string) {
    super(message);
    this.name = 'BoardFileError';
  }
}

/**
 * The shapes of a board file, all through the schema gate. All or nothing: a file with any broken
 * shape is refused with a message saying which and why, so an import never half-happens.
 * Throws BoardFileError.
 */
export function parseBoardFile(text: string): Shape[] {
  return readBoardFile(text).shapes;
}

/** As parseBoardFile, with the title. Throws BoardFileError. */
export function readBoardFile(text: string): BoardFileData {
  if (text.length > MAX_BOARD_FILE_BYTES) throw new BoardFileError(`the file is larger than ${MAX_BOARD_FILE_BYTES / 1024 / 1024} MB`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BoardFileError(`it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BoardFileError('it is not an Easel board file');
  const record = data as Record<string, unknown>;
  if (record.type !== BOARD_FILE_TYPE) throw new BoardFileError('it is not an Easel board file (no "type": "easel/board")');
  if (typeof record.version !== 'number' || !Number.isInteger(record.version) || record.version < 1) throw new BoardFileError('its format version is missing');
  if (record.version > BOARD_FILE_VERSION) throw new BoardFileError(`it was made by a newer Easel (format ${record.version}; this one reads up to ${BOARD_FILE_VERSION})`);
  if (!Array.isArray(record.shapes)) throw new BoardFileError('it has no list of shapes');
  if (record.title !== undefined && typeof record.title !== 'string') throw new BoardFileError('its title is not a string');
  const title = typeof record.title === 'string' ? record.title.trim().slice(0, MAX_TITLE_LENGTH) : '';
  const shapes: Shape[] = [];
  const seen = new Set<string>();
  record.shapes.forEach((entry, position) => {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const result = readShape(id, entry);
    if (!result.ok) throw new BoardFileError(`shape ${position + 1} (${result.problem.id}) is broken: ${result.problem.reason}`);
    if (seen.has(result.shape.id)) throw new BoardFileError(`shape id ${result.shape.id} appears twice`);
    seen.add(result.shape.id);
    shapes.push(result.shape);
  });
  return { title, shapes, assets: readAssets(record.assets) };
}

/** The `assets` of a board file: each an id, a type its bytes really have, and base64 data. */
function readAssets(value: unknown): BoardFileAsset[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BoardFileError('its assets are not a list');
  const seen = new Set<string>();
  return value.map((entry: unknown, position) => {
    const fail = (why: string): never => {
      throw new BoardFileError(`asset ${position + 1} is broken: ${why}`);
    };
    if (typeof entry !== 'object' || entry === null) return fail('not an object');
    const { id, data } = entry as { id?: unknown; data?: unknown };
    if (!isAssetId(id)) return fail('its id is not a SHA-256 in lowercase hex');
    if (seen.has(id)) return fail(`id ${id} appears twice`);
    seen.add(id);
    const bytes = typeof data === 'string' ? fromBase64(data) : null;
    if (bytes === null) return fail('its data is not base64');
    const type = sniffAssetType(bytes);
    if (type === null) return fail('it is not a PNG, JPEG, GIF or WebP image');
    return { id, type, bytes };
  });
}
