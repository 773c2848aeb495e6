/**
 * Where a user is typing, in presence: the gate keeps a well-formed `typing` and drops anything
 * else, what is written is what the others read, and local presence publishes the editing
 * model's caret as it moves.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { textAnchorIndex, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { readPresence, writePresence, type Presence, type PresenceTyping } from '../../shared/presence.ts';
import { DEFAULT_STYLE, type StickyShape } from '../../shared/schema.ts';
import { createBoard } from '../../client/model/board.ts';
import { createEmitter } from '../../client/model/emitter.ts';
import { createTextEditing } from '../../client/model/text-editing.ts';
import { createIdentity } from '../../client/presence/identity.ts';
import { createLocalPresence } from '../../client/presence/local-presence.ts';
import { poll, seededRandom } from '../helpers/client.ts';

const BASE: Presence = { user: { name: 'Calm Otter', color: '#30a46c' }, cursor: null, selection: [], laser: [], idle: false, viewport: null, gesture: null };
const TYPING: PresenceTyping = {
  id: 'note-1',
  anchor: { item: { client: 12, clock: 3 }, assoc: 0 },
  head: { type: { client: 12, clock: 0 }, assoc: -1 },
};

describe('typing in presence', () => {
  test('round-trips through JSON; absent when not typing', () => {
    const written = writePresence({ ...BASE, typing: TYPING });
    assert.deepEqual(readPresence(JSON.parse(JSON.stringify(written)))?.typing, TYPING);
    assert.equal('typing' in writePresence(BASE), false, 'nothing is sent when not typing');
    assert.equal(readPresence(writePresence(BASE))?.typing, undefined);
    assert.ok(JSON.stringify(written.typing).length < 200, 'a few dozen bytes');
  });

  test('anything malformed reads as not typing, and is never sent', () => {
    const bad: unknown[] = [
      'typing',
      { ...TYPING, id: '' },
      { ...TYPING, id: 'x'.repeat(65) },
      { ...TYPING, id: 'has spaces' },
      { ...TYPING, head: null },
      { ...TYPING, head: {} },
      { ...TYPING, head: { item: { client: -1, clock: 0 } } },
      { ...TYPING, head: { item: { client: 1.5, clock: 0 } } },
      { ...TYPING, anchor: { item: { client: 1, clock: 'x' } } },
      { ...TYPING, anchor: { tname: 'n'.repeat(500) } },
      { ...TYPING, anchor: { item: { client: 1, clock: 1 }, assoc: 0.5 } },
    ];
    for (const typing of bad) {
      assert.equal(readPresence({ ...writePresence(BASE), typing })?.typing, undefined, JSON.stringify(typing));
      assert.equal('typing' in writePresence({ ...BASE, typing: typing as PresenceTyping }), false, JSON.stringify(typing));
    }
    // Extra keys are dropped, a large association is cut to its sign.
    const read = readPresence({ ...writePresence(BASE), typing: { ...TYPING, extra: 'x'.repeat(10_000), head: { item: { client: 1, clock: 2 }, assoc: 99, junk: [1, 2, 3] } } });
    assert.deepEqual(read?.typing, { ...TYPING, head: { item: { client: 1, clock: 2 }, assoc: 1 } });
  });

  test('local presence publishes the caret of the text being edited, and stops when editing ends', async () => {
    const doc = new Y.Doc();
    const board = createBoard(doc);
    doc.transact(() => writeShape(doc, { ...DEFAULT_STYLE, id: 'n', type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 0, rotation: 0, index: 'a0', locked: false, text: 'hello', width: 200, height: 200 }), LOCAL_ORIGIN);
    const editing = createTextEditing(board);
    const awareness = new Awareness(new Y.Doc());
    const viewport = createEmitter<{ x: number; y: number; scale: number }>();
    const presence = createLocalPresence({
      awareness,
      identity: createIdentity({ storage: null, random: seededRandom(5) }),
      stage: {
        element: Object.assign(new EventTarget(), { clientWidth: 100, clientHeight: 100 }) as unknown as HTMLElement,
        toBoard: (x, y) => ({ x, y }),
        viewport: () => ({ x: 0, y: 0, scale: 1 }),
        onViewportChange: (listener) => viewport.on(listener),
      },
      selection: { ids: () => new Set(), onChange: () => () => {} },
      typing: editing,
      window: new EventTarget() as unknown as Window,
    });
    after(() => awareness.destroy());
    const typing = () => readPresence(awareness.getLocalState())?.typing;
    assert.equal(typing(), undefined);
    editing.begin({ isNew: false, shape: board.get('n') as StickyShape });
    editing.setSelection(1, 4);
    await poll(() => typing() !== undefined, 'the caret is published');
    const published = typing()!;
    assert.equal(published.id, 'n');
    assert.deepEqual([textAnchorIndex(doc, 'n', published.anchor), textAnchorIndex(doc, 'n', published.head)], [1, 4]);
    editing.finish();
    await poll(() => typing() === undefined, 'finishing takes the caret away');
    presence.close();
    editing.close();
    board.close();
  });
});
