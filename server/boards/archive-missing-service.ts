/**
 * The board service of a server that has no archive: one started on a Store handed in from
 * outside (tests, tools) without one (ServerOptions.archive). Versions, the board index and
 * deletion need the archive, so every call is refused with 501 and a message saying why, rather
 * than a half-working API; the sync server runs as usual, without version history.
 */
import { EaselError } from '../errors.ts';
import type { BoardAssets, BoardService, BoardStates, VersionCapture } from './board-service.ts';

/** This server keeps no archive: HTTP 501. */
export class ArchiveMissingError extends EaselError {
  readonly httpStatus = 501;
  constructor() {
    super('no_archive', 'this server was started on a store without an archive, so it keeps no versions or files and has no board API');
  }
}

export function createArchiveMissingService(): BoardService & VersionCapture & BoardAssets & BoardStates {
  const refuse = async (): Promise<never> => {
    throw new ArchiveMissingError();
  };
  return {
    listBoards: refuse,
    getBoard: refuse,
    getBoardState: refuse,
    replaceBoard: refuse,
    listVersions: refuse,
    getVersion: refuse,
    restoreVersion: refuse,
    captureVersion: refuse,
    deleteBoard: refuse,
    undeleteBoard: refuse,
    repairBoard: refuse,
    backup: refuse,
    restoreBackup: refuse,
    uploadAsset: refuse,
    getAsset: refuse,
    close: async () => undefined,
  };
}
