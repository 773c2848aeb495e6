/**
 * The backup format: JSON lines, so a backup of any size is written and read one board at a time
 * and never held whole in memory.
 *
 *   {"type":"easel/backup","version":1}
 *   {"room":"r","board":{…BoardRecord},"state":"<base64>","versions":[{"info":{…VersionInfo},"state":"<base64>"}],
 *    "assets":[{"id":"…","contentType":"…","data":"<base64>"}]}
 *   … one line per board
 *
 * `state` is the board's whole Yjs state (an update holding the whole document); each version's
 * too. Reading validates every line before it is handed on, so a broken backup is refused at the
 * line that breaks it (BackupFormatError, HTTP 400), never half-trusted.
 */
import type { Readable, Writable } from 'node:stream';
import * as Y from 'yjs';
import { VERSION_REASONS, type VersionInfo } from '../../shared/api.ts';
import { isValidRoomName } from '../../shared/protocol.ts';
import { EaselError } from '../errors.ts';
import type { BoardRecord, StoredAsset } from '../store/archive.ts';

export const BACKUP_TYPE = 'easel/backup';
export const BACKUP_VERSION = 1;
/**
 * The longest line (one board with all its versions and assets) read back. V8 strings stop near
 * 512 MiB, and a board is parsed as one string, so a line must stay well under that.
 */
export const MAX_BACKUP_LINE_BYTES = 256 * 1024 * 1024;

/** One board of a backup, decoded. */
export interface BackupBoard {
  room: string;
  board: BoardRecord;
  state: Uint8Array;
  versions: Array<{ info: VersionInfo; state: Uint8Array }>;
  assets: Array<{ id: string; asset: StoredAsset }>;
}

/** A backup stream that does not read as one: `line` says where (1 is the header). HTTP 400. */
export class BackupFormatError extends EaselError {
  readonly httpStatus = 400;
  constructor(line: number, message: string) {
    super('invalid_backup', `backup line ${line}: ${message}`);
  }
}

/** The reader of a backup went away before it was all written. */
export class BackupAbortedError extends EaselError {
  constructor() {
    super('backup_aborted', 'the backup stream was closed before the backup was written');
  }
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Writes `text`, waiting while `out` is full; rejects if `out` closes or fails first. */
async function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new BackupAbortedError();
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new BackupAbortedError());
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', done);
  });
}

/** One board as its backup line (with the newline). */
export function encodeBackupBoard(board: BackupBoard): string {
  return `${JSON.stringify({
    room: board.room,
    board: board.board,
    state: toBase64(board.state),
    versions: board.versions.map(({ info, state }) => ({ info, state: toBase64(state) })),
    assets: board.assets.map(({ id, asset }) => ({ id, contentType: asset.contentType, data: toBase64(asset.bytes) })),
  })}\n`;
}

/**
 * Writes a backup of `boards` to `out`, one board at a time as the iterable yields it, waiting
 * for `out` to drain between boards. Does not end `out`.
 */
export async function writeBackup(out: Writable, boards: AsyncIterable<BackupBoard>): Promise<void> {
  await write(out, `${JSON.stringify({ type: BACKUP_TYPE, version: BACKUP_VERSION })}\n`);
  for await (const board of boards) await write(out, encodeBackupBoard(board));
}

/** Splits a byte stream into lines of at most `limit` bytes (without the newline). */
async function* lines(input: Readable, limit: number): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let newline = chunk.indexOf(0x0a);
    while (newline !== -1) {
      number += 1;
      if (pendingBytes + newline > limit) throw new BackupFormatError(number, `longer than ${limit} bytes`);
      pending.push(chunk.subarray(0, newline));
      yield Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      chunk = chunk.subarray(newline + 1);
      newline = chunk.indexOf(0x0a);
    }
    pendingBytes += chunk.byteLength;
    if (pendingBytes > limit) throw new BackupFormatError(number + 1, `longer than ${limit} bytes`);
    if (chunk.byteLength > 0) pending.push(chunk);
  }
  if (pendingBytes > 0) yield Buffer.concat(pending).toString('utf8');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads a backup line by line, checking each; yields each board decoded. */
