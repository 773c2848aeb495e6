/**
 * The Archive on Redis, beside the rooms' logs (redis-persistence.ts). A room's keys share its
 * hash slot ({room}), so a version's info and state are written in one MULTI even on a cluster:
 *
 *   easel:{room}:vinfo    a hash: version id → info (JSON, archive-records.ts)
 *   easel:{room}:vstate   a hash: version id → state (a Yjs update holding the whole document)
 *   easel:{room}:assets   a hash: asset id → content type, NUL, bytes
 *   easel:{room}:asizes   a hash: asset id → its size in bytes (decimal), written in the same
 *                         MULTI, so a room's quota is summed without reading its files
 *   easel:boards          one hash for the server: room → board record (JSON)
 *
 * Hashes have no order, so lists are sorted here: ids sort by time, rooms by name.
 */
import type { Redis } from 'ioredis';
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

const keys = (room: string) => ({
  vinfo: `easel:{${room}}:vinfo`,
  vstate: `easel:{${room}}:vstate`,
  assets: `easel:{${room}}:assets`,
  assetSizes: `easel:{${room}}:asizes`,
});
const BOARDS_KEY = 'easel:boards';

/** Code-unit order, the order LevelDB's keys and the contract give. */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function attempt<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageFailure(`Redis ${action}`, error);
  }
}

/** Runs a MULTI; a command that failed inside it fails the whole call. */
async function exec(multi: ReturnType<Redis['multi']>): Promise<void> {
  const results = await multi.exec();
  if (results === null) throw new Error('transaction aborted');
  for (const [error] of results) if (error) throw error;
}

function versionStore(redis: Redis): VersionStore {
  return {
    async put(room: string, info: VersionInfo, state: Uint8Array) {
      checkRoom(room);
      checkId(info.id);
      const k = keys(room);
      // One transaction: a version is listed only if its state is there too.
      await attempt(`put version ${info.id} of room ${room}`, () =>
        exec(redis.multi().hset(k.vstate, info.id, toBuffer(state)).hset(k.vinfo, info.id, toBuffer(encodeVersionInfo(info)))),
      );
    },
    async list(room: string) {
      checkRoom(room);
      const all = await attempt(`list versions of room ${room}`, () => redis.hgetallBuffer(keys(room).vinfo));
      return Object.keys(all)
        .sort(byString)
        .map((id) => decodeVersionInfo(all[id]!, room, id));
    },
    async read(room: string, id: string) {
      checkRoom(room);
      checkId(id);
      const value = await attempt(`read version ${id} of room ${room}`, () => redis.hgetBuffer(keys(room).vstate, id));
      return value === null ? null : plainBytes(value);
    },
    async remove(room: string, ids: readonly string[]) {
      checkRoom(room);
      ids.forEach(checkId);
      if (ids.length === 0) return;
      const k = keys(room);
      await attempt(`remove versions of room ${room}`, () => exec(redis.multi().hdel(k.vinfo, ...ids).hdel(k.vstate, ...ids)));
    },
  };
}

function boardIndex(redis: Redis): BoardIndex {
  return {
    async list() {
      const all = await attempt('list boards', () => redis.hgetallBuffer(BOARDS_KEY));
      return Object.keys(all)
        .sort(byString)
        .map((room) => decodeBoardRecord(all[room]!, room));
    },
    async get(room: string) {
      checkRoom(room);
      const value = await attempt(`read the board record of room ${room}`, () => redis.hgetBuffer(BOARDS_KEY, room));
      return value === null ? null : decodeBoardRecord(value, room);
    },
    async put(record: BoardRecord) {
      checkRoom(record.room);
      await attempt(`write the board record of room ${record.room}`, () => redis.hset(BOARDS_KEY, record.room, toBuffer(encodeBoardRecord(record))));
    },
    async remove(room: string) {
      checkRoom(room);
      await attempt(`remove the board record of room ${room}`, () => redis.hdel(BOARDS_KEY, room));
    },
  };
}

function assetStore(redis: Redis): AssetStore {
  const store: AssetStore = {
    async put(room, id, asset) {
      checkRoom(room);
      checkId(id);
      const k = keys(room);
      const value = toBuffer(encodeAsset(asset));
      // One transaction: an asset is never there without its size, nor a size without its asset.
      await attempt(`put asset ${id} of room ${room}`, () =>
        exec(redis.multi().hset(k.assets, id, value).hset(k.assetSizes, id, toBuffer(encodeAssetSize(asset.bytes.byteLength)))),
      );
    },
    async get(room, id) {
      checkRoom(room);
      checkId(id);
      const value = await attempt(`read asset ${id} of room ${room}`, () => redis.hgetBuffer(keys(room).assets, id));
      return value === null ? null : decodeAsset(value, room, id);
    },
    async list(room) {
      checkRoom(room);
      const ids = await attempt(`list assets of room ${room}`, () => redis.hkeys(keys(room).assets));
      return ids.sort(byString);
    },
    async sizes(room) {
      checkRoom(room);
      const k = keys(room);
      const [ids, stored] = await attempt(`list asset sizes of room ${room}`, () => Promise.all([redis.hkeys(k.assets), redis.hgetallBuffer(k.assetSizes)]));
      const result = new Map<string, number>();
      for (const id of ids.sort(byString)) {
        const size = stored[id];
        // An asset stored before sizes were kept beside it (a restored backup of an older server)
        // is measured once by reading it.
        result.set(id, size !== undefined ? decodeAssetSize(size, room, id) : ((await store.get(room, id))?.bytes.byteLength ?? 0));
      }
      return result;
    },
    async remove(room, ids) {
      checkRoom(room);
      ids.forEach(checkId);
      if (ids.length === 0) return;
      const k = keys(room);
      await attempt(`remove assets of room ${room}`, () => exec(redis.multi().hdel(k.assets, ...ids).hdel(k.assetSizes, ...ids)));
    },
  };
  return store;
}

/** An Archive on `redis`, the connection the store's log commands use; closing it is the store's job. */
export function createRedisArchive(redis: Redis): Archive {
  return { versions: versionStore(redis), boards: boardIndex(redis), assets: assetStore(redis) };
}
