/**
 * Restoring a version on the client's real board model: one local command that makes the board
 * equal to the version, syncs to another user as an ordinary edit, and is one undo step for the
 * person who restored (undo brings back what was there, redo the version again), while the other
 * user's edits made meanwhile are never undone. A view-only page cannot restore. Also the parts
 * of the History panel that need no page: reading a listed version, the shape set the preview
 * draws, and the toolbox and commands refusing edits while a version is shown.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { BoardFileData } from '../../shared/board-file.ts';
import { readAllShapes, readBoardTitle } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { createBoard, ReadOnlyError, type Board, type NewShape } from '../../client/model/board.ts';
import { createHistory } from '../../client/model/history.ts';
import { restoreVersion } from '../../client/model/restore-version.ts';
import { createShapeSet } from '../../client/model/shape-set.ts';
import { readVersionInfo } from '../../client/sync/versions-api.ts';
import { createVersionPreview } from '../../client/model/version-preview.ts';
import { createPreviewToolbox } from '../../client/tools/preview-toolbox.ts';
import { guardPreviewCommands } from '../../client/ui/preview-commands.ts';
import { formatVersionTime } from '../../client/ui/version-time.ts';
import { createToolHarness } from '../helpers/tool-harness.ts';

const base = { ...DEFAULT_STYLE, rotation: 0, locked: false };
const rect = (id: string, x: number, y = 0): NewShape => ({ ...base, id, type: 'rect', ...NO_LABEL, x, y, width: 50, height: 40 });
const note = (id: string, text: string): NewShape => ({ ...base, id, type: 'sticky', textAlign: 'left', verticalAlign: 'top', x: 0, y: 300, width: 200, height: 200, text });

/** Two users on two docs, synced by hand the way the provider would (remote origin on arrival). */
function twoUsers() {
  const docA = new Y.Doc();
  const docB = new Y.Doc();
  const sync = (): void => {
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB)), REMOTE_ORIGIN);
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA)), REMOTE_ORIGIN);
  };
  return { a: { board: createBoard(docA), history: createHistory(docA) }, b: { board: createBoard(docB), history: createHistory(docB) }, sync };
}

/** The board as a version would hold it. */
const snapshot = (board: Board, title = ''): BoardFileData => ({ title, shapes: [...board.ordered()] });
const ids = (board: Board): string[] => board.ordered().map((shape) => shape.id);
const textOf = (board: Board, id: string): string | undefined => {
  const shape = board.get(id);
  return shape !== undefined && 'text' in shape ? shape.text : undefined;
};

describe('restoring a version on the client board', () => {
  test('the board becomes the version, the other user sees it, and one Ctrl+Z takes the restore back (redo does it again)', () => {
    const { a, b, sync } = twoUsers();
    a.board.addShape(rect('r1', 0));
    a.board.addShape(note('n', 'first words'));
    sync();
    const version = snapshot(a.board);
    // Since the version: A adds two shapes and rewrites the note, B moves r1.
    a.board.addShape(rect('later1', 200));
    a.board.addShape(rect('later2', 400));
    a.board.updateShapes(new Map([['n', { text: 'second words' }]]));
    b.board.moveShapes(['r1'], 0, 100);
    sync();
    const before = readAllShapes(a.board.doc);

    restoreVersion(a.board, version);
    assert.deepEqual(readAllShapes(a.board.doc), version.shapes, 'A has the version');
    sync();
    assert.deepEqual(readAllShapes(b.board.doc), version.shapes, 'B has it too, as an ordinary edit');

    assert.ok(a.history.undo(), 'the restore is undoable');
    assert.deepEqual(readAllShapes(a.board.doc), before, 'one undo step brings back the board as it was before the restore');
    sync();
    assert.deepEqual(ids(b.board), ['r1', 'n', 'later1', 'later2'], "B sees A's later shapes again");
    assert.equal(textOf(b.board, 'n'), 'second words');
    assert.equal(b.board.get('r1')?.y, 100, "B's move is back as well: it was the board before the restore");

    assert.ok(a.history.redo());
    assert.deepEqual(readAllShapes(a.board.doc), version.shapes, 'redo restores again');
    assert.ok(a.history.undo());
    assert.equal(b.history.canUndo, true);
    assert.equal(a.board.has('later2'), true);
  });

  test("undoing a restore leaves another user's later edits alone", () => {
    const { a, b, sync } = twoUsers();
    a.board.addShape(rect('r1', 0));
    a.board.addShape(rect('r2', 100));
    sync();
    const version = snapshot(a.board);
    a.board.deleteShapes(['r2']);
    sync();
    restoreVersion(a.board, version);
    sync();
    // After the restore, B adds a shape and moves r1 (which the restore did not touch).
    b.board.addShape(rect('b-after', 600));
    b.board.moveShapes(['r1'], 5, 0);
    sync();
    assert.ok(a.history.undo());
    sync();
    for (const board of [a.board, b.board]) {
      assert.deepEqual(ids(board), ['r1', 'b-after'], 'r2 is deleted again; B’s new shape stays');
      assert.equal(board.get('r1')?.x, 5, "B's move stays");
    }
  });

  test('the title is restored with the shapes', () => {
    const { a } = twoUsers();
    a.board.addShape(rect('r1', 0));
    restoreVersion(a.board, { title: 'Roadmap', shapes: [] });
    assert.equal(readBoardTitle(a.board.doc), 'Roadmap');
    assert.equal(a.board.size, 0);
  });

  test('a view-only board refuses to restore and writes nothing', () => {
    const doc = new Y.Doc();
    let writable = true;
    const board = createBoard(doc, { writable: () => writable });
    board.addShape(rect('r1', 0));
    writable = false;
    let updates = 0;
    doc.on('update', () => updates++);
    assert.throws(() => restoreVersion(board, { title: '', shapes: [] }), ReadOnlyError);
    assert.equal(updates, 0);
    assert.equal(board.size, 1);
  });
});

