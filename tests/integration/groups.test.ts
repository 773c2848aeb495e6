/**
 * Groups edited at once by two users: real clients (the stock provider) through a real server,
 * each with the client's own board, selection and select tool over its document. Each pair of
 * edits is made in one synchronous block, so neither side has seen the other's before making its
 * own. Every case ends with both documents identical, every shape there and every group valid.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor, type TestClient } from '../helpers/client.ts';
import { DEFAULT_STYLE, readShape, SHAPE_LIMITS, NO_LABEL } from '../../shared/schema.ts';
import { getShapesMap } from '../../shared/doc.ts';
import { createBoard, type Board } from '../../client/model/board.ts';
import { createSelection, type Selection } from '../../client/model/selection.ts';
import { createDraft } from '../../client/model/draft.ts';
import { createCamera } from '../../client/model/camera.ts';
import { createTextEditing } from '../../client/model/text-editing.ts';
import { createLaser } from '../../client/model/laser.ts';
import { createToolbox, type Toolbox } from '../../client/tools/toolbox.ts';
import { clickSelection } from '../../client/model/groups.ts';
import { groupSelection, ungroupSelection } from '../../client/tools/actions/group.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server.close();
});

/** One user: a real client and the editor parts the page builds over its document. */
interface User {
  client: TestClient;
  board: Board;
  selection: Selection;
  toolbox: Toolbox;
  /** A mouse drag with the select tool from one board point to another. */
  drag(from: [number, number], to: [number, number]): void;
  close(): void;
}

async function join(room: string): Promise<User> {
  const client = connectClient(server.syncUrl, room);
  await client.synced;
  const board = createBoard(client.doc);
  const selection = createSelection(board);
  const draft = createDraft();
  const camera = createCamera();
  const editing = createTextEditing(board);
  const laser = createLaser();
  const toolbox = createToolbox({ board, selection, draft, camera, editing, laser, style: () => DEFAULT_STYLE });
  let time = 0;
  const event = (x: number, y: number) => ({ x, y, pressure: 0.5, pointerType: 'mouse' as const, shiftKey: false, altKey: false, time: (time += 16), scale: 1 });
  return {
    client,
    board,
    selection,
    toolbox,
    drag(from, to) {
      toolbox.pointerDown(event(...from));
      toolbox.pointerMove(event((from[0] + to[0]) / 2, (from[1] + to[1]) / 2));
      toolbox.pointerMove(event(...to));
      toolbox.pointerUp(event(...to));
    },
    close() {
      toolbox.close();
      editing.close();
      laser.close();
      camera.close();
      selection.close();
      draft.close();
      board.close();
      client.destroy();
    },
  };
}

/** Two users on a fresh room where A has drawn `count` rectangles r1…rN, 100 apart, and B sees them. */
async function twoUsers(room: string, count: number): Promise<[User, User]> {
  const a = await join(room);
  const b = await join(room);
  for (let i = 1; i <= count; i++) {
    a.board.addShape({ ...DEFAULT_STYLE, id: `r${i}`, type: 'rect', ...NO_LABEL, x: (i - 1) * 100, y: 0, width: 80, height: 80, rotation: 0, locked: false });
  }
  await waitFor(() => b.board.size === count, { doc: b.client.doc }, 'B sees the shapes');
  return [a, b];
}

/** JSON with keys sorted: two documents holding the same map may list its keys in different orders. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v));
}

/** Waits until A and B hold the same shapes, then checks every record and group. */
async function converged(a: User, b: User, ids: readonly string[]): Promise<void> {
  const same = (): boolean => canonical(getShapesMap(a.client.doc).toJSON()) === canonical(getShapesMap(b.client.doc).toJSON());
  // Either side may be the last to get the other's edit: poll rather than listen to one of them.
  await poll(same, 'A and B hold the same shapes');
  for (const user of [a, b]) {
    assert.deepEqual(user.board.ordered().map((shape) => shape.id).sort(), [...ids].sort(), 'every shape is there');
    getShapesMap(user.client.doc).forEach((entry, id) => {
      const result = readShape(id, (entry as Y.Map<unknown>).toJSON());
      assert.ok(result.ok, `${id} passes the gate`);
      // What is stored is what the gate keeps: no repeated, broken or too deep group ids.
      assert.deepEqual(result.shape.groupIds, (entry as Y.Map<unknown>).get('groupIds') ?? undefined, `${id} stores valid groups`);
      assert.ok((result.shape.groupIds?.length ?? 0) <= SHAPE_LIMITS.maxGroupDepth);
    });
  }
}

/** Groups `ids` on `user`'s board as Ctrl+G does; returns the new group's id. */
function group(user: User, ids: readonly string[]): string {
  user.selection.set(ids);
  assert.ok(groupSelection(user));
  return user.board.get(ids[0]!)!.groupIds!.at(-1)!;
}

