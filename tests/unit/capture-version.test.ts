/**
 * The browser's request for a version before it restores (client/sync/versions-api.ts): what it
 * sends, and that a refusal or a broken answer is a result saying so (the panel then restores
 * nothing). The request goes through an injected fetch, as the page's API seam takes one; the
 * server side is tested for real in tests/integration/api.test.ts and tests/e2e/history.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { versionsApiPath, type VersionInfo } from '../../shared/api.ts';
import { captureVersion } from '../../client/sync/versions-api.ts';

const VERSION: VersionInfo = { id: 'v1', at: '2024-06-15T12:00:00.000Z', reason: 'restore', editors: [], shapes: 2, bytes: 120 };

/** A fetch answering `status` with `body`, recording what it was asked. */
function answering(status: number, body: unknown): { fetch: typeof fetch; asked: Array<{ url: string; init: RequestInit | undefined }> } {
  const asked: Array<{ url: string; init: RequestInit | undefined }> = [];
  return {
    asked,
    fetch: (async (url: string, init?: RequestInit) => {
      asked.push({ url, init });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
    }) as typeof fetch,
  };
}

test('asks for a version with reason restore, with the link’s token, and answers it', async () => {
  const server = answering(200, { version: VERSION });
  const result = await captureVersion({ room: 'r 1', token: 'tok', fetch: server.fetch }, 'restore');
  assert.deepEqual(result, { kind: 'captured', version: VERSION });
  assert.equal(server.asked[0]!.url, versionsApiPath('r 1'));
  assert.equal(server.asked[0]!.init?.method, 'POST');
  assert.deepEqual(JSON.parse(String(server.asked[0]!.init?.body)), { reason: 'restore' });
  assert.equal((server.asked[0]!.init?.headers as Record<string, string>).authorization, 'Bearer tok');
});

test('a refusal, an unreachable server or an unreadable answer is an error result naming why', async () => {
  const refused = await captureVersion({ room: 'r', token: null, fetch: answering(403, { error: 'forbidden', message: 'view only' }).fetch }, 'restore');
  assert.equal(refused.kind, 'error');
  assert.match((refused as { message: string }).message, /may not change the board.*view only.*nothing was restored/);
  const failing = (async () => {
    throw new TypeError('network down');
  }) as typeof fetch;
  const unreachable = await captureVersion({ room: 'r', token: null, fetch: failing }, 'restore');
  assert.match((unreachable as { message: string }).message, /network down/);
  const garbled = await captureVersion({ room: 'r', token: null, fetch: answering(200, { version: { id: 3 } }).fetch }, 'restore');
  assert.equal(garbled.kind, 'error');
});
