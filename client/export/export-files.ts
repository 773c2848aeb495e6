/**
 * The files of the image shapes an export shows, fetched before it is drawn: decoded pictures for
 * a PNG, data: URLs for an SVG, bytes for a board file. An export never waits forever on a file
 * (the library retries a missing one for as long as the board shows it): past the timeout, or when
 * the library has no copy, the file is left out (a placeholder is drawn, the board file goes
 * without it) and its id is listed in `missing` so the person can be told.
 */
import { sniffAssetType } from '../../shared/assets.ts';
import { toBase64, type BoardFileAsset } from '../../shared/board-file.ts';
import { assetIdsOf, type Shape } from '../../shared/schema.ts';
import type { AssetLibrary } from '../assets/asset-library.ts';
import type { ViewContext } from '../canvas/views/view.ts';
import type { SvgContext } from '../shapes/shape-util.ts';

/** What exports, imports and copies need of the board's asset library. */
export type BoardFiles = Pick<AssetLibrary, 'picture' | 'file' | 'add'>;

/** The library's part exports use. */
export type ExportFiles = Pick<AssetLibrary, 'picture' | 'file'>;

/** How long an export waits for one file before exporting its placeholder. */
export const EXPORT_FILE_TIMEOUT_MS = 10_000;

/** An export's files: what came, and the ids of those that did not. */
export interface ExportedFiles<T> {
  files: T;
  missing: string[];
}

/** A file that did not come in time for an export. */
export class ExportFileTimeoutError extends Error {
  readonly code = 'export-file-timeout';
  constructor(readonly assetId: string) {
    super(`the file ${assetId} did not arrive in time`);
    this.name = 'ExportFileTimeoutError';
  }
}

/** The pictures of the shapes' files, as the ViewContext a PNG export draws with. */
export async function exportPictures(library: Pick<ExportFiles, 'picture'>, shapes: readonly Shape[], timeoutMs = EXPORT_FILE_TIMEOUT_MS): Promise<ExportedFiles<ViewContext>> {
  const pictures = new Map<string, CanvasImageSource>();
  const missing: string[] = [];
  await Promise.all(
    assetIdsOf(shapes).map(async (id) => {
      const late = new AbortController();
      const timer = setTimeout(() => late.abort(new ExportFileTimeoutError(id)), timeoutMs);
      try {
        pictures.set(id, await library.picture(id, late.signal));
      } catch (error) {
        console.warn(`easel: exporting the placeholder of image file ${id}`, error);
        missing.push(id);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { files: { image: (id) => pictures.get(id) ?? null }, missing };
}

/** The bytes of the shapes' files, as a board file carries them. */
export async function exportFileBytes(library: Pick<ExportFiles, 'file'>, shapes: readonly Shape[], timeoutMs = EXPORT_FILE_TIMEOUT_MS): Promise<ExportedFiles<BoardFileAsset[]>> {
  const ids = assetIdsOf(shapes);
  const found = await Promise.all(
    ids.map(async (id): Promise<BoardFileAsset | null> => {
      try {
        const blob = await withTimeout(library.file(id), id, timeoutMs);
        if (blob === null) return null;
        const bytes = new Uint8Array(await blob.arrayBuffer());
        const type = sniffAssetType(bytes);
        if (type === null) throw new Error(`the library's copy of ${id} is not an image`);
        return { id, type, bytes };
      } catch (error) {
        console.warn(`easel: exporting without image file ${id}`, error);
        return null;
      }
    }),
  );
  const files = found.filter((asset): asset is BoardFileAsset => asset !== null);
  return { files, missing: ids.filter((_, i) => found[i] === null) };
}

/** The shapes' files as data: URLs, as the SvgContext an SVG export embeds them with. */
export async function exportDataUrls(library: Pick<ExportFiles, 'file'>, shapes: readonly Shape[], timeoutMs = EXPORT_FILE_TIMEOUT_MS): Promise<ExportedFiles<SvgContext>> {
  const { files, missing } = await exportFileBytes(library, shapes, timeoutMs);
  return { files: svgFiles(files), missing };
}

/** An SvgContext over files in hand. */
export function svgFiles(files: readonly BoardFileAsset[]): SvgContext {
  const urls = new Map(files.map((file) => [file.id, dataUrl(file)]));
  return { assetUrl: (id) => urls.get(id) ?? null };
}

/** A file as a data: URL of its sniffed type. */
export function dataUrl(file: Pick<BoardFileAsset, 'type' | 'bytes'>): string {
  return `data:${file.type};base64,${toBase64(file.bytes)}`;
}

/** What the person is told when `count` images' files were left out of an export. */
export function missingFilesMessage(count: number, what: 'placeholder' | 'left out'): string {
  const files = count === 1 ? "1 image's file" : `${count} images' files`;
  return what === 'placeholder'
    ? `${files} could not be loaded: exported as ${count === 1 ? 'a placeholder' : 'placeholders'}.`
    : `${files} could not be loaded and ${count === 1 ? 'was' : 'were'} left out of the file: ${count === 1 ? 'it shows' : 'they show'} as ${count === 1 ? 'a placeholder' : 'placeholders'} where it is imported.`;
}

function withTimeout<T>(promise: Promise<T>, assetId: string, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExportFileTimeoutError(assetId)), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
