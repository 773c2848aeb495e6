/**
 * Typed transaction origins. Every `doc.transact` in Easel passes one of these, so a listener can
 * tell who made a change: the UndoManager tracks only LOCAL, the server stores only what came from
 * a client, and nothing that came from Redis is published back to Redis.
 */

export const ORIGIN_KINDS = ['local', 'remote', 'offline', 'server', 'storage', 'redis', 'import', 'migration', 'api'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

/** A transaction origin; compared by identity, so use the constants below. */
export interface ChangeOrigin {
  readonly kind: OriginKind;
}

function origin(kind: OriginKind): ChangeOrigin {
  return Object.freeze({ kind });
}

/** The local user's own edits: the only undoable ones. */
export const LOCAL_ORIGIN = origin('local');
/** Edits received from the sync server. */
export const REMOTE_ORIGIN = origin('remote');
/** Edits loaded from the browser's offline copy or another tab of this browser. */
export const OFFLINE_ORIGIN = origin('offline');
/** Changes the server makes itself (writing the schema version of a new room); stored and relayed. */
export const SERVER_ORIGIN = origin('server');
/** What the server loads from its store: already stored, so never written or relayed again. */
export const STORAGE_ORIGIN = origin('storage');
/** Updates that arrived from another server process through Redis. */
export const REDIS_ORIGIN = origin('redis');
/** A board file imported by the local user: undoable as one step, like a local edit. */
export const IMPORT_ORIGIN = origin('import');
/**
 * A client bringing an older board up to the current layout (string text to Y.Text): not the
 * user's act, so never undoable; stored and relayed like any edit.
 */
export const MIGRATION_ORIGIN = origin('migration');

/**
 * A change the server makes for the HTTP API or the CLI (an import, a restore, a repair) on a
 * loaded room: stored, then relayed to every client like any edit.
 */
export const API_ORIGIN = origin('api');

/** The kind of a transaction origin, or null for origins set by libraries (providers). */
export function originKind(value: unknown): OriginKind | null {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return null;
  const kind = (value as { kind: unknown }).kind;
  return typeof kind === 'string' && (ORIGIN_KINDS as readonly string[]).includes(kind) ? (kind as OriginKind) : null;
}
