/**
 * The board list of the home page (client/home/board-list.ts) over an in-memory storage with
 * localStorage's shape and its quota behaviour, the board page's recording of itself
 * (board-visit.ts), and the board title model.
 */
import { describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  boardListKey,
  BoardListWriteError,
  createBoardList,
  MAX_LISTED_BOARDS,
  MAX_THUMBNAIL_CHARS,
  readBoardEntry,
  searchBoards,
  type BoardEntry,
  type BoardListStorage,
} from '../../client/home/board-list.ts';
import { createBoardVisit } from '../../client/home/board-visit.ts';
import { openedAgo } from '../../client/home/opened-ago.ts';
import { createBoardTitle, tabTitle } from '../../client/model/board-title.ts';
import { newRoomName } from '../../client/sync/room.ts';
import { MAX_TITLE_LENGTH, readBoardTitle, writeBoardTitle } from '../../shared/doc.ts';
import { LOCAL_ORIGIN, REMOTE_ORIGIN } from '../../shared/origins.ts';
import { isValidRoomName } from '../../shared/protocol.ts';
import type { Shape } from '../../shared/schema.ts';

/** localStorage's interface over a Map; `quota` (characters of keys and values) makes setItem throw past it, as browsers do. */
class MemoryStorage implements BoardListStorage {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    let used = key.length + value.length;
    for (const [k, v] of this.items) if (k !== key) used += k.length + v.length;
    if (used > this.quota) throw new Error('QuotaExceededError: the quota has been exceeded');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const PNG = (body: string): string => `data:image/png;base64,${body}`;

describe('board list', () => {
  test('lists opened boards newest first; reopening moves a board up and keeps its title and picture', () => {
    const list = createBoardList(new MemoryStorage());
    list.opened('alpha', 1000);
    list.opened('beta', 2000);
    list.retitle('alpha', 'Roadmap');
    list.setThumbnail('alpha', PNG('AAAA'));
    assert.deepEqual(list.entries().map((entry) => entry.room), ['beta', 'alpha']);
    list.opened('alpha', 3000);
    assert.deepEqual(list.entries(), [
      { room: 'alpha', title: 'Roadmap', openedAt: 3000, thumbnail: PNG('AAAA'), token: null },
      { room: 'beta', title: '', openedAt: 2000, thumbnail: null, token: null },
    ]);
  });

  test('keeps the token of the link a board was last opened with, so the list opens it the same way', () => {
    const storage = new MemoryStorage();
    const list = createBoardList(storage);
    list.opened('locked', 1, 'aaa.bbb.ccc');
    assert.equal(list.get('locked')?.token, 'aaa.bbb.ccc');
    list.opened('locked', 2);
    assert.equal(list.get('locked')?.token, 'aaa.bbb.ccc', 'opened without a token: the kept one stays');
    list.opened('locked', 3, 'ddd.eee.fff');
    assert.equal(list.get('locked')?.token, 'ddd.eee.fff', 'a newer link wins');
    list.opened('locked', 4, 'not a "token"');
    assert.equal(list.get('locked')?.token, 'ddd.eee.fff', 'junk is never stored');
    storage.setItem(boardListKey('hand-made'), JSON.stringify({ openedAt: 1, token: '<script>' }));
    assert.equal(list.get('hand-made')?.token, null, 'nor read back');
  });

  test('a title or picture for a board that is not listed (forgotten meanwhile) does not bring it back', () => {
    const list = createBoardList(new MemoryStorage());
    list.opened('gone', 1);
    list.forget('gone');
    list.retitle('gone', 'Ghost');
    list.setThumbnail('gone', PNG('AAAA'));
    assert.deepEqual(list.entries(), []);
    assert.equal(list.get('gone'), null);
  });

  test('forgetting removes only that board, and nothing else the browser keeps', () => {
    const storage = new MemoryStorage();
    storage.setItem('easel-user', '{"name":"Kind Otter","color":"#e5484d"}');
    const list = createBoardList(storage);
    list.opened('one', 1);
    list.opened('two', 2);
    list.forget('one');
    assert.deepEqual(list.entries().map((entry) => entry.room), ['two']);
    assert.equal(storage.getItem('easel-user'), '{"name":"Kind Otter","color":"#e5484d"}');
  });

  test('what is read back goes through the gate: junk is skipped, a long title cut, a picture that is no PNG data URL dropped', () => {
    const storage = new MemoryStorage();
    storage.setItem(boardListKey('ok'), JSON.stringify({ openedAt: 5, title: 'x'.repeat(MAX_TITLE_LENGTH + 50), thumbnail: 'javascript:alert(1)' }));
    storage.setItem(boardListKey('broken'), '{not json');
    storage.setItem(boardListKey('no-time'), JSON.stringify({ title: 'T' }));
    storage.setItem(boardListKey('bad name'), JSON.stringify({ openedAt: 1 }));
    storage.setItem(boardListKey('null'), 'null');
    const list = createBoardList(storage);
    assert.deepEqual(list.entries(), [{ room: 'ok', title: 'x'.repeat(MAX_TITLE_LENGTH), openedAt: 5, thumbnail: null, token: null }]);
    assert.equal(readBoardEntry('ok', { openedAt: Number.NaN }), null);
    list.opened('bad name', 9);
    assert.equal(list.entries().length, 1, 'an invalid room is never recorded');
  });

  test('a thumbnail that is too long or not a PNG is not kept', () => {
    const list = createBoardList(new MemoryStorage());
    list.opened('room', 1);
    list.setThumbnail('room', PNG('A'.repeat(MAX_THUMBNAIL_CHARS)));
    assert.equal(list.get('room')?.thumbnail, null);
    list.setThumbnail('room', 'data:image/svg+xml;base64,AAAA');
    assert.equal(list.get('room')?.thumbnail, null);
    list.setThumbnail('room', PNG('BBBB'));
    assert.equal(list.get('room')?.thumbnail, PNG('BBBB'));
    list.setThumbnail('room', null);
    assert.equal(list.get('room')?.thumbnail, null);
  });

  test(`past ${MAX_LISTED_BOARDS} boards the oldest are forgotten`, () => {
    const storage = new MemoryStorage();
    const list = createBoardList(storage);
    for (let i = 0; i <= MAX_LISTED_BOARDS + 1; i += 1) list.opened(`board-${i}`, 1000 + i);
    const rooms = list.entries().map((entry) => entry.room);
    assert.equal(rooms.length, MAX_LISTED_BOARDS);
    assert.equal(rooms[0], `board-${MAX_LISTED_BOARDS + 1}`);
    assert.ok(!rooms.includes('board-0') && !rooms.includes('board-1'));
    assert.equal(storage.getItem(boardListKey('board-0')), null);
  });

  test('a full storage keeps the entry without its picture; one that refuses everything throws a named error', () => {
    const storage = new MemoryStorage(400);
    const list = createBoardList(storage);
    list.opened('room', 1);
    list.retitle('room', 'Kept');
    list.setThumbnail('room', PNG('C'.repeat(1000)));
    assert.deepEqual(list.get('room'), { room: 'room', title: 'Kept', openedAt: 1, thumbnail: null, token: null });
    const refusing = createBoardList(new MemoryStorage(0));
    assert.throws(() => refusing.opened('room', 1), (error: unknown) => error instanceof BoardListWriteError && error.code === 'board-list-write-failed');
  });
});

describe('board search', () => {
  const entries: BoardEntry[] = [
    { room: 'q3-plan', title: 'Roadmap Café', openedAt: 3, thumbnail: null, token: null },
    { room: 'retro-42', title: '', openedAt: 2, thumbnail: null, token: null },
    { room: 'x1', title: 'Sprint retro notes', openedAt: 1, thumbnail: null, token: null },
  ];
  const rooms = (query: string): string[] => searchBoards(entries, query).map((entry) => entry.room);

  test('matches title or room, ignoring case and accents, every word, order kept', () => {
    assert.deepEqual(rooms(''), ['q3-plan', 'retro-42', 'x1']);
    assert.deepEqual(rooms('   '), ['q3-plan', 'retro-42', 'x1']);
    assert.deepEqual(rooms('ROADMAP'), ['q3-plan']);
    assert.deepEqual(rooms('cafe'), ['q3-plan']);
    assert.deepEqual(rooms('retro'), ['retro-42', 'x1']);
    assert.deepEqual(rooms('retro notes'), ['x1']);
    assert.deepEqual(rooms('q3'), ['q3-plan']);
    assert.deepEqual(rooms('nothing'), []);
  });
});

describe('home page helpers', () => {
  test('when a board was opened, in words', () => {
    const now = Date.UTC(2025, 5, 15, 12);
    assert.equal(openedAgo(now - 10_000, now), 'just now');
    assert.equal(openedAgo(now + 60_000, now), 'just now');
    assert.equal(openedAgo(now - 60_000, now), '1 minute ago');
    assert.equal(openedAgo(now - 5 * 60_000, now), '5 minutes ago');
    assert.equal(openedAgo(now - 3 * 3_600_000, now), '3 hours ago');
    assert.equal(openedAgo(now - 30 * 3_600_000, now), 'yesterday');
    assert.equal(openedAgo(now - 4 * 86_400_000, now), '4 days ago');
    assert.equal(openedAgo(Date.UTC(2025, 0, 2, 12), now, 'en-US'), 'Jan 2, 2025');
  });

  test('a new board gets 12 URL-safe characters, fresh each time', () => {
    const names = new Set(Array.from({ length: 200 }, () => newRoomName()));
    assert.equal(names.size, 200);
    for (const name of names) {
      assert.match(name, /^[A-Za-z0-9_-]{12}$/);
      assert.ok(isValidRoomName(name));
    }
  });
});

describe('board title', () => {
  test('renames as the local user and hears every change, whoever made it', () => {
    const doc = new Y.Doc();
    const title = createBoardTitle(doc);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const heard: string[] = [];
    title.onChange((next) => heard.push(next));
    title.rename('  Plan  ');
    assert.equal(title.get(), 'Plan');
    assert.deepEqual(origins, [LOCAL_ORIGIN]);

    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update, REMOTE_ORIGIN));
    other.transact(() => writeBoardTitle(other, 'Their plan'), LOCAL_ORIGIN);
    assert.equal(title.get(), 'Their plan');
    title.rename('');
    assert.equal(readBoardTitle(doc), '');
    assert.deepEqual(heard, ['Plan', 'Their plan', '']);
    title.close();
    other.transact(() => writeBoardTitle(other, 'Unheard'), LOCAL_ORIGIN);
    assert.deepEqual(heard, ['Plan', 'Their plan', '']);
  });

