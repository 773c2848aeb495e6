/**
 * Boards apart from rooms, on real Y.Docs: a whole state to a board file and back (every shape
 * type, a frame with a child, the title), repair of records the schema gate refuses (one
 * transaction, reasons reported), and the backup stream (round trip, backpressure, refusals).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import * as Y from 'yjs';
import { boardFileFromState, stateFromBoardFile, docFromState } from '../../server/boards/board-state.ts';
import { findRefusedRecords, repairDoc } from '../../server/boards/repair.ts';
import { BackupFormatError, readBackup, writeBackup, type BackupBoard } from '../../server/boards/backup-format.ts';
import { getShapesMap, indicesBetween, readAllShapes, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN, SERVER_ORIGIN } from '../../shared/origins.ts';
import type { Shape } from '../../shared/schema.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';
import { seededRandom } from '../helpers/client.ts';

/** One shape of every type, and a rect inside the frame. */
function boardShapes(): Shape[] {
  const indices = indicesBetween(null, null, DEFS.length + 1);
  const shapes = DEFS.map((def, i) => sampleShape(def, { id: `${def.type}-1`, index: indices[i]!, x: 10 * i, y: 5 * i }));
  const frame = shapes.find((shape) => shape.type === 'frame')!;
  const rect = DEFS.find((def) => def.type === 'rect')!;
  shapes.push(sampleShape(rect, { id: 'child-1', index: indices[DEFS.length]!, x: frame.x + 7, y: frame.y + 9, frameId: frame.id }));
  return shapes;
}

describe('board state ↔ board file', () => {
  test('a board file survives a round trip through a whole Yjs state, frames and title included', () => {
    const file = { title: 'Roadmap', shapes: boardShapes() };
    const back = boardFileFromState(stateFromBoardFile(file));
    assert.equal(back.title, 'Roadmap');
    const byId = (shapes: Shape[]): Shape[] => [...shapes].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(byId(back.shapes), byId(file.shapes));
  });

  test('a state written by a client reads back as the client wrote it', () => {
    const doc = new Y.Doc();
    const shapes = boardShapes().slice(0, 3);
    doc.transact(() => shapes.forEach((shape) => writeShape(doc, shape)), LOCAL_ORIGIN);
    assert.deepEqual(boardFileFromState(Y.encodeStateAsUpdate(doc)), { title: '', shapes: readAllShapes(doc) });
  });
});

describe('repair', () => {
  function junkDoc(): Y.Doc {
    const doc = docFromState(stateFromBoardFile({ title: 't', shapes: boardShapes() }));
    doc.transact(() => {
      const shapes = getShapesMap(doc);
      const unknownType = new Y.Map<unknown>();
      unknownType.set('type', 'blob');
      unknownType.set('x', 1);
      unknownType.set('y', 1);
      shapes.set('junk-type', unknownType);
      const noPosition = new Y.Map<unknown>();
      noPosition.set('type', 'rect');
      noPosition.set('index', 'a0');
      shapes.set('junk-xy', noPosition);
      (shapes as unknown as Y.Map<unknown>).set('junk-plain', 42);
    }, LOCAL_ORIGIN);
    return doc;
  }

  test('finds every refused record with the reason the gate gives', () => {
    const refused = findRefusedRecords(junkDoc()).sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(refused, [
      { id: 'junk-plain', reason: 'entry is not a map' },
      { id: 'junk-type', reason: 'unknown type "blob"' },
      { id: 'junk-xy', reason: 'x is missing or out of range' },
    ]);
  });

  test('removes them in one transaction with the given origin and keeps every valid shape', () => {
    const doc = junkDoc();
    const before = readAllShapes(doc);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const { removed } = repairDoc(doc, SERVER_ORIGIN);
    assert.equal(removed.length, 3);
    assert.deepEqual(origins, [SERVER_ORIGIN]);
    assert.deepEqual(readAllShapes(doc), before);
    assert.equal(getShapesMap(doc).size, before.length);
    assert.deepEqual(repairDoc(doc, SERVER_ORIGIN), { removed: [] });
    assert.equal(origins.length, 1, 'nothing to remove: no transaction');
  });
});

