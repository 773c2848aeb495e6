import { DEFAULT_STYLE, shapeAssetIds } from '../../shared/schema.ts';
import type { ImageShape } from '../../shared/shapes/image.ts';
import type { Board } from '../model/board.ts';
import { placeInFrame } from '../model/frames.ts';
import { newShapeId } from '../model/ids.ts';
import type { Point } from '../model/plane.ts';
import type { NewShapeOf } from '../model/shape.ts';
import type { Selection } from '../model/selection.ts';
import type { Notice } from '../ui/notice.ts';
import { AssetError } from './asset-error.ts';
import type { AssetLibrary } from './asset-library.ts';
import { placeImages } from './image-size.ts';
import { prepareImage, type PreparedImage } from './prepare-image.ts';
import type { UploadRefusal } from './upload-queue.ts';

export interface ImageInserterOptions {
  board: Board;
  selection: Pick<Selection, 'set'>;
  library: AssetLibrary & { onRefused?(listener: (refusal: UploadRefusal) => void): () => void };
  notice: Pick<Notice, 'show'>;
  /** False on a view-only board (or while a past version is shown): nothing is added. */
  writable(): boolean;
  /** Defaults to prepareImage (client/assets/prepare-image.ts). */
  prepare?: (file: File) => Promise<PreparedImage>;
}

/** The one way images reach the board: the image tool's picker, a paste and a drop all call `insert`. */
export interface ImageInserter {
  /** Adds one image shape per image file, centred on `at` (board units), as one undo step, selected. */
  insert(files: readonly File[], at: Point): Promise<void>;
  close(): void;
}

/**
 * Files → prepared bytes (prepareImage) → the asset library → one image shape per file, side by
 * side around the point, in the frame they land in, one undo step, selected. A file that is not
 * an image, cannot be read or is too large is reported through the notice and adds nothing.
 *
 * It also takes back what the server refuses: the shapes this page added for a file the upload
 * queue reports refused are removed (after a reload, every shape showing that file, since none
 * can ever show it), and the notice says why.
 */
export function createImageInserter(options: ImageInserterOptions): ImageInserter {
  const { board, selection, library, notice } = options;
  const prepare = options.prepare ?? prepareImage;
  /** Shapes this page added, per asset id: what a refused upload takes back. */
  const added = new Map<string, Set<string>>();
  let closed = false;

  const offRefused =
    library.onRefused?.((refusal) => {
      const mine = added.get(refusal.assetId);
      added.delete(refusal.assetId);
      const ids = board
        .ordered()
        .filter((shape) => (mine === undefined || mine.has(shape.id)) && shapeAssetIds(shape).includes(refusal.assetId))
        .map((shape) => shape.id);
      if (ids.length > 0 && options.writable()) board.deleteShapes(ids);
      notice.show(refusal.message, 'error');
    }) ?? (() => {});

  return {
    async insert(files, at) {
      if (files.length === 0) return;
      if (!options.writable()) {
        notice.show('This board is view only: images cannot be added.', 'error');
        return;
      }
      const ready: { assetId: string; width: number; height: number }[] = [];
      const problems: string[] = [];
      for (const file of files) {
        try {
          const prepared = await prepare(file);
          const asset = await library.add(prepared.bytes);
          ready.push({ assetId: asset.id, width: prepared.width, height: prepared.height });
        } catch (error) {
          if (!(error instanceof AssetError)) console.error(`easel: could not add ${file.name} as an image`, error);
          problems.push(error instanceof AssetError ? error.message : `Could not add ${file.name}: ${(error as Error).message}`);
        }
      }
      if (closed) return;
      if (problems.length > 0) notice.show(`${problems.join(' ')}${ready.length === 0 ? ' Nothing was added.' : ''}`, 'error');
      if (ready.length === 0 || !options.writable()) return;
      const boxes = placeImages(ready, at);
      const ids: string[] = [];
      board.batch(() => {
        ready.forEach((image, n) => {
          const box = boxes[n]!;
          const shape: NewShapeOf<ImageShape> = {
            ...DEFAULT_STYLE,
            id: newShapeId(),
            type: 'image',
            ...box,
            rotation: 0,
            locked: false,
            assetId: image.assetId,
            naturalWidth: image.width,
            naturalHeight: image.height,
          };
          const stored = board.addShape(placeInFrame(board, shape));
          ids.push(stored.id);
          let set = added.get(image.assetId);
          if (set === undefined) added.set(image.assetId, (set = new Set()));
          set.add(stored.id);
        });
      });
      selection.set(ids);
    },
    close() {
      closed = true;
      offRefused();
      added.clear();
    },
  };
}