  test('the tab title is the title, or the room while untitled', () => {
    assert.equal(tabTitle('Roadmap', 'abc'), 'Roadmap · Easel');
    assert.equal(tabTitle('', 'abc'), 'abc · Easel');
  });
});

describe('board visit', () => {
  function setup(options: { storage?: MemoryStorage; title?: string; drawMs?: number } = {}) {
    const storage = options.storage ?? new MemoryStorage();
    const list = createBoardList(storage);
    let title = options.title ?? '';
    const titleListeners = new Set<(title: string) => void>();
    const shapeListeners = new Set<() => void>();
    let shapes: Shape[] = [];
    const rendered: number[] = [];
    let clock = 7000;
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
    const visit = createBoardVisit({
      room: 'visited',
      token: 'x.y.z',
      list,
      title: { get: () => title, onChange: (listener) => (titleListeners.add(listener), () => titleListeners.delete(listener)) },
      shapes: { ordered: () => shapes, onChange: (listener) => (shapeListeners.add(listener), () => shapeListeners.delete(listener)) },
      thumbnail: (drawn) => {
        clock += options.drawMs ?? 0;
        rendered.push(drawn.length);
        return drawn.length === 0 ? null : PNG(`N${drawn.length}`);
      },
      page,
      now: () => clock,
      delayMs: 1000,
    });
    return {
      storage,
      list,
      visit,
      rendered,
      page,
      rename(next: string) {
        title = next;
        for (const listener of titleListeners) listener(next);
      },
      change(count: number) {
        shapes = Array.from({ length: count }, () => ({}) as Shape);
        for (const listener of shapeListeners) listener();
      },
      hide() {
        page.visibilityState = 'hidden';
        page.dispatchEvent(new Event('visibilitychange'));
      },
    };
  }

  test('records the visit and the title as it changes; an untitled start keeps the title it had', () => {
    const storage = new MemoryStorage();
    createBoardList(storage).opened('visited', 1);
    createBoardList(storage).retitle('visited', 'From last time');
    const board = setup({ storage });
    assert.deepEqual(board.list.get('visited'), { room: 'visited', title: 'From last time', openedAt: 7000, thumbnail: null, token: 'x.y.z' });
    board.rename('Renamed');
    assert.equal(board.list.get('visited')?.title, 'Renamed');
    board.visit.close();
    board.rename('After close');
    assert.equal(board.list.get('visited')?.title, 'Renamed');
  });

  test('redraws the thumbnail at most once per delay after changes, and at once when the page is hidden', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const board = setup({ title: 'Plan' });
    assert.equal(board.list.get('visited')?.title, 'Plan');
    board.change(1);
    board.change(2);
    board.change(3);
    assert.deepEqual(board.rendered, [], 'not drawn on every change');
    t.mock.timers.tick(1000);
    assert.deepEqual(board.rendered, [3], 'one drawing for the burst, of the board as it is now');
    assert.equal(board.list.get('visited')?.thumbnail, PNG('N3'));
    t.mock.timers.tick(5000);
    assert.deepEqual(board.rendered, [3], 'nothing changed since: no drawing');

    board.change(4);
    board.hide();
    assert.deepEqual(board.rendered, [3, 4], 'hidden: drawn at once');
    assert.equal(board.list.get('visited')?.thumbnail, PNG('N4'));
    t.mock.timers.tick(1000);
    assert.deepEqual(board.rendered, [3, 4], 'the pending timer was cancelled');
    board.change(0);
    board.visit.close();
    t.mock.timers.tick(1000);
    assert.deepEqual(board.rendered, [3, 4], 'closed: no more drawings');
  });

  test('a board that is slow to draw is drawn less often', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const board = setup({ drawMs: 50 });
    board.change(1);
    t.mock.timers.tick(1000);
    assert.deepEqual(board.rendered, [1]);
    board.change(2);
    t.mock.timers.tick(4999);
    assert.deepEqual(board.rendered, [1], 'a 50 ms drawing waits 100 times that before the next');
    t.mock.timers.tick(1);
    assert.deepEqual(board.rendered, [1, 2]);
  });

  test('a list that cannot be written does not break the board page', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const warn = mock.method(console, 'warn', () => {});
    try {
      const board = setup({ storage: new MemoryStorage(0), title: 'Plan' });
      board.change(1);
      t.mock.timers.tick(1000);
      assert.ok(warn.mock.callCount() >= 1, 'the failure is reported');
      assert.ok(warn.mock.calls.some((call) => call.arguments.some((arg) => arg instanceof BoardListWriteError)));
    } finally {
      warn.mock.restore();
    }
  });
});
