/**
 * A real redis-server for tests: Debian's package, installed if missing (as root), started on a
 * free port with append-only persistence in a temp dir, stopped by `close()`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { freePort } from './ports.ts';
import { makeTempDir } from './server.ts';

/** The path of redis-server, installing Debian's package if it is missing and we are root. */
export function findRedisServer(): string {
  const lookup = (): string | null => {
    try {
      return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'ignore' });
    } catch (error) {
      throw new Error(`redis-server is not installed and apt-get could not install it: ${String(error)}`);
    }
    const installed = lookup();
    if (installed) return installed;
  }
  throw new Error('These tests need redis-server (Debian package redis-server): install it with "apt-get install -y redis-server".');
}

export interface TestRedis {
  url: string;
  port: number;
  /** The running redis-server process (replaced by restart()). */
  readonly pid: number;
  /** kill -9: the process dies at once; its append-only file stays in the data dir. */
  kill(): Promise<void>;
  /** Starts redis-server again on the same port and data dir, after kill(). */
  restart(): Promise<void>;
  /** SIGSTOP: the process holds its connections open and answers nothing, as a frozen VM does. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  close(): Promise<void>;
}

interface RedisProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Starts redis-server on `port` with append-only persistence in `dir`; resolves once it is ready. */
async function launch(binary: string, port: number, dir: string): Promise<RedisProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (line.includes('Ready to accept connections')) resolve();
    });
    void exited.then(() => reject(new Error(`redis-server exited before it was ready:\n${output.join('\n')}`)));
  });
  return { child, exited };
}

/** A redis-server on a free port, with append-only persistence in a temp dir. */
export async function startRedis(options: { port?: number } = {}): Promise<TestRedis> {
  const binary = findRedisServer();
  const dir = await makeTempDir('easel-redis-');
  const port = options.port ?? (await freePort());
  let current = await launch(binary, port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current.child.pid!;
    },
    async kill() {
      current.child.kill('SIGKILL');
      await current.exited;
    },
    async restart() {
      current = await launch(binary, port, dir);
    },
    freeze() {
      current.child.kill('SIGSTOP');
    },
    thaw() {
      current.child.kill('SIGCONT');
    },
    async close() {
      // A frozen process would not act on SIGTERM.
      current.child.kill('SIGCONT');
      current.child.kill('SIGTERM');
      await current.exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