describe('the History panel’s pure parts', () => {
  test('a listed version is read through a gate: anything malformed is refused', () => {
    const good = { id: 'v1', at: '2024-05-01T10:00:00.000Z', reason: 'idle', editors: ['Ada'], shapes: 3, bytes: 120 };
    assert.deepEqual(readVersionInfo(good), good);
    for (const bad of [null, 'v1', { ...good, id: '' }, { ...good, at: 'yesterday' }, { ...good, reason: 'whim' }, { ...good, editors: [1] }, { ...good, shapes: '3' }, { ...good, bytes: Number.NaN }]) {
      assert.equal(readVersionInfo(bad), null, JSON.stringify(bad));
    }
  });

  test('the shape set the preview draws reads in z-order and tells of every id a replace touches', () => {
    const { a } = twoUsers();
    const top = a.board.addShape(rect('top', 0));
    const bottom: Shape = { ...top, id: 'bottom', index: 'Zz' };
    const set = createShapeSet([top, bottom]);
    assert.deepEqual(set.ordered().map((s) => s.id), ['bottom', 'top']);
    const heard: string[][] = [];
    set.onChange(({ ids: changed }) => heard.push([...changed].sort()));
    set.replace([bottom, { ...top, id: 'other' }]);
    assert.deepEqual(heard, [['bottom', 'other', 'top']]);
    assert.equal(set.get('top'), undefined);
    set.close();
  });
});

describe('while a version is shown', () => {
  test('the toolbox keeps only the hand and the laser, drops the selection, and gives the tool back after', () => {
    const harness = createToolHarness('rectangle');
    const preview = createVersionPreview();
    const toolbox = createPreviewToolbox(harness.toolbox, preview, harness.selection);
    addRectTo(harness.board);
    harness.selection.set(['r']);
    assert.equal(harness.selection.ids().size, 1);
    preview.show({ version: { id: 'v', at: new Date(0).toISOString(), reason: 'idle', editors: [], shapes: 0, bytes: 0 }, board: { title: '', shapes: [] } });
    assert.deepEqual([toolbox.active, harness.selection.ids().size], ['hand', 0]);
    toolbox.setTool('pen');
    assert.equal(toolbox.active, 'hand', 'no drawing tool');
    assert.equal(toolbox.keyDown({ key: 'Delete', shiftKey: false }), false, 'no key reaches a tool');
    toolbox.setTool('laser');
    assert.equal(toolbox.active, 'laser');
    preview.exit();
    assert.equal(toolbox.active, 'rectangle', 'the tool in use before comes back');
    toolbox.close();
    preview.close();
  });

  test('commands that edit are refused with a notice; looking ones run', () => {
    const preview = createVersionPreview();
    const ran: string[] = [];
    const notices: string[] = [];
    const commands = guardPreviewCommands(
      ['undo', 'zoom-in'].map((id) => ({ id, label: id, keys: [], run: () => void ran.push(id) })),
      preview,
      { show: (message) => void notices.push(message) },
    );
    preview.show({ version: { id: 'v', at: new Date(0).toISOString(), reason: 'idle', editors: [], shapes: 0, bytes: 0 }, board: { title: '', shapes: [] } });
    for (const command of commands) assert.notEqual(command.run(), false, 'a refused key is still handled');
    assert.deepEqual([ran, notices.length], [['zoom-in'], 1]);
    preview.exit();
    commands[0]!.run();
    assert.deepEqual(ran, ['zoom-in', 'undo']);
  });

  test('version times read as people say them', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    const ago = (ms: number): string => formatVersionTime(new Date(now.getTime() - ms), now);
    assert.deepEqual([ago(10_000), ago(5 * 60_000), ago(3 * 3_600_000)], ['just now', '5 min ago', '3 h ago']);
    assert.match(ago(3 * 86_400_000), /2024/);
  });
});

function addRectTo(board: Board): void {
  board.addShape(rect('r', 0));
}
