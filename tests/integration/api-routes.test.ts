/**
 * The API's routing against a real server: the OpenAPI document and the routes agree (every
 * documented path and method is answered, every other method on those paths is 405 with Allow,
 * unknown paths are 404), and requests are refused with the documented statuses and JSON errors
 * (401 with WWW-Authenticate, 413 past the size cap, 400 for malformed JSON, 404 with the admin
 * API off).
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { OPENAPI_PATH, roomApiPath, BOARDS_API_PATH, type ApiErrorBody } from '../../shared/api.ts';
import { MAX_BOARD_FILE_BYTES } from '../../shared/board-file.ts';
import { ROUTES } from '../../server/api/routes.ts';
import http from 'node:http';

const ADMIN_TOKEN = 'admin-token-0123456789-abcdefghijklmnopq';
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

let open: TestServer;
let openWithAdmin: TestServer;

before(async () => {
  [open, openWithAdmin] = await Promise.all([startTestServer(), startTestServer({ adminToken: ADMIN_TOKEN })]);
});

after(async () => {
  await Promise.all([open.close(), openWithAdmin.close()]);
});

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string }>>;
}

/** A PUT whose body `write` sends (never ended): resolves with the answer as soon as it comes. */
function put(path: string, headers: http.OutgoingHttpHeaders, write: (req: http.ClientRequest) => void): Promise<{ status: number; body: ApiErrorBody }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${open.httpUrl}${path}`, { method: 'PUT', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ApiErrorBody });
        req.destroy();
      });
    });
    // The server closes once it has answered; writes after that fail, which is expected here.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    write(req);
  });
}

const concrete = (template: string): string => template.replace('{room}', 'some-room').replace('{id}', 'v1');

describe('OpenAPI document against the real routes', () => {
  test('every documented path and method is answered; every other method there is 405 with Allow', async () => {
    const response = await fetch(`${openWithAdmin.httpUrl}${OPENAPI_PATH}`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as OpenApiDoc;
    assert.equal(doc.openapi, '3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    // Every routed endpoint is documented, and nothing else is.
    assert.deepEqual(documented.sort(), ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const res = await fetch(`${openWithAdmin.httpUrl}${concrete(path)}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
        });
        // 204 (a board never written has no state) has no body.
        const body = res.status === 204 ? {} : ((await res.json()) as ApiErrorBody | object);
        const label = `${method} ${path} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`;
        if (method.toLowerCase() in ops) {
          assert.ok(!(res.status === 404 && 'message' in body && body.message === 'no such endpoint'), label);
          assert.notEqual(res.status, 405, label);
        } else {
          assert.equal(res.status, 405, label);
          const allow = (res.headers.get('allow') ?? '').split(', ').sort();
          assert.deepEqual(allow, Object.keys(ops).map((m) => m.toUpperCase()).sort(), label);
        }
      }
    }
  });

  test('the asset endpoints are documented with binary bodies and their refusals', async () => {
    const doc = (await (await fetch(`${open.httpUrl}${OPENAPI_PATH}`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const ops = doc.paths['/api/rooms/{room}/assets/{id}']!;
    assert.equal(ops.put!.operationId, 'uploadAsset');
    assert.ok('application/octet-stream' in ops.put!.requestBody!.content);
    assert.deepEqual(Object.keys(ops.put!.responses).sort(), ['200', '400', '401', '403', '404', '413', '415', '429']);
    assert.equal(ops.get!.operationId, 'getAsset');
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) assert.ok(type in ops.get!.responses['200']!.content!, type);
    assert.ok('304' in ops.get!.responses);
  });

  test('unknown API paths and invalid room names are 404 JSON', async () => {
    for (const path of ['/api/nothing', '/api/rooms/a/b/c/d/e', `/api/rooms/${'x'.repeat(129)}`, '/api/rooms/%E0%A4%A']) {
      const res = await fetch(`${open.httpUrl}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as ApiErrorBody).error, 'not_found', path);
    }
  });
});

describe('refusals', () => {
  test('without an auth secret or admin token, admin endpoints are 404 saying how to enable them', async () => {
    const res = await fetch(`${open.httpUrl}${BOARDS_API_PATH}`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as ApiErrorBody;
    assert.equal(body.error, 'admin_disabled');
    assert.match(body.message, /--admin-token/);
  });

  test('with an admin token: none or a wrong one is 401 with WWW-Authenticate', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token' }, { authorization: `Bearer ${ADMIN_TOKEN}x` }]) {
      const res = await fetch(`${openWithAdmin.httpUrl}${BOARDS_API_PATH}`, { headers });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.equal(((await res.json()) as ApiErrorBody).error, 'unauthorized');
    }
  });

  test('a board file that is not JSON is 400; one over the size cap is 413 before it is read', async () => {
    const bad = await fetch(`${open.httpUrl}${roomApiPath('r1')}`, { method: 'PUT', body: '{"type": "easel/board", ' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as ApiErrorBody).message, /not valid JSON/);
    // Declared too large: refused before a byte of the body is read.
    const declared = await put(roomApiPath('r1'), { 'content-length': String(MAX_BOARD_FILE_BYTES + 1) }, (req) => req.write('{'));
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error, 'payload_too_large');
    // Chunked, no length: refused once what arrived passes the cap.
    const streamed = await put(roomApiPath('r1'), {}, (req) => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent <= MAX_BOARD_FILE_BYTES && !req.destroyed) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    assert.equal(streamed.status, 413);
  });
});
