/**
 * The board page's opening (client/sync/initial-state.ts) against a real server: a first visit
 * gets the server's board over HTTP and applies it to a doc nothing listens to; a kept board opens
 * from the offline copy without asking the server; a board the server does not have starts empty;
 * a board that comes past the wait is applied when it comes and the socket connects only then; a
 * damaged answer is skipped, not fatal.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { getShapesMap, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { loadInitialState } from '../../client/sync/initial-state.ts';
import { applyInitialState, applyLateState } from '../../client/sync/initial-apply.ts';
import type { OfflineRead } from '../../client/sync/offline-read.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const RECT = DEFS.find((def) => def.type === 'rect')!;
/** No offline copy: what a first visit reads (IndexedDB is the browser's; Node has none). */
const NOTHING_KEPT: OfflineRead = { db: null, updates: [] };

describe('opening a board from what the page can get first', () => {
  let server: TestServer;
  let writer: TestClient;
  const room = 'initial-state';
  /** Every request the page's fetch made, by path. */
  const requested: string[] = [];
  const pageFetch = (path: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requested.push(String(path));
    return fetch(`${server.httpUrl}${String(path)}`, init);
  };

  before(async () => {
    server = await startTestServer();
    writer = connectClient(server.syncUrl, room);
    await writer.synced;
    writer.doc.transact(() => {
      for (let i = 0; i < 20; i++) writeShape(writer.doc, sampleShape(RECT, { id: `r${i}`, x: i * 10 }));
    }, LOCAL_ORIGIN);
    // The server holds them once another client syncs them all.
    const check = connectClient(server.syncUrl, room);
    await waitFor(() => getShapesMap(check.doc).size === 20, { doc: check.doc }, 'the server holds the 20 rectangles');
    check.destroy();
  });
  after(async () => {
    writer.destroy();
    await server.close();
  });

  test('a first visit applies the server board before anything listens', async () => {
    requested.length = 0;
    const state = await loadInitialState({ room, token: null, fetch: pageFetch, read: async () => NOTHING_KEPT });
    assert.equal(state.late, null);
    assert.ok(state.fetched !== null, 'the board came over HTTP');
    const doc = new Y.Doc();
    let updates = 0;
    applyInitialState(doc, state);
    doc.on('update', () => updates++);
    assert.deepEqual(getShapesMap(doc).toJSON(), getShapesMap(writer.doc).toJSON());
    assert.deepEqual(Y.encodeStateVector(doc), Y.encodeStateVector(writer.doc));
    assert.equal(updates, 0);
    assert.deepEqual(requested, [`/api/rooms/${room}/state`]);
  });

  test('a kept board opens from the offline copy and asks the server nothing', async () => {
    requested.length = 0;
    const kept = Y.encodeStateAsUpdate(writer.doc);
    const state = await loadInitialState({ room, token: null, fetch: pageFetch, read: async () => ({ db: null, updates: [kept] }) });
    assert.equal(state.fetched, null);
    assert.equal(state.late, null);
    assert.deepEqual(requested, []);
    const doc = new Y.Doc();
    applyInitialState(doc, state);
    assert.equal(getShapesMap(doc).size, 20);
  });

  test('a board the server never had starts empty', async () => {
    const state = await loadInitialState({ room: 'never-written-here', token: null, fetch: pageFetch, read: async () => NOTHING_KEPT });
    assert.equal(state.fetched, null);
    assert.equal(state.late, null);
  });

  test('a board that comes past the wait is applied when it comes, then the socket connects', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowFetch = async (path: string | URL | Request, init?: RequestInit): Promise<Response> => {
      await held;
      return pageFetch(path, init);
    };
    const state = await loadInitialState({ room, token: null, fetch: slowFetch, read: async () => NOTHING_KEPT, waitMs: 0 });
    assert.equal(state.fetched, null);
    assert.ok(state.late !== null, 'still on its way');
    const doc = new Y.Doc();
    applyInitialState(doc, state);
    assert.equal(getShapesMap(doc).size, 0, 'the page is built without it');
    const connected = new Promise<number>((resolve) => applyLateState(doc, state, () => resolve(getShapesMap(doc).size)));
    release();
    assert.equal(await connected, 20, 'applied before the socket connects');
  });

  test('a damaged answer is skipped and the page still opens', async () => {
    const damaged = async (): Promise<Response> => new Response(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]), { status: 200 });
    const state = await loadInitialState({ room, token: null, fetch: damaged, read: async () => NOTHING_KEPT });
    const doc = new Y.Doc();
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args[0]);
    try {
      applyInitialState(doc, state);
    } finally {
      console.warn = warn;
    }
    assert.equal(getShapesMap(doc).size, 0);
    assert.equal(warned.length, 1, 'reported once');
  });
});