/** A board of a backup with seeded random bytes for its assets. */
function backupBoard(room: string, seed: number): BackupBoard {
  const random = seededRandom(seed);
  const state = stateFromBoardFile({ title: room, shapes: boardShapes().slice(0, 1 + (seed % 5)) });
  const version = stateFromBoardFile({ title: room, shapes: [] });
  return {
    room,
    board: { room, title: room, createdAt: 1_000 + seed, updatedAt: 2_000 + seed, shapes: 1, bytes: state.byteLength, deletedAt: seed % 2 === 0 ? null : 3_000 },
    state,
    versions: [{ info: { id: `v${seed}`, at: new Date(1_700_000_000_000 + seed).toISOString(), reason: 'interval', editors: ['Ann'], shapes: 0, bytes: version.byteLength }, state: version }],
    assets: [{ id: `asset-${seed}`, asset: { contentType: 'image/png', bytes: Uint8Array.from({ length: 300 }, () => Math.floor(random() * 256)) } }],
  };
}

async function* yieldAll(boards: BackupBoard[], pulled?: (n: number) => void): AsyncGenerator<BackupBoard> {
  for (const [i, board] of boards.entries()) {
    pulled?.(i + 1);
    yield board;
  }
}

async function collect(stream: AsyncIterable<BackupBoard>): Promise<BackupBoard[]> {
  const boards: BackupBoard[] = [];
  for await (const board of stream) boards.push(board);
  return boards;
}

describe('backup stream', () => {
  test('writes a header and one line per board, and reads back the same boards', async () => {
    const boards = [backupBoard('alpha', 1), backupBoard('beta', 2), backupBoard('gamma', 3)];
    const pipe = new PassThrough();
    const read = collect(readBackup(pipe));
    await writeBackup(pipe, yieldAll(boards));
    pipe.end();
    assert.deepEqual(await read, boards);
  });

  test('does not take the next board before the reader has drained the last one', async () => {
    const boards = Array.from({ length: 5 }, (_, i) => backupBoard(`room-${i}`, i));
    let pulled = 0;
    const written: number[] = [];
    let release: (() => void) | null = null;
    // A reader that takes one line and then waits to be released.
    const slow = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        written.push(pulled);
        release = callback;
      },
    });
    const done = writeBackup(slow, yieldAll(boards, (n) => (pulled = n)));
    for (let line = 0; line < 6; line++) {
      while (release === null) await new Promise((resolve) => setImmediate(resolve));
      // When line k (0 = header) is being written, at most board k has been asked for.
      assert.ok(pulled <= line, `line ${line}: ${pulled} boards taken`);
      const next: () => void = release;
      release = null;
      next();
    }
    await done;
    assert.equal(pulled, 5);
  });

  test('refuses what is not a backup, at the line that breaks it', async () => {
    const refuse = async (text: string, pattern: RegExp, maxLine?: number): Promise<void> => {
      const input = new PassThrough();
      input.end(text);
      await assert.rejects(collect(readBackup(input, maxLine)), (error: unknown) => error instanceof BackupFormatError && pattern.test(error.message));
    };
    const header = '{"type":"easel/backup","version":1}\n';
    const good = JSON.stringify({ room: 'r', board: backupBoard('r', 1).board, state: Buffer.from(backupBoard('r', 1).state).toString('base64'), versions: [], assets: [] });
    await refuse('', /line 1: the backup is empty/);
    await refuse('{"type":"easel/board","version":1}\n', /line 1: not an Easel backup/);
    await refuse('{"type":"easel/backup","version":2}\n', /line 1: format version 2/);
    await refuse(`${header}{"room":"r"`, /line 2: not JSON/);
    await refuse(`${header}${good.replace('"room":"r"', '"room":"../x"')}\n`, /line 2: its room is not a room name/);
    await refuse(`${header}${good}\n${good.replace(/"state":"[^"]*"/, '"state":"%%%"')}\n`, /line 3: room r state is not base64/);
    await refuse(`${header}${good.replace(/"state":"[^"]*"/, '"state":"AQID"')}\n`, /line 2: room r state is not a Yjs update/);
    await refuse(`${header}${good}\n`, /line 2: longer than 100 bytes/, 100);
  });
});
