/**
 * The client's access pieces without a browser: reading a token's role, the read-only mode and
 * the guards that keep a view-only page from editing, and the share request.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { createAuth } from '../../server/auth.ts';
import { tokenRole } from '../../client/sync/access-token.ts';
import { createAccessMode } from '../../client/sync/access-mode.ts';
import { requestViewLink, type ShareResult } from '../../client/sync/share-link.ts';
import { createBoard, ReadOnlyError } from '../../client/model/board.ts';
import { guardCommands } from '../../client/ui/read-only-commands.ts';
import type { Command } from '../../client/ui/keymap.ts';
import { getShapesMap } from '../../shared/doc.ts';
import { DEFAULT_STYLE, type Shape } from '../../shared/schema.ts';
import type { NewShape } from '../../client/model/board.ts';
import { watchPermissionDenied } from '../../client/sync/permission-denied.ts';
import { createReadOnlyToolbox } from '../../client/tools/read-only-toolbox.ts';
import type { Toolbox } from '../../client/tools/toolbox.ts';
import type { ToolId } from '../../client/tools/toolbox.ts';
import { READ_ONLY_REASON } from '../../shared/protocol.ts';
import { connectClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

const SECRET = 'unit-secret-that-is-long-enough-for-hs256';
const b64url = (text: string): string => Buffer.from(text).toString('base64url');

describe('token role (client side, unverified)', () => {
  test('reads the role of real edit and view tokens', async () => {
    const auth = createAuth(SECRET);
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    assert.equal(tokenRole(await auth.sign({ room: 'r', role: 'edit', expiresAt })), 'edit');
    assert.equal(tokenRole(await auth.sign({ room: '*', role: 'view', expiresAt })), 'view');
  });

  test('a payload with non-ASCII text and no padding still decodes', () => {
    assert.equal(tokenRole(`x.${b64url(JSON.stringify({ role: 'view', room: 'é✓' }))}.y`), 'view');
  });

  test('anything malformed reads as unknown (null), never throws', () => {
    const header = b64url('{"alg":"HS256"}');
    const cases: Array<string | null> = [
      null,
      '',
      'not-a-token',
      'a.b',
      'a.b.c.d',
      `${header}..sig`,
      `${header}.!!!.sig`,
      `${header}.${b64url('not json')}.sig`,
      `${header}.${b64url('null')}.sig`,
      `${header}.${b64url('"view"')}.sig`,
      `${header}.${b64url('[1,2]')}.sig`,
      `${header}.${b64url('{"role":"admin"}')}.sig`,
      `${header}.${b64url('{"role":["view"]}')}.sig`,
      `${header}.${b64url('{}')}.sig`,
      `${header}.${'A'.repeat(5)}.sig`,
    ];
    for (const token of cases) assert.equal(tokenRole(token), null, `token ${JSON.stringify(token)}`);
  });
});

describe('access mode', () => {
  test('a view token starts read-only; other roles start editable and turn read-only once denied', () => {
    assert.equal(createAccessMode('view').readOnly, true);
    for (const role of ['edit', null] as const) {
      const access = createAccessMode(role);
      const seen: boolean[] = [];
      access.onChange((readOnly) => seen.push(readOnly));
      assert.equal(access.readOnly, false);
      access.deny('read-only');
      access.deny('read-only');
      assert.equal(access.readOnly, true);
      assert.deepEqual(seen, [true], 'told once');
      access.close();
    }
  });
});

const rect = (id: string): NewShape => ({ ...DEFAULT_STYLE, id, type: 'rect', x: 0, y: 0, width: 10, height: 10, rotation: 0, locked: false }) as NewShape;

describe('read-only board', () => {
  test('every command throws ReadOnlyError and the doc is not touched', () => {
    const doc = new Y.Doc();
    let writable = true;
    const board = createBoard(doc, { writable: () => writable });
    const shape = board.addShape(rect('a'));
    writable = false;
    const before = Y.encodeStateVector(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    assert.throws(() => board.addShape(rect('b')), ReadOnlyError);
    assert.throws(() => board.moveShapes(['a'], 5, 5), ReadOnlyError);
    assert.throws(() => board.updateShapes(new Map([['a', { x: 3 }]])), ReadOnlyError);
    assert.throws(() => board.deleteShapes(['a']), ReadOnlyError);
    assert.throws(() => board.importShapes([{ ...shape, id: 'c' } as Shape]), ReadOnlyError);
    assert.throws(() => board.batch(() => undefined), ReadOnlyError);
    assert.equal(updates, 0);
    assert.deepEqual(Y.encodeStateVector(doc), before);
    assert.deepEqual([...getShapesMap(doc).keys()], ['a']);
    board.close();
  });
});

describe('read-only commands', () => {
  test('only view commands run while read-only; a refused one says why and counts as handled', () => {
    const ran: string[] = [];
    const make = (id: string): Command => ({ id, label: id, keys: [], run: () => void ran.push(id) });
    const access = createAccessMode('edit');
    const notices: string[] = [];
    const commands = guardCommands([make('undo'), make('duplicate'), make('zoom-in'), make('export-png')], access, { show: (message) => notices.push(message) });
    for (const command of commands) command.run();
    assert.deepEqual(ran, ['undo', 'duplicate', 'zoom-in', 'export-png']);
    access.deny('read-only');
    ran.length = 0;
    const results = commands.map((command) => command.run());
    assert.deepEqual(ran, ['zoom-in', 'export-png']);
    assert.equal(results[0], true);
    assert.equal(notices.length, 2);
  });
});

describe('share request', () => {
  const respond = (status: number, body: unknown): typeof fetch => (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
  const ask = (fetchImpl: typeof fetch, token: string | null = 'tok'): Promise<ShareResult> => requestViewLink({ origin: 'http://h', room: 'r1', token, fetch: fetchImpl });

  test('posts the edit token as a bearer token and builds the view link', async () => {
    let seen: { url: string; init: RequestInit | undefined } | null = null;
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      seen = { url, init };
      return new Response(JSON.stringify({ token: 'view.tok.en', role: 'view', expiresAt: '2030-01-01T00:00:00.000Z' }), { status: 200 });
    }) as typeof fetch;
    const result = await ask(fetchImpl);
    assert.deepEqual(seen, { url: '/api/rooms/r1/share', init: { method: 'POST', headers: { authorization: 'Bearer tok' } } });
    assert.deepEqual(result, { kind: 'view-link', url: 'http://h/b/r1#token=view.tok.en', expiresAt: new Date('2030-01-01T00:00:00.000Z') });
  });

  test('a server without a secret gives the plain link; refusals and failures give a message', async () => {
    assert.deepEqual(await ask(respond(404, { error: 'sharing_disabled', message: 'x' }), null), { kind: 'sharing-disabled', url: 'http://h/b/r1' });
    const kinds = await Promise.all([
      ask(respond(401, { error: 'unauthorized', message: 'invalid token: expired' })),
      ask(respond(403, { error: 'forbidden', message: 'wrong room' })),
      ask(respond(500, 'oops')),
      ask(respond(200, { token: 5 })),
      ask((async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch),
    ]);
    for (const result of kinds) assert.equal(result.kind, 'error');
    const messages = kinds.map((result) => (result.kind === 'error' ? result.message : ''));
    assert.match(messages[0]!, /expired/);
    assert.match(messages[1]!, /only an edit link/);
    assert.match(messages[2]!, /HTTP 500/);
    assert.match(messages[4]!, /Could not reach the server/);
    const noToken = await ask(respond(401, { error: 'unauthorized', message: 'no token' }), null);
    assert.match(noToken.kind === 'error' ? noToken.message : '', /open the board with an edit link/);
  });
});

describe('read-only toolbox', () => {
  test('turning read-only switches to the hand and clears the selection; only hand and laser can be picked', () => {
    let active: ToolId = 'rectangle';
    const inner = {
      get active() {
        return active;
      },
      setTool: (id: ToolId) => void (active = id),
      close: () => undefined,
    } as unknown as Toolbox;
    let cleared = 0;
    const access = createAccessMode('edit');
    const toolbox = createReadOnlyToolbox(inner, access, { clear: () => void cleared++ });
    toolbox.setTool('pen');
    assert.equal(toolbox.active, 'pen');
    access.deny(READ_ONLY_REASON);
    assert.deepEqual([toolbox.active, cleared], ['hand', 1]);
    toolbox.setTool('select');
    toolbox.setTool('eraser');
    assert.equal(toolbox.active, 'hand');
    toolbox.setTool('laser');
    assert.equal(toolbox.active, 'laser');
    toolbox.close();
  });
});

describe('permission denied from the server', () => {
  test('a view connection that writes is told once, with the read-only reason', async () => {
    const secret = 'unit-access-secret-that-is-long-enough';
    const server = await startTestServer({ authSecret: secret });
    const room = `denied-${Date.now()}`;
    const token = await createAuth(secret).sign({ room, role: 'view', expiresAt: Math.floor(Date.now() / 1000) + 600 });
    const client = connectClient(server.syncUrl, room, { params: { token } });
    try {
      await client.synced;
      const reasons: string[] = [];
      const denied = new Promise<void>((resolve) => {
        const watch = watchPermissionDenied(client.provider, (reason) => {
          reasons.push(reason);
          watch.close();
          resolve();
        });
      });
      client.doc.getMap('scratch').set('x', 1);
      await denied;
      assert.deepEqual(reasons, [READ_ONLY_REASON]);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
