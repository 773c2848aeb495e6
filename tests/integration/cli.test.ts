/**
 * The CLI as a user runs it (a child process). Against a real server: usage errors exit 2 with the
 * usage, a server's refusal exits 1 with its message, and an unreachable server says so. With
 * --data, on the folder a real server wrote and was stopped on (one folder shared by the tests, in
 * order): list, export, import, history, restore and repair; backup, restore-backup into a new
 * folder, and everything identical; a running server's folder, a missing one and a foreign one
 * refused. With --url and an admin token: an import into a board a client has open, a backup
 * taken while it is connected, restored into another server, everything identical.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { readBoardFile, serializeBoard, type BoardFileData } from '../../shared/board-file.ts';
import { getShapesMap, indicesBetween, readAllShapes, writeBoardTitle, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import type { Shape } from '../../shared/schema.ts';
import { connectClient, waitFor } from '../helpers/client.ts';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/easel.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function easel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [SCRIPT, ...args], { env: { ...process.env, EASEL_URL: '', EASEL_TOKEN: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('bad usage exits 2 with the usage', async () => {
  for (const args of [['frobnicate', '--url', server.httpUrl], ['export', '--url', server.httpUrl], ['list'], ['export', 'bad room!', '--url', server.httpUrl]]) {
    const result = await easel(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /Usage: npm run -s easel/);
  }
});

test("a server's refusal exits 1 with the server's message", async () => {
  const result = await easel(['list', '--url', server.httpUrl]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /404 admin_disabled: The admin API is off/);
});

test('an unreachable server is named', async () => {
  const result = await easel(['list', '--url', 'http://127.0.0.1:9']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
});

const RECT = DEFS.find((def) => def.type === 'rect')!;
const ELLIPSE = DEFS.find((def) => def.type === 'ellipse')!;

/** `count` shapes of `def` with ids `<prefix>-<i>`, in z-order. */
function shapes(prefix: string, count: number, def = RECT): Shape[] {
  const indices = indicesBetween(null, null, count);
  return indices.map((index, i) => sampleShape(def, { id: `${prefix}-${i}`, index, x: 10 * i, y: 20 * i }));
}

/** The rows of one of the CLI's tables (columns apart by two or more spaces), header first. */
function rows(text: string): string[][] {
  return text.trimEnd().split('\n').map((line) => line.split(/ {2,}/));
}

/** A table's rows as objects by its header's names. */
function records(text: string): Array<Record<string, string>> {
  const [header, ...body] = rows(text);
  return body.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ''])));
}

/** Shapes by id, so a comparison does not depend on the order files list them in. */
const byId = (file: BoardFileData): BoardFileData => ({ title: file.title, shapes: [...file.shapes].sort((a, b) => (a.id < b.id ? -1 : 1)) });

