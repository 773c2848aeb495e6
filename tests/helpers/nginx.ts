/**
 * A real nginx for tests: found on the machine (or installed from Debian's packages when we are
 * root), run in the foreground as our child with its own prefix, config, logs and temp folders,
 * on a free port; plus a self-signed certificate made with openssl.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function locate(): Promise<string | null> {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx', '/usr/local/bin/nginx']) {
    if (await exists(candidate)) return candidate;
  }
  try {
    const { stdout } = await run('sh', ['-c', 'command -v nginx']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** The nginx binary; installs Debian's nginx-light if it is missing and we may. Throws if impossible. */
export async function findNginx(): Promise<string> {
  const found = await locate();
  if (found) return found;
  const problems: string[] = [];
  if (process.getuid?.() !== 0) {
    throw new Error('nginx is not installed and this is not root, so it cannot be installed: run `apt-get install -y nginx-light` (or nginx)');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const step of [['install'], ['update'], ['install']]) {
    try {
      if (step[0] === 'update') await run('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
      else await run('apt-get', ['install', '-y', '-qq', 'nginx-light'], { env, timeout: 300_000 });
    } catch (error) {
      problems.push(`apt-get ${step[0]}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      continue;
    }
    const installed = await locate();
    if (installed) return installed;
  }
  throw new Error(`nginx is not installed and installing it failed (${problems.join('; ')}); install it with \`apt-get install -y nginx-light\``);
}

export interface Certificate {
  certFile: string;
  keyFile: string;
  /** The certificate itself, to trust as a CA. */
  pem: string;
}

/** A self-signed certificate for localhost and 127.0.0.1, valid for a day. */
export async function makeCertificate(dir: string): Promise<Certificate> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', keyFile, '-out', certFile,
    '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { certFile, keyFile, pem: await readFile(certFile, 'utf8') };
}

export interface RunningNginx {
  /** Stops nginx (fast shutdown) and waits for it to exit. */
  stop(): Promise<void>;
  /** nginx's error log so far, for failure messages. */
  errorLog(): Promise<string>;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`nginx exited with code ${child.exitCode}`));
        return;
      }
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        // Nothing to listen to for "nginx is ready": poll with a deadline.
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/**
 * Runs nginx in the foreground with `httpBlock` inside `http { }`, everything under `dir`; resolves
 * once `port` accepts connections.
 */
export async function startNginx(binary: string, dir: string, httpBlock: string, port: number): Promise<RunningNginx> {
  const temp = path.join(dir, 'temp');
  await mkdir(temp, { recursive: true });
  // Workers drop root for nobody; they write proxy buffers here.
  await chmod(dir, 0o755);
  await chmod(temp, 0o777);
  const errorLogFile = path.join(dir, 'error.log');
  const config = `
${process.getuid?.() === 0 ? 'user nobody nogroup;' : ''}
daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${errorLogFile} info;
events { worker_connections 256; }
http {
  access_log ${path.join(dir, 'access.log')};
  client_body_temp_path ${path.join(temp, 'body')};
  proxy_temp_path ${path.join(temp, 'proxy')};
  fastcgi_temp_path ${path.join(temp, 'fastcgi')};
  uwsgi_temp_path ${path.join(temp, 'uwsgi')};
  scgi_temp_path ${path.join(temp, 'scgi')};
${httpBlock}
}
`;
  const configFile = path.join(dir, 'nginx.conf');
  await writeFile(configFile, config);
  const child = spawn(binary, ['-p', `${dir}/`, '-e', errorLogFile, '-c', configFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = async (): Promise<string> => ((await exists(errorLogFile)) ? readFile(errorLogFile, 'utf8') : '');
  try {
    await waitForPort(port, child, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await errorLog()}`);
  }
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    errorLog,
  };
}
