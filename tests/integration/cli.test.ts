/**
 * The CLI as a user runs it (a child process) against a real server: usage errors exit 2 with the
 * usage, a server's refusal exits 1 with its message, and an unreachable server says so.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/easel.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function easel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [SCRIPT, ...args], { env: { ...process.env, EASEL_URL: '', EASEL_TOKEN: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('bad usage exits 2 with the usage', async () => {
  for (const args of [['frobnicate', '--url', server.httpUrl], ['export', '--url', server.httpUrl], ['list'], ['export', 'bad room!', '--url', server.httpUrl]]) {
    const result = await easel(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /Usage: npm run -s easel/);
  }
});

test("a server's refusal exits 1 with the server's message", async () => {
  const result = await easel(['list', '--url', server.httpUrl]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /404 admin_disabled: The admin API is off/);
});

test('an unreachable server is named', async () => {
  const result = await easel(['list', '--url', 'http://127.0.0.1:9']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
});
