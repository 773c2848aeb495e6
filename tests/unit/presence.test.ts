import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { PRESENCE_LIMITS, readPresence, writePresence, type Presence } from '../../shared/presence.ts';
import { createIdentity, IDENTITY_STORAGE_KEY, PRESENCE_COLORS, randomUser, readStoredUser } from '../../client/presence/identity.ts';
import { createPeers } from '../../client/presence/peers.ts';
import { createFollow, followedViewport } from '../../client/presence/follow.ts';
import { createLocalPresence } from '../../client/presence/local-presence.ts';
import { initials } from '../../client/ui/presence-list.ts';
import { createEmitter } from '../../client/model/emitter.ts';
import { poll, seededRandom } from '../helpers/client.ts';

const USER = { name: 'Calm Otter', color: '#30a46c' };
const FULL: Presence = {
  user: USER,
  cursor: { x: 10, y: -20.5 },
  selection: ['a', 'b'],
  laser: [{ x: 1, y: 2, t: 100 }, { x: 3, y: 4, t: 116 }],
  idle: false,
  viewport: { x: -100, y: 50, scale: 2, width: 1200, height: 800 },
  gesture: null,
};

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
    key: (i) => [...items.keys()][i] ?? null,
    get length() {
      return items.size;
    },
  };
}

describe('the presence gate', () => {
  test('a full, valid state reads back as it was written', () => {
    assert.deepEqual(readPresence(writePresence(FULL)), FULL);
    assert.deepEqual(readPresence(JSON.parse(JSON.stringify(writePresence(FULL)))), FULL, 'survives the JSON trip awareness makes');
  });

  test('states without a usable user are refused', () => {
    for (const state of [null, undefined, 42, 'x', [], {}, { user: null }, { user: { name: 'a' } }, { user: { name: 1, color: '#000000' } }, { user: { name: 'a', color: 'red' } }, { user: { name: 'a', color: '#12345' } }, { user: { name: 'a', color: '#1234567' } }]) {
      assert.equal(readPresence(state), null, JSON.stringify(state));
    }
  });

  test('a minimal state (older clients, Node tools) reads as "nothing to show"', () => {
    assert.deepEqual(readPresence({ user: USER }), { user: USER, cursor: null, selection: [], laser: [], idle: false, viewport: null, gesture: null });
  });

  test('bad fields are dropped one by one, the rest is kept', () => {
    const read = readPresence({
      user: { name: `  ${'n'.repeat(100)}  `, color: '#ABCDEF' },
      cursor: { x: Infinity, y: 1 },
      selection: ['ok', 3, null, 'also'],
      laser: [{ x: 1, y: 2, t: 3 }, { x: 'a', y: 2, t: 3 }, { x: 1, y: 2 }, null, { x: 5, y: 6, t: NaN }],
      idle: 'yes',
      viewport: { x: 0, y: 0, scale: 0, width: 10, height: 10 },
    });
    assert.ok(read);
    assert.equal(read.user.name.length, PRESENCE_LIMITS.maxNameLength);
    assert.equal(read.user.color, '#ABCDEF');
    assert.equal(read.cursor, null);
    assert.deepEqual(read.selection, ['ok', 'also']);
    assert.deepEqual(read.laser, [{ x: 1, y: 2, t: 3 }]);
    assert.equal(read.idle, false, 'only `true` is idle');
    assert.equal(read.viewport, null, 'a zero scale is not a viewport');
    assert.equal(readPresence({ user: USER, viewport: { x: 0, y: 0, scale: 1, width: -5, height: 10 } })?.viewport, null);
    assert.equal(readPresence({ user: USER, viewport: { x: 0, y: 0, scale: 1e6, width: 5, height: 10 } })?.viewport, null);
    assert.equal(readPresence({ user: { name: '   ', color: '#000000' } })?.user.name, 'Anonymous');
  });

  test('long lists are capped on both sides, so a published state always fits the server limit', () => {
    const many = Array.from({ length: 5_000 }, (_x, i) => `shape-${i}-${'x'.repeat(26)}`);
    const laser = Array.from({ length: 1_000 }, (_x, i) => ({ x: i * 1.123456, y: -i * 7.654321, t: 1_700_000_000_000 + i }));
    const written = writePresence({ ...FULL, selection: many, laser });
    assert.equal((written.selection as string[]).length, PRESENCE_LIMITS.maxSelection);
    assert.deepEqual((written.laser as unknown[]).at(-1), { x: 1122.33, y: -7646.67, t: 1_700_000_000_999 }, 'the newest laser points are kept, rounded');
    assert.ok(JSON.stringify(written).length < 16 * 1024, `${JSON.stringify(written).length} bytes is under the server's 16 KiB`);
    // The worst case: the longest ids the schema allows, a full trail of long numbers, a long name.
    const longest = Array.from({ length: 5_000 }, (_x, i) => `${i}`.padStart(64, 'z'));
    const wild = Array.from({ length: 1_000 }, (_x, i) => ({ x: -123456789.123456789 - i, y: 98765432.987654321 + i, t: 1_700_000_000_000.123456 + i }));
    const worst = JSON.stringify(writePresence({ ...FULL, user: { name: 'W'.repeat(500), color: '#000000' }, selection: longest, laser: wild }));
    assert.ok(worst.length < 16 * 1024, `worst case ${worst.length} bytes is under the server's 16 KiB`);
    const read = readPresence({ user: USER, selection: many, laser });
    assert.equal(read?.selection.length, PRESENCE_LIMITS.maxSelection);
    assert.equal(read?.laser.length, PRESENCE_LIMITS.maxLaserPoints);
  });
});

