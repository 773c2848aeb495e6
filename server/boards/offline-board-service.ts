/**
 * The BoardService of a stopped server's data folder, for the CLI's --data mode: it opens the
 * store itself (LevelDB admits one process per folder, so a running server's folder is refused
 * with LEVEL_LOCKED).
 */
import type { BoardService } from './board-service.ts';
import { EaselError } from '../errors.ts';

/** Opens the data folder `dir` for offline work on its boards. */
export async function openOfflineBoardService(dir: string): Promise<BoardService> {
  // Needs the store seam (server/store/store.ts: readRoom/replaceRoom/purgeRoom/listRooms) and the
  // archive's LevelDB implementation, which are not on this branch yet (issue 15).
  throw new EaselError('not_implemented', `working on a data folder (${dir}) is not available in this build yet: use --url`);
}
