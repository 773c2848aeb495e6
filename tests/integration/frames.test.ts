/**
 * Frames edited by two users at once, each a real client (the stock y-websocket provider) through
 * a real server, each driving the client's own tools on its board: one moves a frame while the
 * other draws into it, before and during the drag; two drag one shape into two different frames;
 * one deletes a frame the other draws into. Both boards converge to the same valid board, and a
 * shape is in at most one frame, one that exists.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAllShapes, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, holdsShapes, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { FRAME_TITLE_BAND } from '../../client/shapes/constants.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createToolHarness, type ToolHarness } from '../helpers/tool-harness.ts';

let server: TestServer;
const clients: TestClient[] = [];
const harnesses: ToolHarness[] = [];

before(async () => {
  server = await startTestServer();
});

after(async () => {
  for (const harness of harnesses) harness.close();
  for (const client of clients) client.provider.destroy();
  await server.close();
});

/** A user: a synced client on `room` and the client's tools on its document. */
async function user(room: string): Promise<{ client: TestClient; tools: ToolHarness }> {
  const client = connectClient(server.syncUrl, room);
  clients.push(client);
  await client.synced;
  const tools = createToolHarness('select', client.doc);
  harnesses.push(tools);
  return { client, tools };
}

function frame(id: string, x: number, y: number, index: string): Shape {
  return { ...DEFAULT_STYLE, id, type: 'frame', x, y, width: 400, height: 300, name: id, rotation: 0, index, locked: false };
}

function rect(id: string, x: number, y: number, index: string): Shape {
  return { ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x, y, width: 100, height: 80, rotation: 0, index, locked: false };
}

/** Writes `shapes` from `client` and waits until every other client has them. */
async function seed(from: TestClient, others: TestClient[], shapes: Shape[]): Promise<void> {
  from.doc.transact(() => {
    for (const shape of shapes) writeShape(from.doc, shape);
  }, LOCAL_ORIGIN);
  for (const other of others) await waitFor(() => shapes.every((s) => readAllShapes(other.doc).some((o) => o.id === s.id)), { doc: other.doc }, 'seeded');
}

