/**
 * The bytes of the files the selected images show, loaded while they are selected, so a copy can
 * put them on the clipboard. A copy event must write the clipboard before it returns, and the
 * library hands bytes out asynchronously (`file()`), so they are fetched ahead: when the
 * selection changes, not when Ctrl+C is pressed. Only the selection's files are held, and no more
 * than a clipboard can carry.
 */
import { sniffAssetType } from '../../shared/assets.ts';
import type { BoardFileAsset } from '../../shared/board-file.ts';
import { assetIdsOf, type Shape } from '../../shared/schema.ts';
import { MAX_CLIPBOARD_CHARS } from '../model/clipboard-data.ts';
import type { AssetLibrary } from './asset-library.ts';

/** Most bytes held: what fits in the clipboard's text once in base64. */
const MAX_HELD_BYTES = Math.floor((MAX_CLIPBOARD_CHARS * 3) / 4);

export interface SelectionFilesOptions {
  library: Pick<AssetLibrary, 'file'>;
  /** The shapes a copy would take now (frames with their children). */
  selected(): readonly Shape[];
  /** Subscribes to changes of what `selected` returns; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export interface SelectionFiles {
  /** The files of `shapes` in hand now, and the ids of those still loading or not to be had. */
  now(shapes: readonly Shape[]): { files: BoardFileAsset[]; missing: string[] };
  close(): void;
}

export function createSelectionFiles(options: SelectionFilesOptions): SelectionFiles {
  const { library } = options;
  const held = new Map<string, BoardFileAsset>();
  const loading = new Set<string>();
  let wanted = new Set<string>();
  let closed = false;

  const heldBytes = (): number => [...held.values()].reduce((sum, file) => sum + file.bytes.length, 0);

  const load = (id: string): void => {
    if (held.has(id) || loading.has(id) || heldBytes() >= MAX_HELD_BYTES) return;
    loading.add(id);
    library
      .file(id)
      .then(async (blob) => {
        if (blob === null) return;
        const bytes = new Uint8Array(await blob.arrayBuffer());
        const type = sniffAssetType(bytes);
        if (type === null) throw new Error(`the library's copy of ${id} is not an image`);
        // Deselected (or closed) while it loaded: not held.
        if (!closed && wanted.has(id)) held.set(id, { id, type, bytes });
      })
      .catch((error: unknown) => console.warn(`easel: could not load image file ${id} for copying`, error))
      .finally(() => loading.delete(id));
  };

  const follow = (): void => {
    wanted = new Set(assetIdsOf(options.selected()));
    for (const id of held.keys()) if (!wanted.has(id)) held.delete(id);
    for (const id of wanted) load(id);
  };
  const off = options.onChange(follow);
  follow();

  return {
    now(shapes) {
      const files: BoardFileAsset[] = [];
      const missing: string[] = [];
      for (const id of assetIdsOf(shapes)) {
        const file = held.get(id);
        if (file !== undefined) {
          files.push(file);
          continue;
        }
        missing.push(id);
        // Not had when it was selected (the library had no copy yet): tried again for the next copy.
        if (wanted.has(id)) load(id);
      }
      return { files, missing };
    },
    close() {
      closed = true;
      off();
      held.clear();
    },
  };
}
