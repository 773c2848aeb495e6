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

/** A server process as spawned: it may be listening soon, or may exit first (start-up tests). */
export interface SpawnedServer {
  child: ChildProcess;
  /** Resolves with the port once the server logs that it listens; rejects if it exits first. */
  listening: Promise<number>;
  exited: Promise<number | string>;
  /** Every line printed so far, stdout (JSON logs) and stderr alike. */
  lines: string[];
  /** Lines printed on stderr only (what a person reads when the server will not start). */
  stderr: string[];
}

/** Spawns `server/main.ts --port 0 --host 127.0.0.1 <args>` without waiting for anything. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): SpawnedServer {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lines.push(line);
    stderr.push(line);
  });
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
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
  listening.catch(() => undefined);
  return { child, listening, exited, lines, stderr };
}

/** Starts `server/main.ts --port 0 --data <dir>` and resolves once it listens. */
export async function startChildServer(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
  const { child, listening, exited, lines } = spawnServer(['--data', dataDir, ...extraArgs], env);
  const port = await listening;
  return { child, port, exited, lines, syncUrl: `ws://127.0.0.1:${port}/sync`, httpUrl: `http://127.0.0.1:${port}` };
}