/** Waits until both boards read the same and passes them through the checks every board must pass. */
async function converged(a: TestClient, b: TestClient, check: (shapes: Shape[]) => boolean, message: string): Promise<Shape[]> {
  const same = (): boolean => JSON.stringify(readAllShapes(a.doc)) === JSON.stringify(readAllShapes(b.doc)) && check(readAllShapes(a.doc));
  // Either document may be the last to change: look again whenever either does.
  await new Promise<void>((resolve, reject) => {
    const probe = (): void => {
      if (!same()) return;
      finish();
      resolve();
    };
    const finish = (): void => {
      clearTimeout(timer);
      a.doc.off('update', probe);
      b.doc.off('update', probe);
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out: ${message}\nA ${JSON.stringify(readAllShapes(a.doc))}\nB ${JSON.stringify(readAllShapes(b.doc))}`));
    }, 10_000);
    a.doc.on('update', probe);
    b.doc.on('update', probe);
    probe();
  });
  const shapes = readAllShapes(a.doc);
  const ids = new Set(shapes.map((shape) => shape.id));
  for (const shape of shapes) {
    if (holdsShapes(shape)) assert.equal(shape.frameId, undefined, `frame ${shape.id} is in no frame`);
    else if (shape.frameId !== undefined) assert.ok(ids.has(shape.frameId) && holdsShapes(shapes.find((s) => s.id === shape.frameId)!), `${shape.id}'s frame ${shape.frameId} is a frame on the board`);
  }
  return shapes;
}

const titleOf = (f: Shape): [number, number] => [f.x + 10, f.y - FRAME_TITLE_BAND / 2];

describe('frames edited by two users at once, through a real server', () => {
  test('A moves a frame while B draws into it: the new shape is the frame\'s and moves with it on both boards', async () => {
    const room = `frames-move-draw-${Date.now()}`;
    const a = await user(room);
    const b = await user(room);
    await seed(a.client, [b.client], [frame('f', 0, 0, 'a0')]);

    // At the same moment: A drags the frame 300 right by its title; B draws a rectangle at (100, 100)–(200, 180) into it.
    const [tx, ty] = titleOf(a.tools.board.get('f')!);
    a.tools.gesture([[tx, ty], [tx + 150, ty], [tx + 300, ty]]);
    b.tools.toolbox.setTool('rectangle');
    b.tools.gesture([[100, 100], [150, 150], [200, 180]]);
    const drawn = b.tools.board.ordered().find((shape) => shape.type === 'rect')!;
    assert.equal(drawn.frameId, 'f', "B's rectangle is the frame's when B draws it");

    const shapes = await converged(a.client, b.client, (s) => s.length === 2 && s.find((x) => x.id === 'f')?.x === 300, 'both boards have the move and the rectangle');
    const child = shapes.find((shape) => shape.id === drawn.id)!;
    assert.deepEqual([child.frameId, child.x, child.y], ['f', 400, 100], 'drawn into the frame as it was, it moved with it');
  });

  test("B's shape drawn into a frame while A is in the middle of dragging that frame moves with it on the drop", async () => {
    const room = `frames-drag-draw-${Date.now()}`;
    const a = await user(room);
    const b = await user(room);
    await seed(a.client, [b.client], [frame('f', 0, 0, 'a0')]);
    const [tx, ty] = titleOf(a.tools.board.get('f')!);
    a.tools.toolbox.pointerDown(a.tools.event(tx, ty));
    a.tools.toolbox.pointerMove(a.tools.event(tx, ty + 100));
    assert.equal(a.tools.toolbox.tool().state, 'dragging');

    b.tools.toolbox.setTool('rectangle');
    b.tools.gesture([[100, 100], [150, 150], [200, 180]]);
    const drawnId = b.tools.board.ordered().find((shape) => shape.type === 'rect')!.id;
    await waitFor(() => a.tools.board.get(drawnId) !== undefined, { doc: a.client.doc }, "A's board has B's rectangle while A drags");
    a.tools.toolbox.pointerUp(a.tools.event(tx, ty + 200));

    const shapes = await converged(a.client, b.client, (s) => s.find((x) => x.id === 'f')?.y === 200, 'both boards have the drop');
    const child = shapes.find((shape) => shape.id === drawnId)!;
    assert.deepEqual([child.frameId, child.x, child.y], ['f', 100, 300], 'it moved with the frame');
  });

  test('A and B drag the same shape into two different frames at once: both boards agree on one frame, and the shape is inside it', async () => {
    const room = `frames-two-drops-${Date.now()}`;
    const a = await user(room);
    const b = await user(room);
    await seed(a.client, [b.client], [frame('left', 0, 0, 'a0'), frame('right', 1000, 0, 'a1'), rect('r', 600, 400, 'a2')]);

    // At the same moment: A into the left frame, B into the right one.
    a.tools.gesture([[650, 440], [400, 300], [200, 140]]);
    b.tools.gesture([[650, 440], [900, 300], [1200, 140]]);
    assert.equal(a.tools.board.get('r')?.frameId, 'left');
    assert.equal(b.tools.board.get('r')?.frameId, 'right');

    const shapes = await converged(a.client, b.client, (s) => s.find((x) => x.id === 'r')?.frameId !== undefined, 'both boards agree on where the shape went');
    const shape = shapes.find((x) => x.id === 'r')!;
    const home = shapes.find((x) => x.id === shape.frameId)!;
    assert.ok(home.type === 'frame');
    const [cx, cy] = [shape.x + 50, shape.y + 40];
    assert.ok(cx >= home.x && cx <= home.x + home.width && cy >= home.y && cy <= home.y + home.height, `its centre (${cx}, ${cy}) is inside its frame ${home.id}`);
    assert.deepEqual(shapes.filter((x) => x.type === 'frame').map((f) => [f.id, f.x, f.y]), [['left', 0, 0], ['right', 1000, 0]], 'the frames stay put');
  });

  test('A deletes a frame while B draws into it: the children A knew go with it, B\'s shape stays, in no frame', async () => {
    const room = `frames-delete-draw-${Date.now()}`;
    const a = await user(room);
    const b = await user(room);
    await seed(a.client, [b.client], [frame('f', 0, 0, 'a0'), { ...rect('old', 50, 50, 'a1'), frameId: 'f' }]);
    a.tools.selection.set(['f']);
    a.tools.toolbox.keyDown({ key: 'Delete', shiftKey: false });
    b.tools.toolbox.setTool('rectangle');
    b.tools.gesture([[200, 100], [250, 150], [300, 180]]);
    const drawnId = b.tools.board.ordered().find((shape) => shape.id !== 'f' && shape.id !== 'old')!.id;

    const shapes = await converged(a.client, b.client, (s) => s.length === 1, 'both boards have the deletion and the new shape');
    assert.deepEqual(shapes.map((s) => [s.id, s.x, s.y, s.frameId]), [[drawnId, 200, 100, undefined]], 'where B drew it, in no frame');
  });
});
