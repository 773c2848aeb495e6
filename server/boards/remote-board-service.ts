/**
 * A BoardService that is a running server's HTTP API (shared/api.ts): what the CLI uses with
 * --url. Refusals come back as RemoteApiError carrying the server's status and `{ error, message }`.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BACKUP_API_PATH,
  BOARDS_API_PATH,
  repairApiPath,
  restoreApiPath,
  roomApiPath,
  undeleteApiPath,
  versionApiPath,
  versionsApiPath,
  type BoardListResponse,
  type BoardSummary,
  type RepairResponse,
  type RestoreBackupResponse,
  type VersionListResponse,
  type VersionResponse,
} from '../../shared/api.ts';
import { readBoardFile, serializeBoard, type BoardFileData } from '../../shared/board-file.ts';
import { EaselError } from '../errors.ts';
import type { BoardService } from './board-service.ts';

/** The server answered with an error (`status` and its `{ error, message }`), or could not be reached (status 0). */
export class RemoteApiError extends EaselError {
  readonly httpStatus: number;
  constructor(httpStatus: number, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.httpStatus = httpStatus;
  }
}

export interface RemoteBoardServiceOptions {
  /** The server's base URL, e.g. http://localhost:1234. */
  url: string;
  /** A bearer token (an access JWT or the admin token), or null. */
  token: string | null;
  /** Recorded as who made a replace or restore (X-Easel-Editor). */
  editor: string;
}

/** The BoardService of the server at `options.url`. */
export function createRemoteBoardService(options: RemoteBoardServiceOptions): BoardService {
  const base = options.url.replace(/\/+$/, '');
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(options.token !== null && { authorization: `Bearer ${options.token}` }),
    'x-easel-editor': options.editor,
    ...extra,
  });

  async function call(method: string, path: string, init: { body?: BodyInit | Readable; contentType?: string } = {}): Promise<Response> {
    let response: Response;
    try {
      const body = init.body instanceof Readable ? (Readable.toWeb(init.body) as unknown as BodyInit) : init.body;
      response = await fetch(`${base}${path}`, {
        method,
        headers: headers(init.contentType === undefined ? {} : { 'content-type': init.contentType }),
        body,
        // A streamed request body (a backup) needs half duplex in fetch.
        ...(init.body instanceof Readable && { duplex: 'half' }),
      } as RequestInit);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RemoteApiError(0, 'unreachable', `cannot reach ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
    }
    if (response.ok) return response;
    const text = await response.text();
    let code = `http_${response.status}`;
    let message = text.slice(0, 500) || response.statusText;
    try {
      const body = JSON.parse(text) as { error?: unknown; message?: unknown };
      if (typeof body.error === 'string') code = body.error;
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // Not the API's JSON (a proxy's error page): its text is the message.
    }
    throw new RemoteApiError(response.status, code, `${method} ${path}: ${response.status} ${code}: ${message}`);
  }

  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
  const boardFile = async (response: Response): Promise<BoardFileData> => readBoardFile(await response.text());

  return {
    async listBoards() {
      return (await json<BoardListResponse>(await call('GET', BOARDS_API_PATH))).boards;
    },
    async getBoard(room) {
      return boardFile(await call('GET', roomApiPath(room)));
    },
    async replaceBoard(room, file) {
      const response = await call('PUT', roomApiPath(room), { body: serializeBoard(file.shapes, file.title, file.assets ?? []), contentType: 'application/json' });
      return (await json<VersionResponse>(response)).version;
    },
    async listVersions(room) {
      return (await json<VersionListResponse>(await call('GET', versionsApiPath(room)))).versions;
    },
    async getVersion(room, id) {
      return boardFile(await call('GET', versionApiPath(room, id)));
    },
    async restoreVersion(room, id) {
      return (await json<VersionResponse>(await call('POST', restoreApiPath(room, id)))).version;
    },
    async deleteBoard(room) {
      return json<BoardSummary>(await call('DELETE', roomApiPath(room)));
    },
    async undeleteBoard(room) {
      return json<BoardSummary>(await call('POST', undeleteApiPath(room)));
    },
    async repairBoard(room) {
      return json<RepairResponse>(await call('POST', repairApiPath(room)));
    },
    async backup(out: Writable) {
      const response = await call('GET', BACKUP_API_PATH);
      if (response.body === null) throw new RemoteApiError(response.status, 'empty', 'the server sent no backup');
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), out, { end: false });
    },
    async restoreBackup(input) {
      return json<RestoreBackupResponse>(await call('POST', BACKUP_API_PATH, { body: input, contentType: 'application/x-ndjson' }));
    },
    async close() {
      // Nothing held: each call is its own request.
    },
  };
}
