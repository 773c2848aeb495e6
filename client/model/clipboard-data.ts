import { isAssetId, sniffAssetType } from '../../shared/assets.ts';
import { fromBase64, toBase64, type BoardFileAsset } from '../../shared/board-file.ts';
import { readShape, shapeFields, type Shape } from '../../shared/schema.ts';

/** Marks clipboard text as Easel shapes (anything else pasted is plain text). */
export const CLIPBOARD_TYPE = 'easel/clipboard';
export const CLIPBOARD_VERSION = 1;

/**
 * Most characters of clipboard text carrying files: past it the files that do not fit stay
 * behind (their shapes still travel, and show where the file is already known). Browsers and
 * desktops handle text of this size; much larger stalls the copy.
 */
export const MAX_CLIPBOARD_CHARS = 25 * 1024 * 1024;

/** What Easel clipboard text holds: shapes, and the files of the images among them that came along. */
export interface ClipboardContent {
  shapes: Shape[];
  /** Files carried as in a board file; each is a real image, its id not yet checked against its bytes. */
  assets: BoardFileAsset[];
  /** How many carried files were unreadable (not base64, not an image, a bad id) and were dropped. */
  refused: number;
}

/** Shapes as clipboard text: JSON any app can hold, and Easel can read back. */
export function serializeShapes(shapes: readonly Shape[]): string {
  return serializeClipboard(shapes).text;
}

/**
 * Shapes and the files their images show as clipboard text, as a board file carries files
 * (`assets: [{ id, type, data (base64) }]`). Files that would take the text past `maxChars` are
 * left out, in the order given, and named in `skipped`.
 */
export function serializeClipboard(shapes: readonly Shape[], assets: readonly BoardFileAsset[] = [], maxChars = MAX_CLIPBOARD_CHARS): { text: string; skipped: string[] } {
  const records = shapes.map((shape) => ({ id: shape.id, ...shapeFields(shape) }));
  const bare = { type: CLIPBOARD_TYPE, version: CLIPBOARD_VERSION, shapes: records };
  let size = JSON.stringify(bare).length;
  const carried: { id: string; type: string; data: string }[] = [];
  const skipped: string[] = [];
  for (const asset of assets) {
    // Base64 grows by a third; the rest is the entry's keys, id and type.
    const cost = 4 * Math.ceil(asset.bytes.length / 3) + asset.id.length + asset.type.length + 40;
    if (size + cost > maxChars) {
      skipped.push(asset.id);
      continue;
    }
    size += cost;
    carried.push({ id: asset.id, type: asset.type, data: toBase64(asset.bytes) });
  }
  return { text: JSON.stringify(carried.length > 0 ? { ...bare, assets: carried } : bare), skipped };
}

/**
 * The shapes in clipboard text, each through the schema gate (broken ones are skipped), or null
 * if the text is not Easel shapes at all and should be pasted as text.
 */
export function parseShapes(text: string): Shape[] | null {
  return parseClipboard(text)?.shapes ?? null;
}

/**
 * The shapes and carried files in clipboard text, or null if it is not Easel shapes. Broken
 * shapes are skipped; a carried file must be a PNG, JPEG, GIF or WebP by its own bytes with an id
 * of SHA-256 form, or it is dropped and counted in `refused`. The caller checks each id against
 * its bytes before adding the file (hashing is asynchronous): client/assets/carried-assets.ts.
 */
export function parseClipboard(text: string): ClipboardContent | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== CLIPBOARD_TYPE) return null;
  const { shapes: list, assets: files } = data as { shapes?: unknown; assets?: unknown };
  const shapes: Shape[] = [];
  for (const entry of Array.isArray(list) ? list : []) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const result = readShape(id, entry);
    if (result.ok) shapes.push(result.shape);
  }
  const assets: BoardFileAsset[] = [];
  let refused = 0;
  for (const entry of Array.isArray(files) ? files : []) {
    const asset = readCarriedAsset(entry);
    if (asset === null || assets.some((other) => other.id === asset.id)) refused++;
    else assets.push(asset);
  }
  return { shapes, assets, refused };
}

/** One carried file, or null if it is not a readable image with an id of the right form. */
function readCarriedAsset(entry: unknown): BoardFileAsset | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { id, data } = entry as { id?: unknown; data?: unknown };
  if (!isAssetId(id) || typeof data !== 'string') return null;
  const bytes = fromBase64(data);
  const type = bytes === null ? null : sniffAssetType(bytes);
  return bytes === null || type === null ? null : { id, type, bytes };
}
