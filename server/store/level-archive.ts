/**
 * The Archive on LevelDB, in the same database as the rooms' logs (r!<room>!…, h!probe):
 *
 *   v!<room>!i!<id>  → a version's info (JSON, archive-records.ts)
 *   v!<room>!s!<id>  → a version's state (a Yjs update holding the whole document)
 *   b!<room>         → the board's record (JSON)
 *   a!<room>!<id>    → an asset: content type, NUL, bytes
 *   as!<room>!<id>   → that asset's size in bytes (decimal), written in the same batch, so a
 *                      room's quota is summed without reading its files
 *
 * Info and state live under separate keys so listing versions reads no states. Room names and
 * ids never contain '!' and sort below '~', so `<prefix>!` … `<prefix>!~` is exactly one room's
 * range and a room whose name is a prefix of another's never reads the other's keys.
 */
import type { Level } from 'level';
import type { VersionInfo } from '../../shared/api.ts';
import type { Archive, AssetStore, BoardIndex, BoardRecord, VersionStore } from './archive.ts';
import {
  checkId,
  checkRoom,
  decodeAsset,
  decodeAssetSize,
  decodeBoardRecord,
  decodeVersionInfo,
  encodeAsset,
  encodeAssetSize,
  encodeBoardRecord,
  encodeVersionInfo,
  plainBytes,
  storageFailure,
} from './archive-records.ts';

type Db = Level<string, Uint8Array>;
type Op = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

const infoKey = (room: string, id: string): string => `v!${room}!i!${id}`;
const stateKey = (room: string, id: string): string => `v!${room}!s!${id}`;
const boardKey = (room: string): string => `b!${room}`;
const assetKey = (room: string, id: string): string => `a!${room}!${id}`;
const assetSizeKey = (room: string, id: string): string => `as!${room}!${id}`;
/** Every key starting with `prefix`: ids and room names sort below '~'. */
const range = (prefix: string): { gt: string; lt: string } => ({ gt: prefix, lt: `${prefix}~` });

/** What failed, as a StorageError; callers' own errors (bad names) are thrown before this. */
async function attempt<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageFailure(`LevelDB ${action}`, error);
  }
}

function versionStore(db: Db): VersionStore {
  return {
    async put(room: string, info: VersionInfo, state: Uint8Array) {
      checkRoom(room);
      checkId(info.id);
      // One batch: a version is listed only if its state is there too.
      const ops: Op[] = [
        { type: 'put', key: stateKey(room, info.id), value: state },
        { type: 'put', key: infoKey(room, info.id), value: encodeVersionInfo(info) },
      ];
      await attempt(`put version ${info.id} of room ${room}`, () => db.batch(ops));
    },
    async list(room: string) {
      checkRoom(room);
      const prefix = infoKey(room, '');
      const entries = await attempt(`list versions of room ${room}`, () => db.iterator(range(prefix)).all());
      // Keys sort by id, and ids sort by time.
      return entries.map(([key, value]) => decodeVersionInfo(value, room, key.slice(prefix.length)));
    },
    async read(room: string, id: string) {
      checkRoom(room);
      checkId(id);
      const value = await attempt(`read version ${id} of room ${room}`, () => db.get(stateKey(room, id)));
      return value === undefined ? null : plainBytes(value);
    },
    async remove(room: string, ids: readonly string[]) {
      checkRoom(room);
      ids.forEach(checkId);
      if (ids.length === 0) return;
      const ops: Op[] = ids.flatMap((id) => [
        { type: 'del' as const, key: infoKey(room, id) },
        { type: 'del' as const, key: stateKey(room, id) },
      ]);
      await attempt(`remove versions of room ${room}`, () => db.batch(ops));
    },
  };
}

function boardIndex(db: Db): BoardIndex {
  return {
    async list() {
      const entries = await attempt('list boards', () => db.iterator(range('b!')).all());
      // Key order is room-name order: every key is 'b!' followed by the name.
      return entries.map(([key, value]) => decodeBoardRecord(value, key.slice(2)));
    },
    async get(room: string) {
      checkRoom(room);
      const value = await attempt(`read the board record of room ${room}`, () => db.get(boardKey(room)));
      return value === undefined ? null : decodeBoardRecord(value, room);
    },
    async put(record: BoardRecord) {
      checkRoom(record.room);
      await attempt(`write the board record of room ${record.room}`, () => db.put(boardKey(record.room), encodeBoardRecord(record)));
    },
    async remove(room: string) {
      checkRoom(room);
      await attempt(`remove the board record of room ${room}`, () => db.del(boardKey(room)));
    },
  };
}

function assetStore(db: Db): AssetStore {
  const store: AssetStore = {
    async put(room, id, asset) {
      checkRoom(room);
      checkId(id);
      // One batch: an asset is never there without its size, nor a size without its asset.
      const ops: Op[] = [
        { type: 'put', key: assetKey(room, id), value: encodeAsset(asset) },
        { type: 'put', key: assetSizeKey(room, id), value: encodeAssetSize(asset.bytes.byteLength) },
      ];
      await attempt(`put asset ${id} of room ${room}`, () => db.batch(ops));
    },
    async get(room, id) {
      checkRoom(room);
      checkId(id);
      const value = await attempt(`read asset ${id} of room ${room}`, () => db.get(assetKey(room, id)));
      return value === undefined ? null : decodeAsset(value, room, id);
    },
    async list(room) {
      checkRoom(room);
      const prefix = assetKey(room, '');
      const keys = await attempt(`list assets of room ${room}`, () => db.keys(range(prefix)).all());
      return keys.map((key) => key.slice(prefix.length));
    },
    async sizes(room) {
      checkRoom(room);
      const prefix = assetSizeKey(room, '');
      const entries = await attempt(`list asset sizes of room ${room}`, () => db.iterator(range(prefix)).all());
      const sizes = new Map(entries.map(([key, value]) => [key.slice(prefix.length), decodeAssetSize(value, room, key.slice(prefix.length))]));
      // An asset stored before sizes were kept beside it (a restored backup of an older server)
      // is measured once by reading it.
      const result = new Map<string, number>();
      for (const id of await store.list(room)) {
        const known = sizes.get(id);
        if (known !== undefined) result.set(id, known);
        else result.set(id, (await store.get(room, id))?.bytes.byteLength ?? 0);
      }
      return result;
    },
    async remove(room, ids) {
      checkRoom(room);
      ids.forEach(checkId);
      if (ids.length === 0) return;
      const ops: Op[] = ids.flatMap((id) => [
        { type: 'del' as const, key: assetKey(room, id) },
        { type: 'del' as const, key: assetSizeKey(room, id) },
      ]);
      await attempt(`remove assets of room ${room}`, () => db.batch(ops));
    },
  };
  return store;
}

/**
 * An Archive in `db`, the LevelDB the rooms' logs are in (opened with utf8 keys and Uint8Array
 * values). It holds no state of its own: closing the db is the store's job.
 */
export function createLevelArchive(db: Db): Archive {
  return { versions: versionStore(db), boards: boardIndex(db), assets: assetStore(db) };
}
