/**
 * What the HTTP API and the CLI do to boards, apart from how: one implementation runs inside the
 * server (its rooms, so connected clients see every change at once), one works on a stopped
 * server's data folder. Access checks happen before these calls (the API's router, the CLI's
 * token); these methods trust their caller.
 *
 * Boards travel as board files: the client's versioned JSON export format (easel/board) plus the
 * board's title. Versions travel as VersionInfo. A missing room or version rejects with
 * NotFoundError; a board file the schema gate refuses rejects with BoardFileError, before
 * anything is written.
 */
import type { Readable, Writable } from 'node:stream';
import type { BoardSummary, CaptureReason, RepairResponse, RestoreBackupResponse, VersionInfo } from '../../shared/api.ts';
import type { BoardFileAsset, BoardFileData } from '../../shared/board-file.ts';
import type { StoredAssetResult } from '../assets/room-assets.ts';

export interface BoardService {
  /** Every board the store holds, live and deleted. */
  listBoards(): Promise<BoardSummary[]>;
  /**
   * The board now (a board that was never written is NotFoundError; a deleted one too), with the
   * files its image shapes show where the implementation can reach them.
   */
  getBoard(room: string): Promise<BoardFileData>;
  /**
   * Makes the board equal to `file` as a forward edit (clients merge into it), after taking a
   * version of what it was (reason 'import'); answers that version. `editor` names who did it.
   * The file's assets are stored first (checked as uploads are, AssetError), so its images show.
   */
  replaceBoard(room: string, file: BoardFileData, editor: string): Promise<VersionInfo>;
  listVersions(room: string): Promise<VersionInfo[]>;
  getVersion(room: string, id: string): Promise<BoardFileData>;
  /** As replaceBoard, with a stored version (reason 'restore' for the version taken first). */
  restoreVersion(room: string, id: string, editor: string): Promise<VersionInfo>;
  /** Closes the board's clients (CLOSE_CODE.boardDeleted) and marks it deleted; purged after the retention. */
  deleteBoard(room: string): Promise<BoardSummary>;
  undeleteBoard(room: string): Promise<BoardSummary>;
  /** Removes stored records the schema gate refuses, as a forward edit; answers what went. */
  repairBoard(room: string): Promise<RepairResponse>;
  /** Writes every board with its versions and assets, each board's state consistent, to `out`. */
  backup(out: Writable): Promise<void>;
  /** Reads a backup written by backup() and stores all of it; boards already there are replaced. */
  restoreBackup(input: Readable): Promise<RestoreBackupResponse>;
  close(): Promise<void>;
}

/**
 * Taking a version on request (the browser's Restore, which is the browser's own edit, asks for
 * one first). Apart from BoardService because only a running server does it: a stopped server's
 * board never changes unless the CLI changes it, and the CLI's changes take their own versions.
 */
export interface VersionCapture {
  /** Takes a version of the live board now, changed or not; NotFoundError for no board or a deleted one. */
  captureVersion(room: string, reason: CaptureReason, editor: string): Promise<VersionInfo>;
}

/**
 * A board's whole Yjs document, for a page that opens faster by applying it before its socket
 * syncs. Apart from BoardService because only a running server serves it (the CLI speaks board
 * files).
 */
export interface BoardStates {
  /**
   * The board's whole document as one Yjs update (V1), holding only what is stored: a client may
   * take it as stored as it takes a sync answer. Null for a board never written (a page opening
   * it starts empty; its socket then makes it), NotFoundError for a deleted one.
   */
  getBoardState(room: string): Promise<Uint8Array | null>;
}

/**
 * A board's image files (shared/assets.ts), for the asset endpoints. Apart from BoardService
 * because only a server's own store serves them (the CLI moves them inside board files).
 */
export interface BoardAssets {
  /**
   * Stores a file for the board (checked: size, type sniffed from the bytes, SHA-256 against
   * `id`, the room's quota; AssetError); NotFoundError for a deleted board.
   */
  uploadAsset(room: string, id: string, bytes: Uint8Array): Promise<StoredAssetResult>;
  /** The board's file `id`; NotFoundError for a file the room does not have or a deleted board. */
  getAsset(room: string, id: string): Promise<BoardFileAsset>;
}