describe('identity', () => {
  test('a first visit picks a friendly name and colour and remembers them', () => {
    const storage = memoryStorage();
    const first = createIdentity({ storage, random: seededRandom(1) });
    assert.match(first.user.name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.ok(PRESENCE_COLORS.includes(first.user.color));
    const again = createIdentity({ storage, random: seededRandom(99) });
    assert.deepEqual(again.user, first.user, 'the same browser is the same person');
  });

  test('renaming is cleaned, remembered and announced', () => {
    const storage = memoryStorage();
    const identity = createIdentity({ storage, random: seededRandom(2) });
    const seen: string[] = [];
    identity.onChange((user) => seen.push(user.name));
    identity.rename('  Ada   Lovelace ');
    identity.rename('Ada Lovelace');
    assert.deepEqual(seen, ['Ada Lovelace']);
    assert.equal(readStoredUser(storage.getItem(IDENTITY_STORAGE_KEY))?.name, 'Ada Lovelace');
    assert.equal(createIdentity({ storage }).user.name, 'Ada Lovelace');
  });

  test('a damaged or hostile stored value is replaced, and blocked storage still works', () => {
    const storage = memoryStorage();
    storage.setItem(IDENTITY_STORAGE_KEY, '{"name":"x","color":"url(javascript:1)"}');
    assert.ok(PRESENCE_COLORS.includes(createIdentity({ storage }).user.color));
    storage.setItem(IDENTITY_STORAGE_KEY, 'not json');
    assert.ok(createIdentity({ storage }).user.name.length > 0);
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    const identity = createIdentity({ storage: blocked });
    identity.rename('Still works');
    assert.equal(identity.user.name, 'Still works');
    assert.deepEqual(randomUser(() => 0.999999).name.split(' ').length, 2);
    assert.equal(initials('Calm Otter'), 'CO');
    assert.equal(initials('Ada'), 'AD');
    assert.equal(initials('Jean Paul Sartre'), 'JS');
  });
});

describe('peers', () => {
  test('only states that pass the gate are peers; our own state and removed states are not', () => {
    const local = new Awareness(new Y.Doc());
    const peers = createPeers(local);
    const changes: number[] = [];
    peers.onChange((list) => changes.push(list.length));
    local.setLocalState(writePresence(FULL));
    assert.equal(peers.list().length, 0, 'we are not our own peer');

    const remote = new Awareness(new Y.Doc());
    const relay = (from: Awareness, ids: number[]): void => {
      const states = from.getStates();
      for (const id of ids) {
        // What applyAwarenessUpdate does, without the encoding.
        if (states.has(id)) local.states.set(id, states.get(id)!);
        else local.states.delete(id);
      }
      local.emit('change', [{ added: ids.filter((id) => states.has(id)), updated: [], removed: ids.filter((id) => !states.has(id)) }, 'test']);
    };
    remote.setLocalState({ user: { name: 'Evil', color: 'javascript:alert(1)' } });
    relay(remote, [remote.clientID]);
    assert.equal(peers.list().length, 0, 'a state failing the gate is no peer');
    remote.setLocalState(writePresence({ ...FULL, user: { name: 'Remote', color: '#0090ff' } }));
    relay(remote, [remote.clientID]);
    assert.equal(peers.list().length, 1);
    assert.equal(peers.get(remote.clientID)?.presence.user.name, 'Remote');
    remote.setLocalState(null);
    relay(remote, [remote.clientID]);
    assert.equal(peers.list().length, 0, 'a closed tab is gone at once');
    assert.deepEqual(changes, [1, 0]);
    peers.close();
    local.destroy();
    remote.destroy();
  });
});

/** A stage stand-in: a camera with listeners, and an element with a size and events. */
function fakeStage(width = 1000, height = 600) {
  let viewport = { x: 0, y: 0, scale: 1 };
  const changes = createEmitter<typeof viewport>();
  const element = Object.assign(new EventTarget(), { clientWidth: width, clientHeight: height }) as unknown as HTMLElement;
  return {
    element,
    viewport: () => viewport,
    setViewport(next: typeof viewport) {
      viewport = { ...next };
      changes.emit(viewport);
    },
    toBoard: (clientX: number, clientY: number) => ({ x: (clientX - viewport.x) / viewport.scale, y: (clientY - viewport.y) / viewport.scale }),
    onViewportChange: (listener: (v: typeof viewport) => void) => changes.on(listener),
  };
}

describe('following', () => {
  test('centres on the same board point at the same zoom, whatever the screen sizes', () => {
    // The leader (1200×800, scale 2, x=-100, y=50) looks at board point ((600+100)/2, (400-50)/2).
    const target = followedViewport({ x: -100, y: 50, scale: 2, width: 1200, height: 800 }, 1000, 600);
    assert.deepEqual(target, { scale: 2, x: 500 - 350 * 2, y: 300 - 175 * 2 });
  });

  test("follows a peer's viewport until the follower moves themselves or the peer leaves", () => {
    const local = new Awareness(new Y.Doc());
    const peers = createPeers(local);
    const stage = fakeStage(1200, 800);
    const follow = createFollow({ stage, peers });
    const leaderId = 4242;
    const publish = (viewport: Presence['viewport'] | null): void => {
      if (viewport === null) local.states.delete(leaderId);
      else local.states.set(leaderId, writePresence({ ...FULL, viewport }));
      local.emit('change', [{ added: [], updated: viewport ? [leaderId] : [], removed: viewport ? [] : [leaderId] }, 'test']);
    };
    publish({ x: -100, y: -50, scale: 1, width: 1200, height: 800 });
    const seen: Array<number | null> = [];
    follow.onChange((id) => seen.push(id));
    follow.follow(leaderId);
    assert.deepEqual(stage.viewport(), { x: -100, y: -50, scale: 1 }, 'jumps to the leader at once');
    publish({ x: -300, y: 20, scale: 1.5, width: 1200, height: 800 });
    assert.deepEqual(stage.viewport(), { x: -300, y: 20, scale: 1.5 }, "moves with the leader's pan and zoom");

    stage.setViewport({ x: 0, y: 0, scale: 1 });
    assert.equal(follow.following, null, 'the follower panned: following stops');
    publish({ x: -500, y: 0, scale: 1, width: 1200, height: 800 });
    assert.deepEqual(stage.viewport(), { x: 0, y: 0, scale: 1 }, 'and the leader no longer moves the view');

    follow.follow(leaderId);
    assert.equal(follow.following, leaderId);
    publish(null);
    assert.equal(follow.following, null, 'the leader left');
    assert.deepEqual(seen, [leaderId, null, leaderId, null]);
    follow.close();
    peers.close();
    local.destroy();
  });
});

describe('local presence', () => {
  function setup(idleAfterMs = 60_000) {
    const awareness = new Awareness(new Y.Doc());
    const stage = fakeStage();
    const win = new EventTarget() as unknown as Window;
    const selected = createEmitter<ReadonlySet<string>>();
    let ids: ReadonlySet<string> = new Set();
    const identity = createIdentity({ storage: memoryStorage(), random: seededRandom(3) });
    let updates = 0;
    awareness.on('update', () => updates++);
    const presence = createLocalPresence({
      awareness,
      identity,
      stage,
      selection: {
        ids: () => ids,
        onChange: (listener) => selected.on(listener),
      },
      window: win,
      idleAfterMs,
    });
    const state = () => readPresence(awareness.getLocalState());
    const select = (next: string[]) => {
      ids = new Set(next);
      selected.emit(ids);
    };
    const pointer = (type: string, clientX: number, clientY: number) => stage.element.dispatchEvent(Object.assign(new Event(type), { clientX, clientY }));
    after(() => awareness.destroy());
    return { awareness, stage, win, identity, presence, state, select, pointer, updates: () => updates };
  }

  test('publishes name, colour and viewport at once, then cursor and selection in board coordinates', async () => {
    const { stage, identity, presence, state, select, pointer } = setup();
    assert.deepEqual(state()?.user, identity.user);
    assert.deepEqual(state()?.viewport, { x: 0, y: 0, scale: 1, width: 1000, height: 600 });
    stage.setViewport({ x: 100, y: 50, scale: 2 });
    pointer('pointermove', 300, 250);
    select(['s1']);
    await poll(() => state()?.cursor?.x === 100, 'the cursor is published');
    assert.deepEqual(state()?.cursor, { x: 100, y: 100 });
    assert.deepEqual(state()?.selection, ['s1']);
    assert.deepEqual(state()?.viewport, { x: 100, y: 50, scale: 2, width: 1000, height: 600 });
    pointer('pointerleave', 0, 0);
    await poll(() => state()?.cursor === null, 'leaving the board hides the cursor');
    identity.rename('New Name');
    await poll(() => state()?.user.name === 'New Name', 'a rename is published');
    presence.close();
  });

  test('a burst of pointer moves is coalesced to about 30 updates a second', async () => {
    const { presence, pointer, updates, state } = setup();
    const before = updates();
    const started = Date.now();
    for (let i = 0; i < 200; i++) pointer('pointermove', i, i);
    await poll(() => state()?.cursor?.x === 199, 'the last position arrives');
    const elapsed = Date.now() - started;
    const sent = updates() - before;
    assert.ok(sent <= Math.ceil(elapsed / 33) + 1, `${sent} updates in ${elapsed} ms`);
    assert.ok(sent >= 1);
    presence.close();
  });

  test('goes idle without activity and comes back on the next one', async () => {
    const { presence, state, win } = setup(80);
    await poll(() => state()?.idle === true, 'idle after the quiet time');
    win.dispatchEvent(new Event('keydown'));
    await poll(() => state()?.idle === false, 'active again');
    presence.close();
  });

  test('leaving the page clears the state at once', () => {
    const { awareness, win, presence } = setup();
    assert.notEqual(awareness.getLocalState(), null);
    win.dispatchEvent(new Event('pagehide'));
    assert.equal(awareness.getLocalState(), null);
    presence.close();
  });
});
