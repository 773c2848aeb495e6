/**
 * The board file: a board as versioned JSON (easel/board). The client's JSON export and import,
 * the HTTP API and the CLI all speak it, so it lives here.
 */
import { MAX_TITLE_LENGTH } from './doc.ts';
import { readShape, shapeFields, SCHEMA_VERSION, type Shape } from './schema.ts';

/** Marks a file as an Easel board. */
export const BOARD_FILE_TYPE = 'easel/board';
/** Version of the file format; files from a newer Easel are refused rather than half-read. */
export const BOARD_FILE_VERSION = 1;
/** Files above this size are refused before parsing (a board of 50k shapes is well under it). */
export const MAX_BOARD_FILE_BYTES = 64 * 1024 * 1024;

/** What a board file holds once read: the title ('' for none) and the shapes. */
export interface BoardFileData {
  title: string;
  shapes: Shape[];
}

/**
 * A board as a versioned JSON file: every shape with its id and z-order index, and the board's
 * title when it has one (an optional field: format version 1 readers ignore it).
 */
export function serializeBoard(shapes: readonly Shape[], title = ''): string {
  return JSON.stringify(
    {
      type: BOARD_FILE_TYPE,
      version: BOARD_FILE_VERSION,
      schemaVersion: SCHEMA_VERSION,
      ...(title !== '' && { title }),
      shapes: shapes.map((shape) => ({ id: shape.id, ...shapeFields(shape) })),
    },
    null,
    1,
  );
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
  return { title, shapes };
}
