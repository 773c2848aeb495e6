/**
 * A room's image files (shared/assets.ts) on the archive's AssetStore, with the checks every way
 * in shares: an upload through the API and the assets a board file carries into an import.
 *
 * Invariants enforced here, and only here:
 * - an asset is stored under the SHA-256 of its bytes, only if its bytes are PNG, JPEG, GIF or
 *   WebP by their own magic number (a declared type is never asked), and only up to
 *   `maxAssetBytes`; it is served with the type sniffed from its bytes again, so nothing stored
 *   another way (a backup) is ever served as something it is not;
 * - a room's assets never pass `maxRoomAssetBytes` in total, an id the room has already counting
 *   once: the quota check and the put run one room at a time in this process, so two uploads
 *   cannot both pass the check against the same total. (Processes sharing one Redis are not
 *   serialized with each other: each keeps its rooms within the quota as it sees them.)
 */
import { ASSET_ERROR, assetIdOf, isAssetId, sniffAssetType, type AssetUploadResponse } from '../../shared/assets.ts';
import type { BoardFileAsset } from '../../shared/board-file.ts';
import { AssetError } from '../errors.ts';
import type { AssetStore } from '../store/archive.ts';

export interface AssetLimits {
  /** The largest file, in bytes. */
  maxAssetBytes: number;
  /** The largest total of one room's files, in bytes; 0: no total. */
  maxRoomAssetBytes: number;
}

/** What storing a file did: the upload's answer, and whether the room did not have it before. */
export interface StoredAssetResult extends AssetUploadResponse {
  created: boolean;
}

export interface RoomAssets {
  readonly limits: AssetLimits;
  /**
   * Checks every file (size, type, hash; AssetError) before storing any, then stores those the
   * room does not have yet if the room's total stays within its quota with all of them (else
   * AssetError room_quota_exceeded, and none is stored). Answers each file in the order given.
   */
  store(room: string, files: ReadonlyArray<{ id: string; bytes: Uint8Array }>): Promise<StoredAssetResult[]>;
  /** The room's file `id` with the type its bytes have, or null (no such file, not an image). */
  read(room: string, id: string): Promise<BoardFileAsset | null>;
  /** The files among `ids` the room has, each once, in the order first named. */
  collect(room: string, ids: Iterable<string>): Promise<BoardFileAsset[]>;
}

const mib = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/**
 * The refusal of a file over the largest: `size` when known (null while a body is still arriving,
 * where the API stops reading at the limit with this same answer).
 */
export function assetTooLarge(maxAssetBytes: number, size: number | null): AssetError {
  const what = size === null ? 'the file is larger than that' : `the file is ${size} bytes`;
  return new AssetError(413, ASSET_ERROR.assetTooLarge, `this server takes files up to ${maxAssetBytes} bytes (${mib(maxAssetBytes)}); ${what}`);
}

/** The checks of one file that need no store: size, type, hash. Throws AssetError. */
async function check(file: { id: string; bytes: Uint8Array }, limits: AssetLimits): Promise<AssetUploadResponse> {
  const size = file.bytes.byteLength;
  if (size > limits.maxAssetBytes) throw assetTooLarge(limits.maxAssetBytes, size);
  // The type first: it costs nothing, and a file that is no image is refused as that whatever its id.
  const type = sniffAssetType(file.bytes);
  if (type === null) throw new AssetError(415, ASSET_ERROR.unsupportedType, 'the file is not a PNG, JPEG, GIF or WebP image (judged by its bytes, not by any declared type)');
  const actual = await assetIdOf(file.bytes);
  if (actual !== file.id) throw new AssetError(400, ASSET_ERROR.hashMismatch, `the file's SHA-256 is ${actual}, not the id ${file.id}`);
  return { id: file.id, type, bytes: size };
}

export function createRoomAssets(assets: AssetStore, limits: AssetLimits): RoomAssets {
  /** Each room's last queued store: the next waits for it (see oneAtATime). */
  const tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier work of `room` in this process has finished, failed or not. */
  function oneAtATime<T>(room: string, work: () => Promise<T>): Promise<T> {
    const run = (tails.get(room) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(room, tail);
    // The last one out forgets the room, so quiet rooms hold nothing.
    void tail.then(() => {
      if (tails.get(room) === tail) tails.delete(room);
    });
    return run;
  }

  async function read(room: string, id: string): Promise<BoardFileAsset | null> {
    if (!isAssetId(id)) return null;
    const stored = await assets.get(room, id);
    if (stored === null) return null;
    // What a backup restored is typed again from its bytes: never served as anything else.
    const type = sniffAssetType(stored.bytes);
    return type === null ? null : { id, type, bytes: stored.bytes };
  }

  return {
    limits,
    async store(room, files) {
      const checked: AssetUploadResponse[] = [];
      for (const file of files) checked.push(await check(file, limits));
      return oneAtATime(room, async () => {
        const sizes = await assets.sizes(room);
        const fresh = new Map<string, { id: string; bytes: Uint8Array }>();
        for (const file of files) if (!sizes.has(file.id)) fresh.set(file.id, file);
        if (limits.maxRoomAssetBytes > 0 && fresh.size > 0) {
          let total = 0;
          for (const size of sizes.values()) total += size;
          let added = 0;
          for (const file of fresh.values()) added += file.bytes.byteLength;
          if (total + added > limits.maxRoomAssetBytes) {
            throw new AssetError(
              413,
              ASSET_ERROR.roomQuotaExceeded,
              `this room's files would take ${total + added} bytes; this server keeps up to ${limits.maxRoomAssetBytes} bytes (${mib(limits.maxRoomAssetBytes)}) of files per room`,
            );
          }
        }
        for (const [id, file] of fresh) await assets.put(room, id, { bytes: file.bytes, contentType: checked[files.indexOf(file)]!.type });
        return checked.map((info) => ({ ...info, created: fresh.has(info.id) }));
      });
    },
    read,
    async collect(room, ids) {
      const found: BoardFileAsset[] = [];
      for (const id of new Set(ids)) {
        const asset = await read(room, id);
        if (asset !== null) found.push(asset);
      }
      return found;
    },
  };
}
