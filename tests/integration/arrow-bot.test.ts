/**
 * A bot that moves a shape and never touches the arrow bound to it: the arrow still follows,
 * because the board derives bound ends from the shapes. The bot is a stock y-websocket client
 * writing only the rectangle's x and y, as any script using the library would.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor } from '../helpers/client.ts';
import { updateShape } from '../../shared/doc.ts';
import { DEFAULT_STYLE, NO_LABEL, type LinearShape } from '../../shared/schema.ts';
import { createBoard, type BoardChange } from '../../client/model/board.ts';
import { BOUND_END_GAP } from '../../client/model/bound-ends.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server.close();
});

test('a bot moving a bound shape by its x and y alone: the arrow end follows to the new edge', async () => {
  const user = connectClient(server.syncUrl, 'arrow-bot');
  const bot = connectClient(server.syncUrl, 'arrow-bot');
  await Promise.all([user.synced, bot.synced]);
  const board = createBoard(user.doc);
  try {
    board.addShape({ ...DEFAULT_STYLE, ...NO_LABEL, id: 'from', type: 'rect', x: 0, y: 0, width: 100, height: 80, rotation: 0, locked: false });
    board.addShape({ ...DEFAULT_STYLE, ...NO_LABEL, id: 'to', type: 'rect', x: 300, y: 0, width: 100, height: 80, rotation: 0, locked: false });
    board.addShape({
      ...DEFAULT_STYLE,
      id: 'arrow',
      type: 'arrow',
      x: 105,
      y: 40,
      rotation: 0,
      locked: false,
      points: [0, 0, 190, 0],
      startBinding: 'from',
      endBinding: 'to',
      startAnchor: { x: 0.5, y: 0.5 },
      endAnchor: { x: 0.5, y: 0.5 },
      startArrowhead: 'none',
      endArrowhead: 'arrow',
      arrowKind: 'straight',
      bend: 0,
      text: '',
    });
    await waitFor(() => bot.doc.getMap('shapes').has('arrow'), { doc: bot.doc }, 'the bot sees the arrow');
    const arrowUpdates: BoardChange[] = [];
    board.onChange((change) => {
      if (change.ids.has('arrow')) arrowUpdates.push(change);
    });
    // The bot writes the rectangle's position and nothing else, in its own transaction.
    bot.doc.transact(() => updateShape(bot.doc, 'to', { x: 600, y: 0 }));
    await waitFor(() => board.get('to')?.x === 600, { doc: user.doc }, 'the user sees the moved rectangle');
    const arrow = board.get('arrow') as LinearShape;
    const gap = BOUND_END_GAP + DEFAULT_STYLE.strokeWidth / 2;
    const end = { x: arrow.x + arrow.points[2]!, y: arrow.y + arrow.points[3]! };
    assert.ok(Math.abs(end.x - (600 - gap)) < 0.02 && Math.abs(end.y - 40) < 0.02, `the end is at the rectangle's new left edge: ${JSON.stringify(end)}`);
    assert.ok(arrowUpdates.length > 0, 'the change event named the arrow');
    assert.ok(arrowUpdates.every((change) => !change.local), 'it was not a local edit');
    // The arrow's own record was never written by anyone after it was drawn.
    const stored = bot.doc.getMap('shapes').get('arrow') as { get(key: string): unknown };
    assert.deepEqual(stored.get('points'), [0, 0, 190, 0], 'the stored arrow is untouched');
  } finally {
    board.close();
    user.destroy();
    bot.destroy();
  }
});
