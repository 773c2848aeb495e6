/**
 * Live gestures: what the draft publishes (draftGesture), the presence gate on gestures from
 * others, and how a receiver turns others' gestures into shapes to show (remote-gestures.ts):
 * moves, resizes and rotations applied to its own copies, arrows bound to them following, the
 * eraser's sweep, shapes being drawn, and a gesture that ended lingering only until its result
 * arrives. Undo never sees any of it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { gesturePublishIntervalMs, PRESENCE_LIMITS, readPresence, writePresence, type Presence, type PresenceGesture } from '../../shared/presence.ts';
import { DEFAULT_STYLE } from '../../shared/schema.ts';
import { createBoard, type NewShape } from '../../client/model/board.ts';
import { createDraft, draftGesture } from '../../client/model/draft.ts';
import { createHistory } from '../../client/model/history.ts';
import { applyTransform } from '../../client/model/transform.ts';
import { createPeers } from '../../client/presence/peers.ts';
import { createRemoteGestures } from '../../client/presence/remote-gestures.ts';
import { poll } from '../helpers/client.ts';

const USER = { name: 'Calm Otter', color: '#30a46c' };
const rect = (id: string, extra: Partial<NewShape> = {}): NewShape =>
  ({ ...DEFAULT_STYLE, id, type: 'rect', x: 0, y: 0, width: 100, height: 50, rotation: 0, locked: false, ...extra }) as NewShape;

function presenceWith(gesture: PresenceGesture | null): Presence {
  return { user: USER, cursor: null, selection: [], laser: [], idle: false, viewport: null, gesture };
}

describe('gestures on the wire', () => {
  test('each kind of gesture survives the gate and the JSON trip', () => {
    const ink = { ...DEFAULT_STYLE, id: 'ink-1', type: 'ink' as const, x: 10, y: 20, rotation: 0, locked: false, index: 'a0', points: [0, 0, 0.5, 10, 5, 0.6] };
    const gestures: PresenceGesture[] = [
      { kind: 'draw', shape: ink },
      { kind: 'move', ids: ['a', 'b'], dx: 12.5, dy: -3 },
      { kind: 'transform', ids: ['a'], transform: { kind: 'scale', origin: { x: 0, y: 0 }, sx: 2, sy: 0.5, to: { x: 10, y: 10 } } },
      { kind: 'transform', ids: ['a'], transform: { kind: 'rotate', center: { x: 50, y: 25 }, degrees: 90 } },
      { kind: 'erase', ids: ['a'] },
    ];
    for (const gesture of gestures) {
      const read = readPresence(JSON.parse(JSON.stringify(writePresence(presenceWith(gesture)))));
      assert.deepEqual(read?.gesture, gesture, gesture.kind);
    }
  });

  test('a broken gesture reads as none, and the rest of the presence stays', () => {
    for (const gesture of [
      { kind: 'draw', shape: { id: 'x', type: 'ink', points: 'no' } },
      { kind: 'draw', shape: null },
      { kind: 'move', ids: ['a'], dx: Infinity, dy: 0 },
      { kind: 'transform', ids: ['a'], transform: { kind: 'scale', origin: { x: 0, y: 0 }, sx: -1, sy: 1, to: { x: 0, y: 0 } } },
      { kind: 'transform', ids: ['a'], transform: { kind: 'warp' } },
      { kind: 'erase', ids: 'a' },
      { kind: 'explode' },
      'draw',
    ]) {
      const read = readPresence({ user: USER, cursor: { x: 1, y: 2 }, gesture });
      assert.equal(read?.gesture, null, JSON.stringify(gesture));
      assert.deepEqual(read?.cursor, { x: 1, y: 2 });
    }
  });

  test('a long stroke is thinned for the preview and a huge selection capped, so presence stays under the server limit', () => {
    const points: number[] = [];
    for (let i = 0; i < 5000; i++) points.push(i * 1.234567, Math.sin(i) * 100.98765, 0.51234);
    const ink = { ...DEFAULT_STYLE, id: 'ink-1', type: 'ink' as const, x: 0, y: 0, rotation: 0, locked: false, index: 'a0', points };
    const ids = Array.from({ length: 5000 }, (_, i) => `shape-${String(i).padStart(30, '0')}`);
    const written = writePresence({ ...presenceWith({ kind: 'draw', shape: ink }), selection: ids });
    const drawn = (written.gesture as { shape: { points: number[] } }).shape.points;
    assert.equal(drawn.length, PRESENCE_LIMITS.maxGesturePoints * 3);
    assert.deepEqual(drawn.slice(-3), [Math.round(points.at(-3)! * 10) / 10, Math.round(points.at(-2)! * 10) / 10, 0.51], 'the newest point is kept');
    assert.ok(JSON.stringify(written).length < 16 * 1024, `${JSON.stringify(written).length} characters`);
    const moving = writePresence({ ...presenceWith({ kind: 'move', ids, dx: 1, dy: 1 }), selection: ids });
    assert.ok((moving.gesture as { ids: string[] }).ids.length <= PRESENCE_LIMITS.maxGestureIds);
    assert.ok(JSON.stringify(moving).length < 16 * 1024, `${JSON.stringify(moving).length} characters`);
  });

  test('gestures go at the display rate in a small room and less often as it grows', () => {
    assert.equal(gesturePublishIntervalMs(1), 16);
    assert.equal(gesturePublishIntervalMs(10), 16);
    const rates = [0, 5, 11, 30, 51, 199, 1000].map(gesturePublishIntervalMs);
    assert.deepEqual(rates, [...rates].sort((a, b) => a - b), 'never faster for more people');
    assert.ok(gesturePublishIntervalMs(199) >= 60, 'a class of 200 is not sent strokes at the display rate');
  });

  test('the draft publishes what the local user is doing, and nothing for a marquee', () => {
    const draft = createDraft();
    assert.equal(draftGesture(draft), null);
    draft.setMarquee({ x: 0, y: 0, width: 10, height: 10 });
    assert.equal(draftGesture(draft), null);
    draft.clear();
    draft.setTranslation({ ids: new Set(['a']), dx: 5, dy: 6 });
    assert.deepEqual(draftGesture(draft), { kind: 'move', ids: ['a'], dx: 5, dy: 6 });
    draft.clear();
    const transform = { kind: 'rotate' as const, center: { x: 0, y: 0 }, degrees: 30 };
    draft.setOverrides(new Map([['a', rect('a')]]), { ids: ['a'], transform });
    assert.deepEqual(draftGesture(draft), { kind: 'transform', ids: ['a'], transform });
    draft.clear();
    assert.equal(draft.transform, null);
    draft.setErased(new Set(['a', 'b']));
    assert.deepEqual(draftGesture(draft), { kind: 'erase', ids: ['a', 'b'] });
    draft.clear();
    draft.setShape(rect('new'));
    assert.equal(draftGesture(draft)?.kind, 'draw');
  });
});

describe('others’ gestures, as shapes to show', () => {
  /** A board and a second awareness standing for a peer, wired through a shared awareness. */
  function setup(lingerMs = 50) {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    const peerDoc = new Y.Doc();
    const local = new Awareness(doc);
    const remote = new Awareness(peerDoc);
    // The peer's states reach the local awareness as they would through the server.
    remote.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const changed = added.concat(updated, removed);
      for (const id of changed) {
        const state = remote.getStates().get(id);
        if (state === undefined) local.states.delete(id);
        else local.states.set(id, state);
        local.meta.set(id, { clock: (local.meta.get(id)?.clock ?? 0) + 1, lastUpdated: Date.now() });
      }
      local.emit('change', [{ added: [], updated: changed, removed: [] }, 'remote']);
    });
    const peers = createPeers(local);
    const gestures = createRemoteGestures({ peers, board, lingerMs });
    const publish = (gesture: PresenceGesture | null): void => remote.setLocalState(writePresence(presenceWith(gesture)));
    const close = (): void => {
      gestures.close();
      peers.close();
      local.destroy();
      remote.destroy();
    };
    return { doc, board, gestures, publish, close, peerId: peerDoc.clientID };
  }

  test('a drag, a resize and a rotation show on this board’s copies, arrows bound to them follow, and locked shapes stay', () => {
    const { board, gestures, publish, close } = setup();
    board.addShape(rect('a', { x: 0, y: 0 }));
    board.addShape(rect('locked', { x: 500, y: 0, locked: true }));
    board.addShape({ ...DEFAULT_STYLE, id: 'arrow', type: 'arrow', x: 200, y: 25, rotation: 0, locked: false, points: [0, 0, -100, 0], startBinding: null, endBinding: 'a' } as NewShape);
    try {
      publish({ kind: 'move', ids: ['a', 'locked'], dx: 40, dy: 10 });
      assert.deepEqual([gestures.overrides().get('a')?.x, gestures.overrides().get('a')?.y], [40, 10]);
      assert.equal(gestures.overrides().has('locked'), false, 'a locked shape does not move');
      const arrow = gestures.overrides().get('arrow');
      assert.ok(arrow?.type === 'arrow', 'the arrow bound to the moved shape follows it');
      assert.notDeepEqual([arrow.x, arrow.points], [200, [0, 0, -100, 0]]);
      assert.equal(board.get('a')?.x, 0, 'the document is untouched');

      const transform = { kind: 'scale' as const, origin: { x: 0, y: 0 }, sx: 2, sy: 3, to: { x: 0, y: 0 } };
      publish({ kind: 'transform', ids: ['a'], transform });
      assert.deepEqual(gestures.overrides().get('a'), applyTransform(board.get('a')!, transform));
      publish({ kind: 'erase', ids: ['a', 'gone'] });
      assert.deepEqual([...gestures.erased()], ['a'], 'only shapes on this board are faded');
      assert.equal(gestures.overrides().size, 0);
    } finally {
      close();
    }
  });

  test('a drag whose result arrives before it ends is shown where the result puts it, not moved twice', () => {
    const { board, gestures, publish, close } = setup();
    board.addShape(rect('a', { x: 0, y: 0 }));
    try {
      publish({ kind: 'move', ids: ['a'], dx: 40, dy: 10 });
      // The peer's release: its document update overtakes the presence that ends its drag.
      board.moveShapes(['a'], 40, 10);
      assert.deepEqual([gestures.overrides().get('a')?.x, gestures.overrides().get('a')?.y], [40, 10]);
      publish({ kind: 'move', ids: ['a'], dx: 50, dy: 10 });
      assert.equal(gestures.overrides().get('a')?.x, 50, 'the same drag goes on from where it began');
      publish(null);
      publish({ kind: 'move', ids: ['a'], dx: 10, dy: 0 });
      assert.equal(gestures.overrides().get('a')?.x, 50, 'a new drag of the same shape begins where the last one left it');
    } finally {
      close();
    }
  });

  test('a shape being drawn is shown until it is in the document; a cancelled one goes after the linger', async () => {
    const { board, gestures, publish, close, peerId } = setup(30);
    try {
      const shape = { ...rect('drawn'), index: 'a0' };
      publish({ kind: 'draw', shape });
      assert.deepEqual(gestures.drawing().map((d) => [d.clientId, d.shape.id]), [[peerId, 'drawn']]);
      publish(null);
      assert.equal(gestures.drawing().length, 1, 'kept while its result is on its way');
      board.addShape(rect('drawn'));
      assert.equal(gestures.drawing().length, 0, 'gone as soon as the document has it');

      publish({ kind: 'draw', shape: { ...shape, id: 'cancelled' } });
      publish(null);
      assert.equal(gestures.drawing().length, 1);
      await poll(() => gestures.drawing().length === 0, 'a cancelled drawing goes after the linger');
    } finally {
      close();
    }
  });

  test('others’ gestures never enter the local undo history', () => {
    const { doc, board, publish, close } = setup();
    const history = createHistory(doc);
    try {
      publish({ kind: 'draw', shape: { ...rect('x'), index: 'a0' } });
      publish({ kind: 'move', ids: ['x'], dx: 1, dy: 1 });
      assert.equal(history.canUndo, false);
      board.addShape(rect('mine'));
      assert.equal(history.canUndo, true);
      history.undo();
      assert.equal(board.get('mine'), undefined);
    } finally {
      history.close();
      close();
    }
  });
});
