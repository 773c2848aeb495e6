/**
 * Runs the real server entry point (server/main.ts) as a child process, so tests can SIGTERM it
 * or kill -9 it and start it again on the same data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

export interface ChildServer {
  child: ChildProcess;
  port: number;
  syncUrl: string;
  httpUrl: string;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
  /** Every log line printed so far. */
  lines: string[];
}

/** Starts `server/main.ts --port 0 --data <dir>` and resolves once it listens. */
export async function startChildServer(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const port = await new Promise<number>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'easel server listening' && typeof entry.port === 'number') resolve(entry.port);
      } catch {
        // Not a JSON log line; it is kept in `lines` for the failure message.
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  return { child, port, exited, lines, syncUrl: `ws://127.0.0.1:${port}/sync`, httpUrl: `http://127.0.0.1:${port}` };
}