describe('--data: a stopped server\'s folder', () => {
  let dataDir: string;
  let work: string;
  /** What each board holds as written through the server. */
  const written = new Map<string, BoardFileData>();

  /** Writes a board through a real client, and waits until another client has it (so it is stored: rooms relay only what they stored). */
  async function writeBoard(live: TestServer, room: string, title: string, content: Shape[], junk: (shapes: Y.Map<unknown>) => void = () => {}): Promise<void> {
    const writer = connectClient(live.syncUrl, room);
    const watcher = connectClient(live.syncUrl, room);
    try {
      await Promise.all([writer.synced, watcher.synced]);
      writer.doc.transact(() => {
        writeBoardTitle(writer.doc, title);
        for (const shape of content) writeShape(writer.doc, shape);
        junk(getShapesMap(writer.doc) as unknown as Y.Map<unknown>);
      }, LOCAL_ORIGIN);
      const expected = getShapesMap(writer.doc).size;
      await waitFor(() => getShapesMap(watcher.doc).size === expected, { doc: watcher.doc }, `${room} reaches a second client`);
      written.set(room, { title, shapes: readAllShapes(writer.doc) });
    } finally {
      writer.destroy();
      watcher.destroy();
    }
  }

  const data = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => easel([...args, '--data', dataDir]);

  before(async () => {
    dataDir = await makeTempDir('easel-cli-data-');
    work = await makeTempDir('easel-cli-files-');
    const live = await startTestServer({ dataDir });
    try {
      await writeBoard(live, 'roadmap', 'Roadmap 2025', [...shapes('r', 3), ...shapes('e', 2, ELLIPSE)]);
      await writeBoard(live, 'retro', 'Retro', shapes('t', 2));
      await writeBoard(live, 'junk', 'Junk', shapes('j', 1), (map) => {
        const blob = new Y.Map<unknown>();
        blob.set('type', 'blob');
        map.set('junk-blob', blob);
        map.set('junk-plain', 42);
      });
    } finally {
      await live.stop();
    }
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  test('list shows every board with its title and shape count', async () => {
    const result = await data('list');
    assert.equal(result.code, 0, result.stderr);
    const listed = records(result.stdout);
    assert.deepEqual(
      listed.map((b) => [b.ROOM, b.TITLE, b.SHAPES]),
      [
        ['junk', 'Junk', '1'],
        ['retro', 'Retro', '2'],
        ['roadmap', 'Roadmap 2025', '5'],
      ],
    );
    // Nothing recorded when these boards last changed: said so, not made up as "now".
    for (const board of listed) assert.match(board.UPDATED!, /^(unknown|\d{4}-\d\d-\d\dT)/);
  });

  test('export writes the board file, to a file or to stdout', async () => {
    const file = path.join(work, 'roadmap.json');
    const result = await data('export', 'roadmap', file);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /exported roadmap \(5 shapes\)/);
    assert.deepEqual(byId(readBoardFile(await readFile(file, 'utf8'))), byId(written.get('roadmap')!));
    const stdout = await data('export', 'retro');
    assert.equal(stdout.code, 0, stdout.stderr);
    assert.deepEqual(byId(readBoardFile(stdout.stdout)), byId(written.get('retro')!));
  });

  test('import replaces a board after a version of what it was; restore brings that back', async () => {
    // Whatever the server kept (a version when the last editor left, say) comes first.
    const kept = records((await data('history', 'roadmap')).stdout).map((v) => v.VERSION);
    const replacement: BoardFileData = { title: 'Roadmap, trimmed', shapes: shapes('n', 1) };
    const file = path.join(work, 'replacement.json');
    await writeFile(file, serializeBoard(replacement.shapes, replacement.title));
    const imported = await data('import', 'roadmap', file);
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(byId(readBoardFile((await data('export', 'roadmap')).stdout)), byId(replacement));

    const history = records((await data('history', 'roadmap')).stdout);
    assert.deepEqual(history.slice(0, -1).map((v) => v.VERSION), kept);
    const version = history.at(-1)!;
    assert.deepEqual([version.REASON, version.SHAPES, version.EDITORS], ['import', '5', '']);
    assert.match(imported.stderr, new RegExp(`what it was is version ${version.VERSION}`));

    const restored = await data('restore', 'roadmap', version.VERSION!);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(byId(readBoardFile((await data('export', 'roadmap')).stdout)), byId(written.get('roadmap')!));
    const after = records((await data('history', 'roadmap')).stdout);
    assert.deepEqual(after.slice(kept.length).map((v) => [v.REASON, v.SHAPES]), [['import', '5'], ['restore', '1']]);

    const unknown = await data('restore', 'roadmap', '000000000000001-0000');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no version "000000000000001-0000"/);
  });

  test('repair removes the records the schema gate refuses, and only those', async () => {
    const result = await data('repair', 'junk');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(rows(result.stdout).map(([line]) => line!.split('\t')[0]).sort(), ['junk-blob', 'junk-plain']);
    assert.match(result.stderr, /junk: removed 2 record\(s\)/);
    // What it was, junk and all, is a version first.
    assert.equal(records((await data('history', 'junk')).stdout).at(-1)!.REASON, 'repair');
    assert.deepEqual(byId(readBoardFile((await data('export', 'junk')).stdout)), byId(written.get('junk')!));
    const again = await data('repair', 'junk');
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /junk: nothing to repair/);
    assert.equal(records((await data('history', 'junk')).stdout).filter((v) => v.REASON === 'repair').length, 1, 'nothing to repair: no version');
  });

  test('backup, a wiped folder, restore-backup: every board and version identical', async () => {
    const backup = path.join(work, 'easel.backup');
    const taken = await data('backup', backup);
    assert.equal(taken.code, 0, taken.stderr);

    const wiped = path.join(work, 'wiped');
    const restored = await easel(['restore-backup', backup, '--data', wiped]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stderr, /made a new data folder/);
    assert.match(restored.stderr, /restored 3 board\(s\), \d+ version\(s\), 0 asset\(s\)/);

    const both = async (...args: string[]): Promise<[string, string]> => {
      const [a, b] = await Promise.all([data(...args), easel([...args, '--data', wiped])]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      return [a.stdout, b.stdout];
    };
    const [listBefore, listAfter] = await both('list');
    assert.equal(listAfter, listBefore);
    for (const room of ['junk', 'retro', 'roadmap']) {
      const [boardBefore, boardAfter] = await both('export', room);
      assert.equal(boardAfter, boardBefore, room);
      const [versionsBefore, versionsAfter] = await both('history', room);
      assert.equal(versionsAfter, versionsBefore, room);
    }
    // The versions' states, the boards' records and whole states: a backup of the restored
    // folder is the same bytes as the one it came from.
    const again = path.join(work, 'again.backup');
    const second = await easel(['backup', again, '--data', wiped]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(await readFile(again, 'utf8'), await readFile(backup, 'utf8'));
  });

  test("a running server's folder is refused: use --url or stop the server", async () => {
    const result = await easel(['list', '--data', server.dataDir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /easel: the data folder .* is in use, most likely by a running Easel server .*use --url and --token .* or stop it/);
  });

  test('a missing folder, or one that is not a data folder, is refused and left as it was', async () => {
    const missing = path.join(work, 'no-such-folder');
    const gone = await easel(['list', '--data', missing]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /easel: there is no Easel data folder at .*no-such-folder: check the path/);
    await assert.rejects(readdir(missing), { code: 'ENOENT' });

    const foreign = await easel(['import', 'roadmap', path.join(work, 'replacement.json'), '--data', work]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /is not an Easel data folder \(it holds no LevelDB database\)/);
    assert.ok(!(await readdir(work)).includes('CURRENT'));
  });

  test('--history-days is checked, and goes with --data only', async () => {
    for (const args of [['list', '--data', dataDir, '--history-days', '0'], ['list', '--url', 'http://127.0.0.1:9', '--history-days', '7']]) {
      const result = await easel(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /--history-days/);
    }
  });
});

describe('--url: a running server', () => {
  const ADMIN = 'cli-test-admin-token-0123456789';
  let source: TestServer;
  let target: TestServer;
  let work: string;
  /** Stays connected through the backup: the server reads its boards from live rooms. */
  let editor: ReturnType<typeof connectClient>;

  const remote = (on: TestServer, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => easel([...args, '--url', on.httpUrl, '--token', ADMIN]);

  before(async () => {
    work = await makeTempDir('easel-cli-url-');
    [source, target] = await Promise.all([startTestServer({ adminToken: ADMIN }), startTestServer({ adminToken: ADMIN })]);
    editor = connectClient(source.syncUrl, 'plan');
    const watcher = connectClient(source.syncUrl, 'plan');
    try {
      await Promise.all([editor.synced, watcher.synced]);
      editor.doc.transact(() => {
        writeBoardTitle(editor.doc, 'Plan');
        for (const shape of shapes('p', 4)) writeShape(editor.doc, shape);
      }, LOCAL_ORIGIN);
      await waitFor(() => getShapesMap(watcher.doc).size === 4, { doc: watcher.doc }, 'the board is stored');
    } finally {
      watcher.destroy();
    }
  });

  after(async () => {
    editor.destroy();
    await Promise.all([source.close(), target.close()]);
    await rm(work, { recursive: true, force: true });
  });

  test('import into a live board, backup while a client is connected, restore-backup into another server: boards and versions identical', async () => {
    const file = path.join(work, 'notes.json');
    await writeFile(file, serializeBoard(shapes('n', 2, ELLIPSE), 'Notes'));
    const made = await remote(source, 'import', 'notes', file);
    assert.equal(made.code, 0, made.stderr);
    // An import into the live board: the connected client has it at once, as a forward edit
    // after a version of what it was.
    const replacement = path.join(work, 'plan.json');
    await writeFile(replacement, serializeBoard(shapes('q', 1), 'Plan, cut'));
    const imported = await remote(source, 'import', 'plan', replacement);
    assert.equal(imported.code, 0, imported.stderr);
    await waitFor(() => getShapesMap(editor.doc).size === 1, { doc: editor.doc }, 'the connected client sees the import');
    assert.deepEqual(records((await remote(source, 'history', 'plan')).stdout).map((v) => [v.REASON, v.SHAPES]), [['import', '4']]);

    const backup = path.join(work, 'live.backup');
    const taken = await remote(source, 'backup', backup);
    assert.equal(taken.code, 0, taken.stderr);
    const restored = await remote(target, 'restore-backup', backup);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stderr, /restored 2 board\(s\), \d+ version\(s\), 0 asset\(s\)/);

    for (const room of ['notes', 'plan']) {
      const [a, b] = await Promise.all([remote(source, 'export', room), remote(target, 'export', room)]);
      assert.equal(b.stdout, a.stdout, room);
      assert.equal(b.code, 0, b.stderr);
    }
    assert.deepEqual(byId(readBoardFile((await remote(target, 'export', 'plan')).stdout)), byId({ title: 'Plan, cut', shapes: shapes('q', 1) }));
    // Every version and record came across: the target's backup is the same bytes.
    const again = path.join(work, 'again.backup');
    assert.equal((await remote(target, 'backup', again)).code, 0);
    assert.equal(await readFile(again, 'utf8'), await readFile(backup, 'utf8'));
    const version = records((await remote(target, 'history', 'plan')).stdout)[0]!;
    const back = await remote(target, 'restore', 'plan', version.VERSION!);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(byId(readBoardFile((await remote(target, 'export', 'plan')).stdout)), byId({ title: 'Plan', shapes: shapes('p', 4) }));
  });
});
