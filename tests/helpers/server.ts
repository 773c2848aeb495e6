/**
 * Starts a real Easel server for tests: in-process on port 0 with a fresh LevelDB in a temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type EaselServer, type ServerOptions } from '../../server/server.ts';

export interface TestServer {
  server: EaselServer;
  /** http://127.0.0.1:<port> */
  httpUrl: string;
  /** ws://127.0.0.1:<port>/sync, the base URL a WebsocketProvider takes. */
  syncUrl: string;
  dataDir: string;
  port: number;
  /** Stops the server (keeps the data dir). */
  stop(): Promise<void>;
  /** Stops the server and removes the data dir. */
  close(): Promise<void>;
}

/** Makes a temp dir for a LevelDB that the caller removes. */
export async function makeTempDir(prefix = 'easel-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** A server on port 0; pass `dataDir` to reopen an existing store. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeTempDir());
  const server = await createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options, dataDir });
  const port = server.port;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    server,
    port,
    dataDir,
    httpUrl: `http://127.0.0.1:${port}`,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    stop,
    close: async () => {
      await stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
