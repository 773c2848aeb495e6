/**
 * Files that arrive with shapes (a board file's `assets`, the clipboard's): each is checked to be
 * what its id says, the SHA-256 of its bytes, before the library keeps it and uploads it to this
 * board's room. A file whose bytes are not its id is never added: a shape naming that id would
 * show someone else's picture.
 */
import { assetIdOf } from '../../shared/assets.ts';
import type { BoardFileAsset } from '../../shared/board-file.ts';
import { assetIdsOf, type Shape } from '../../shared/schema.ts';
import type { AssetLibrary } from './asset-library.ts';

/** Carried files whose bytes are not the SHA-256 their id says. */
export class CarriedAssetMismatchError extends Error {
  readonly code = 'carried-asset-mismatch';
  constructor(readonly ids: readonly string[]) {
    super(`${ids.length === 1 ? 'an image file does' : `${ids.length} image files do`} not match ${ids.length === 1 ? 'its id' : 'their ids'} (${ids.map((id) => id.slice(0, 12)).join(', ')})`);
    this.name = 'CarriedAssetMismatchError';
  }
}

/**
 * The carried files that `shapes` show, split into those whose bytes hash to their id and those
 * that do not. Files no shape shows are dropped: they would only fill the room's quota.
 */
export async function checkCarriedAssets(assets: readonly BoardFileAsset[], shapes: readonly Shape[]): Promise<{ good: BoardFileAsset[]; bad: string[] }> {
  const shown = new Set(assetIdsOf(shapes));
  const wanted = assets.filter((asset) => shown.has(asset.id));
  const hashes = await Promise.all(wanted.map((asset) => assetIdOf(asset.bytes)));
  return {
    good: wanted.filter((asset, i) => hashes[i] === asset.id),
    bad: wanted.filter((asset, i) => hashes[i] !== asset.id).map((asset) => asset.id),
  };
}

/**
 * Adds files checkCarriedAssets passed to this board (kept in the browser, uploaded to its room);
 * the same file added twice is one file, so pasting into the board it came from changes nothing.
 * Throws CarriedAssetMismatchError if the library hashed a file to another id than the check did
 * (the shapes naming it must then not be added).
 */
export async function addCarriedAssets(library: Pick<AssetLibrary, 'add'>, assets: readonly BoardFileAsset[]): Promise<void> {
  const added = await Promise.all(assets.map((asset) => library.add(asset.bytes)));
  const wrong = assets.filter((asset, i) => added[i]!.id !== asset.id).map((asset) => asset.id);
  if (wrong.length > 0) throw new CarriedAssetMismatchError(wrong);
}
