import { MAX_TITLE_LENGTH } from '../../shared/title.ts';
import { isValidRoomName } from '../../shared/protocol.ts';

/**
 * The boards this browser has opened, kept in localStorage (the home page lists them, the board
 * page records itself). One key per board, so two tabs on two boards never write the same key and
 * never lose each other's change; listing reads every key with the prefix. Everything read back
 * goes through readBoardEntry: another version of Easel, or a person in the dev tools, may have
 * left anything there.
 */

/** The part of localStorage the list uses, so tests can pass an in-memory one. */
export type BoardListStorage = Pick<Storage, 'length' | 'key' | 'getItem' | 'setItem' | 'removeItem'>;

/** One board as the list remembers it. */
export interface BoardEntry {
  room: string;
  /** The board's title when last seen, '' if untitled. */
  title: string;
  /** When this browser last opened it, in ms since the epoch. */
  openedAt: number;
  /** A small picture of the board as a `data:image/png` URL, null until one was made (or for an empty board). */
  thumbnail: string | null;
  /**
   * The access token of the link it was last opened with (`#token=`), so the list opens it the
   * way it was opened (a server with --auth-secret refuses a link without one); null for none.
   */
  token: string | null;
}

export const BOARD_LIST_KEY_PREFIX = 'easel-recent-';
/** Oldest boards past this many are forgotten, so the list cannot fill the origin's storage quota. */
export const MAX_LISTED_BOARDS = 200;
/** A thumbnail longer than this is not kept (a 240 px PNG of a busy board is some tens of kB). */
export const MAX_THUMBNAIL_CHARS = 256 * 1024;
const THUMBNAIL_PREFIX = 'data:image/png;base64,';
/** A JWT's characters, within a length no real token reaches. */
const TOKEN_PATTERN = /^[A-Za-z0-9_.-]{1,4096}$/;

export function boardListKey(room: string): string {
  return `${BOARD_LIST_KEY_PREFIX}${room}`;
}

/** The gate for a stored entry: the entry, repaired where it can be (a long title cut), or null. */
export function readBoardEntry(room: string, value: unknown): BoardEntry | null {
  if (!isValidRoomName(room) || typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.openedAt !== 'number' || !Number.isFinite(record.openedAt)) return null;
  const title = typeof record.title === 'string' ? record.title.slice(0, MAX_TITLE_LENGTH) : '';
  const thumbnail = isThumbnail(record.thumbnail) ? record.thumbnail : null;
  const token = isToken(record.token) ? record.token : null;
  return { room, title, openedAt: record.openedAt, thumbnail, token };
}

function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

function isThumbnail(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(THUMBNAIL_PREFIX) && value.length <= MAX_THUMBNAIL_CHARS;
}

/** Newest first; equal times by room, so the order is stable. */
export function newestFirst(a: BoardEntry, b: BoardEntry): number {
  return b.openedAt - a.openedAt || (a.room < b.room ? -1 : a.room > b.room ? 1 : 0);
}

/**
 * The entries whose title or room contains every word of `query`, ignoring case and accents
 * ("cafe" finds "Café"); all of them for an empty query. Order is kept.
 */
export function searchBoards(entries: readonly BoardEntry[], query: string): BoardEntry[] {
  const words = fold(query).split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((entry) => {
    const haystack = `${fold(entry.title)}\n${fold(entry.room)}`;
    return words.every((word) => haystack.includes(word));
  });
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
}

/** Raised when the browser refused to store an entry (quota, storage blocked). */
export class BoardListWriteError extends Error {
  readonly code = 'board-list-write-failed';
  constructor(room: string, cause: unknown) {
    super(`easel: could not remember board ${room} in this browser (${(cause as Error)?.message ?? String(cause)})`, { cause });
    this.name = 'BoardListWriteError';
  }
}

export interface BoardList {
  /** Every listed board, newest first. */
  entries(): BoardEntry[];
  get(room: string): BoardEntry | null;
  /**
   * Records that the board was opened `at` (adding it if new), with the link's token if it had
   * one (without, the token kept from before stays), forgetting the oldest past MAX_LISTED_BOARDS.
   */
  opened(room: string, at: number, token?: string | null): void;
  /** Records the board's title as it is now; nothing if the board is not listed. */
  retitle(room: string, title: string): void;
  /** Records the board's picture (null: none); nothing if the board is not listed. */
  setThumbnail(room: string, thumbnail: string | null): void;
  /** Forgets the board in this browser (the board itself and its offline copy are left alone). */
  forget(room: string): void;
}

/**
 * The list over a localStorage-shaped storage. Reads go to the storage every time, so what another
 * tab wrote is always seen. Writes throw BoardListWriteError when the browser refuses them; a
 * thumbnail too big for what is left is dropped rather than losing the entry.
 */
export function createBoardList(storage: BoardListStorage): BoardList {
  const read = (room: string): BoardEntry | null => {
    const text = storage.getItem(boardListKey(room));
    if (text === null) return null;
    try {
      return readBoardEntry(room, JSON.parse(text));
    } catch {
      return null;
    }
  };
  const write = (entry: BoardEntry): void => {
    const key = boardListKey(entry.room);
    try {
      storage.setItem(key, JSON.stringify(entry));
    } catch (error) {
      if (entry.thumbnail === null) throw new BoardListWriteError(entry.room, error);
      try {
        storage.setItem(key, JSON.stringify({ ...entry, thumbnail: null }));
      } catch (again) {
        throw new BoardListWriteError(entry.room, again);
      }
    }
  };
  const rooms = (): string[] => {
    const found: string[] = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key?.startsWith(BOARD_LIST_KEY_PREFIX)) found.push(key.slice(BOARD_LIST_KEY_PREFIX.length));
    }
    return found;
  };
  const entries = (): BoardEntry[] => {
    const found: BoardEntry[] = [];
    for (const room of rooms()) {
      const entry = read(room);
      if (entry !== null) found.push(entry);
    }
    return found.sort(newestFirst);
  };
  const update = (room: string, patch: Partial<Omit<BoardEntry, 'room'>>): void => {
    const entry = read(room);
    if (entry === null) return;
    const next = { ...entry, ...patch };
    if (next.title !== entry.title || next.thumbnail !== entry.thumbnail || next.openedAt !== entry.openedAt) write(next);
  };

  return {
    entries,
    get: read,
    opened(room, at, token = null) {
      if (!isValidRoomName(room)) return;
      const entry = read(room);
      const kept = isToken(token) ? token : (entry?.token ?? null);
      write(entry === null ? { room, title: '', openedAt: at, thumbnail: null, token: kept } : { ...entry, openedAt: at, token: kept });
      for (const stale of entries().slice(MAX_LISTED_BOARDS)) storage.removeItem(boardListKey(stale.room));
    },
    retitle(room, title) {
      update(room, { title: title.slice(0, MAX_TITLE_LENGTH) });
    },
    setThumbnail(room, thumbnail) {
      update(room, { thumbnail: isThumbnail(thumbnail) ? thumbnail : null });
    },
    forget(room) {
      storage.removeItem(boardListKey(room));
    },
  };
}