export async function* readBackup(input: Readable, maxLineBytes = MAX_BACKUP_LINE_BYTES): AsyncGenerator<BackupBoard> {
  let number = 0;
  for await (const text of lines(input, maxLineBytes)) {
    number += 1;
    if (text.trim() === '' && number > 1) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new BackupFormatError(number, `not JSON (${(error as Error).message})`);
    }
    if (number === 1) {
      const header = value as { type?: unknown; version?: unknown } | null;
      if (typeof header !== 'object' || header === null || header.type !== BACKUP_TYPE) throw new BackupFormatError(1, `not an Easel backup (no "type": "${BACKUP_TYPE}")`);
      if (header.version !== BACKUP_VERSION) throw new BackupFormatError(1, `format version ${String(header.version)}; this Easel reads ${BACKUP_VERSION}`);
      continue;
    }
    yield decodeBoard(number, value);
  }
  if (number === 0) throw new BackupFormatError(1, 'the backup is empty');
}

function decodeBoard(line: number, value: unknown): BackupBoard {
  const fail = (message: string): never => {
    throw new BackupFormatError(line, message);
  };
  const bytes = (text: unknown, what: string): Uint8Array => {
    if (typeof text !== 'string' || !BASE64.test(text)) fail(`${what} is not base64`);
    return new Uint8Array(Buffer.from(text as string, 'base64'));
  };
  const yjsState = (text: unknown, what: string): Uint8Array => {
    const state = bytes(text, what);
    try {
      Y.parseUpdateMeta(state);
    } catch {
      fail(`${what} is not a Yjs update`);
    }
    return state;
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return fail('not a board');
  const room = value.room;
  if (typeof room !== 'string' || !isValidRoomName(room)) return fail('its room is not a room name');
  const board = value.board;
  if (!isObject(board) || board.room !== room || typeof board.title !== 'string') return fail(`room ${room}: its board record is missing or for another room`);
  for (const key of ['createdAt', 'updatedAt', 'shapes', 'bytes'] as const) {
    if (typeof board[key] !== 'number' || !Number.isFinite(board[key])) fail(`room ${room}: board.${key} is not a number`);
  }
  if (board.deletedAt !== null && typeof board.deletedAt !== 'number') fail(`room ${room}: board.deletedAt is not a time or null`);
  if (!Array.isArray(value.versions) || !Array.isArray(value.assets)) return fail(`room ${room}: versions or assets is not a list`);
  const versions = value.versions.map((entry: unknown, i) => {
    const info = isObject(entry) ? entry.info : undefined;
    if (!isObject(info) || typeof info.id !== 'string' || info.id === '' || typeof info.at !== 'string' || Number.isNaN(Date.parse(info.at))) {
      return fail(`room ${room}: version ${i + 1} has no id or time`);
    }
    if (!(VERSION_REASONS as readonly unknown[]).includes(info.reason)) fail(`room ${room}: version ${info.id} has an unknown reason`);
    if (!Array.isArray(info.editors) || !info.editors.every((name) => typeof name === 'string')) fail(`room ${room}: version ${info.id} editors is not a list of names`);
    if (typeof info.shapes !== 'number' || typeof info.bytes !== 'number') fail(`room ${room}: version ${info.id} sizes are not numbers`);
    return { info: info as unknown as VersionInfo, state: yjsState((entry as Record<string, unknown>).state, `room ${room} version ${info.id} state`) };
  });
  const assets = value.assets.map((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry.id !== 'string' || entry.id === '' || typeof entry.contentType !== 'string') {
      return fail(`room ${room}: asset ${i + 1} has no id or content type`);
    }
    return { id: entry.id, asset: { contentType: entry.contentType, bytes: bytes(entry.data, `room ${room} asset ${entry.id}`) } };
  });
  return { room, board: board as unknown as BoardRecord, state: yjsState(value.state, `room ${room} state`), versions, assets };
}
