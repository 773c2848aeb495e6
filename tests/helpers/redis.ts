/**
 * A real redis-server for tests: Debian's package, installed if missing (as root), started on a
 * free port with append-only persistence in a temp dir, stopped by `close()`.
 */
import { execFileSync, spawn } from 'node:child_process';
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
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const binary = findRedisServer();
  const dir = await makeTempDir('easel-redis-');
  const port = await freePort();
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
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
