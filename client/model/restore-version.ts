import { restoreBoard, type BoardDiff } from '../../shared/board-diff.ts';
import type { BoardFileData } from '../../shared/board-file.ts';
import type { Board } from './board.ts';

/**
 * Makes the live board equal to a version as one local command: a forward edit that syncs to
 * everyone like any other, merges with what offline clients did meanwhile, and is one undo step
 * for the person who restored (the board's batch is a LOCAL_ORIGIN transaction). Throws
 * ReadOnlyError on a view-only page, before anything is written. Returns how the board differed.
 */
export function restoreVersion(board: Board, version: BoardFileData): BoardDiff {
  let diff: BoardDiff | undefined;
  board.batch(() => {
    diff = restoreBoard(board.doc, version);
  });
  if (diff === undefined) throw new Error('restoreVersion: transaction did not run');
  return diff;
}