test('B deletes a member while A drags the group: the rest moves, the member is gone on both', async () => {
  const [a, b] = await twoUsers('group-delete-member', 4);
  try {
    const g = group(a, ['r1', 'r2', 'r3']);
    await waitFor(() => b.board.get('r3')?.groupIds?.[0] === g, { doc: b.client.doc }, 'B sees the group');
    a.drag([10, 10], [60, 40]);
    b.board.deleteShapes(['r2']);
    await converged(a, b, ['r1', 'r3', 'r4']);
    for (const user of [a, b]) {
      assert.deepEqual([user.board.get('r1')?.x, user.board.get('r1')?.y], [50, 30]);
      assert.deepEqual([user.board.get('r3')?.x, user.board.get('r3')?.y], [250, 30]);
      assert.equal(user.board.get('r4')?.x, 300, 'outside the group: not moved');
      assert.deepEqual(clickSelection(user.board, user.board.get('r1')!, null), ['r1', 'r3'], 'the group is what is left of it');
    }
    assert.deepEqual([...a.selection.ids()].sort(), ['r1', 'r3'], 'the deleted member left A\'s selection');
  } finally {
    a.close();
    b.close();
  }
});

test('B moves a member while A drags the group: both moves are kept', async () => {
  const [a, b] = await twoUsers('group-move-member', 3);
  try {
    group(a, ['r1', 'r2', 'r3']);
    await waitFor(() => b.board.get('r3')?.groupIds !== undefined, { doc: b.client.doc }, 'B sees the group');
    // A drags along x, B moves r2 along y: different fields of r2, so neither move is lost.
    a.drag([110, 10], [160, 10]);
    b.board.moveShapes(['r2'], 0, 30);
    await converged(a, b, ['r1', 'r2', 'r3']);
    for (const user of [a, b]) {
      assert.deepEqual(['r1', 'r2', 'r3'].map((id) => [user.board.get(id)?.x, user.board.get(id)?.y]), [
        [50, 0],
        [150, 30],
        [250, 0],
      ]);
    }
  } finally {
    a.close();
    b.close();
  }
});

test('A groups r1–r3 while B groups r2–r4: one group wins the shared members, no shape is lost', async () => {
  const [a, b] = await twoUsers('group-overlap', 4);
  try {
    a.selection.set(['r1', 'r2', 'r3']);
    b.selection.set(['r2', 'r3', 'r4']);
    assert.ok(groupSelection(a));
    assert.ok(groupSelection(b));
    const ga = a.board.get('r1')!.groupIds![0]!;
    const gb = b.board.get('r4')!.groupIds![0]!;
    await converged(a, b, ['r1', 'r2', 'r3', 'r4']);
    for (const user of [a, b]) {
      const groupsOf = (id: string) => user.board.get(id)?.groupIds;
      assert.deepEqual(groupsOf('r1'), [ga]);
      assert.deepEqual(groupsOf('r4'), [gb]);
      // Each shared member took one side's write, the same side for both (Yjs orders concurrent writes by client).
      assert.deepEqual(groupsOf('r2'), groupsOf('r3'));
      assert.ok([ga, gb].includes(groupsOf('r2')![0]!));
      // A click on any shape still selects a group of the board as it is.
      const winner = groupsOf('r2')![0] === ga ? ['r1', 'r2', 'r3'] : ['r2', 'r3', 'r4'];
      assert.deepEqual(clickSelection(user.board, user.board.get('r2')!, null), winner);
    }
  } finally {
    a.close();
    b.close();
  }
});

test('A ungroups while B groups the same group with another shape: they converge, nothing is lost', async () => {
  const [a, b] = await twoUsers('group-ungroup', 4);
  try {
    const g = group(a, ['r1', 'r2', 'r3']);
    await waitFor(() => b.board.get('r3')?.groupIds?.[0] === g, { doc: b.client.doc }, 'B sees the group');
    a.selection.set(['r1', 'r2', 'r3']);
    b.selection.set(['r1', 'r2', 'r3', 'r4']);
    assert.ok(ungroupSelection(a));
    assert.ok(groupSelection(b));
    const outer = b.board.get('r4')!.groupIds![0]!;
    assert.deepEqual(b.board.get('r1')?.groupIds, [g, outer], 'B nested g in a new group');
    await converged(a, b, ['r1', 'r2', 'r3', 'r4']);
    for (const user of [a, b]) {
      assert.deepEqual(user.board.get('r4')?.groupIds, [outer], 'r4 was only written by B');
      const shared = ['r1', 'r2', 'r3'].map((id) => user.board.get(id)?.groupIds);
      // Either side's write won r1–r3, the same side for all three.
      assert.ok(shared.every((ids) => JSON.stringify(ids) === JSON.stringify(shared[0])));
      assert.ok(shared[0] === undefined || JSON.stringify(shared[0]) === JSON.stringify([g, outer]));
    }
  } finally {
    a.close();
    b.close();
  }
});
