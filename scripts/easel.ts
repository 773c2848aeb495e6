/**
 * The Easel command line: boards, history and backups, against a running server's API (--url) or
 * on a stopped server's data folder (--data).
 *
 *   npm run -s easel -- <command> [arguments] [--url <u> --token <t> | --data <dir> [--history-days <n>]]
 *
 * Exit codes: 0 done; 1 the command failed (the server refused, no such board, a broken file);
 * 2 bad usage.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { BoardSummary, VersionInfo } from '../shared/api.ts';
import { BoardFileError, MAX_BOARD_FILE_BYTES, readBoardFile, serializeBoard } from '../shared/board-file.ts';
import { isValidRoomName } from '../shared/protocol.ts';
import type { BoardService } from '../server/boards/board-service.ts';
import { createRemoteBoardService } from '../server/boards/remote-board-service.ts';
import { openOfflineBoardService } from '../server/boards/offline-board-service.ts';
import { EaselError } from '../server/errors.ts';
import { DEFAULT_HISTORY_OPTIONS, MAX_HISTORY_DAYS } from '../server/history/history-options.ts';

const USAGE = `Usage: npm run -s easel -- <command> [arguments] [options]

Commands
  list                           every board: room, title, shapes, versions, last change, deleted
  export <room> [file]           the board as a board file (the client's JSON export, with its image files);
                                 stdout without file
  import <room> <file>           make the board equal to a board file, storing its image files first (a version
                                 of what it was is kept first)
  history <room>                 the board's versions
  restore <room> <version>       make the board equal to a version (a version of what it was is kept first)
  delete <room>                  delete a board (its clients are disconnected; restorable until purged)
  undelete <room>                bring back a deleted board
  repair <room>                  remove stored shapes the schema refuses, saying which and why
  backup <file>                  every board with its history and assets ('-' for stdout)
  restore-backup <file>          store everything in a backup ('-' for stdin); boards already there are replaced

Where (one of)
  --url <url>     EASEL_URL     a running server, e.g. http://localhost:1234
  --token <t>     EASEL_TOKEN   its admin token, or a token from npm run token (admin for list, delete,
                                undelete, repair, backup, restore-backup; edit for import and restore)
  --data <dir>                  a stopped server's data folder (LevelDB); a running server holds it locked
  --history-days <n> HISTORY_DAYS with --data: the server's --history-days, by which older versions
                                thin out as import, restore and delete take new ones (default ${DEFAULT_HISTORY_OPTIONS.historyDays})

  --help                        this text
`;

class UsageError extends EaselError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** What each command takes: its positional arguments (a trailing ? is optional). */
const COMMANDS: Record<string, readonly string[]> = {
  list: [],
  export: ['room', 'file?'],
  import: ['room', 'file'],
  history: ['room'],
  restore: ['room', 'version'],
  delete: ['room'],
  undelete: ['room'],
  repair: ['room'],
  backup: ['file'],
  'restore-backup': ['file'],
};

const out = (text: string): void => void process.stdout.write(text);
const info = (text: string): void => void process.stderr.write(`${text}\n`);

/** Lines of columns, each padded to its widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}


function boardRows(boards: BoardSummary[]): string {
  return table(
    ['ROOM', 'TITLE', 'SHAPES', 'VERSIONS', 'UPDATED', 'DELETED'],
    boards.map((b) => [b.room, b.title, String(b.shapes), String(b.versions), b.updatedAt ?? 'unknown', b.deletedAt ?? '']),
  );
}

function versionRows(versions: VersionInfo[]): string {
  return table(
    ['VERSION', 'AT', 'REASON', 'SHAPES', 'BYTES', 'EDITORS'],
    versions.map((v) => [v.id, v.at, v.reason, String(v.shapes), String(v.bytes), v.editors.join(', ')]),
  );
}

/** Waits until everything written to `stream` is flushed (a file) or handed on (stdout). */
async function endStream(stream: Writable): Promise<void> {
  if (stream === process.stdout) return;
  stream.end();
  await finished(stream);
}

async function run(service: BoardService, command: string, args: Record<string, string | undefined>): Promise<void> {
  const room = args.room ?? '';
  switch (command) {
    case 'list':
      out(boardRows(await service.listBoards()));
      return;
    case 'export': {
      const file = await service.getBoard(room);
      // The files its images show travel inside the board file, so an import elsewhere restores them.
      const text = `${serializeBoard(file.shapes, file.title, file.assets ?? [])}\n`;
      if (args.file === undefined || args.file === '-') out(text);
      else {
        await writeFile(args.file, text);
        const images = file.assets?.length ?? 0;
        info(`exported ${room} (${file.shapes.length} shapes)${images > 0 ? ` with ${images} image files` : ''} to ${args.file}`);
      }
      return;
    }
    case 'import': {
      const text = await readFile(args.file!, 'utf8');
      if (text.length > MAX_BOARD_FILE_BYTES) throw new BoardFileError(`the file is larger than ${MAX_BOARD_FILE_BYTES} bytes`);
      const file = readBoardFile(text);
      const version = await service.replaceBoard(room, file, editor());
      info(`imported ${file.shapes.length} shapes and ${file.assets?.length ?? 0} image files into ${room}; what it was is version ${version.id}`);
      return;
    }
    case 'history':
      out(versionRows(await service.listVersions(room)));
      return;
    case 'restore': {
      const version = await service.restoreVersion(room, args.version!, editor());
      info(`restored ${room} to version ${args.version}; what it was is version ${version.id}`);
      return;
    }
    case 'delete':
      out(boardRows([await service.deleteBoard(room)]));
      return;
    case 'undelete':
      out(boardRows([await service.undeleteBoard(room)]));
      return;
    case 'repair': {
      const { removed } = await service.repairBoard(room);
      for (const record of removed) out(`${record.id}\t${record.reason}\n`);
      info(removed.length === 0 ? `${room}: nothing to repair` : `${room}: removed ${removed.length} record(s)`);
      return;
    }
    case 'backup': {
      const stream = args.file === '-' ? process.stdout : createWriteStream(args.file!);
      await service.backup(stream);
      await endStream(stream);
      if (args.file !== '-') info(`backup written to ${args.file}`);
      return;
    }
    case 'restore-backup': {
      const input = args.file === '-' ? process.stdin : createReadStream(args.file!);
      const result = await service.restoreBackup(input);
      info(`restored ${result.boards} board(s), ${result.versions} version(s), ${result.assets} asset(s)`);
      return;
    }
  }
}

/** Who a replace or restore is recorded as. */
function editor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No user entry (some containers): the name stays generic.
  }
  return `cli (${name})`;
}

/** --history-days (or HISTORY_DAYS), as the server reads it; the default when neither is set. */
function historyDays(flag: string | undefined): number {
  const value = flag ?? process.env.HISTORY_DAYS;
  if (value === undefined || value === '') return DEFAULT_HISTORY_OPTIONS.historyDays;
  const days = Number(value);
  const source = flag !== undefined ? '--history-days' : 'HISTORY_DAYS';
  if (value.trim() === '' || !Number.isSafeInteger(days) || days < 1 || days > MAX_HISTORY_DAYS) throw new UsageError(`${source} must be a whole number from 1 to ${MAX_HISTORY_DAYS}, got "${value}"`);
  return days;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, token: { type: 'string' }, data: { type: 'string' }, 'history-days': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  const [command, ...rest] = positionals as [string, ...string[]];
  const wanted = COMMANDS[command];
  if (wanted === undefined) throw new UsageError(`unknown command "${command}"`);
  const required = wanted.filter((name) => !name.endsWith('?')).length;
  if (rest.length < required || rest.length > wanted.length) throw new UsageError(`${command} takes ${wanted.map((name) => `<${name.replace('?', '')}>${name.endsWith('?') ? ' (optional)' : ''}`).join(' ') || 'no arguments'}`);
  const args = Object.fromEntries(wanted.map((name, i) => [name.replace('?', ''), rest[i]]));
  if (args.room !== undefined && !isValidRoomName(args.room)) throw new UsageError(`"${args.room}" is not a room name (1 to 128 of A-Z a-z 0-9 _ . -)`);

  const url = values.url ?? process.env.EASEL_URL;
  if (values.data !== undefined && url) throw new UsageError('pass --url (or EASEL_URL) or --data, not both');
  if (values['history-days'] !== undefined && values.data === undefined) throw new UsageError('--history-days goes with --data (a running server keeps its own)');
  let service: BoardService;
  if (values.data !== undefined) {
    // A DataFolderError (a running server's folder, a wrong path) says what to do in its message.
    service = await openOfflineBoardService(values.data, {
      historyDays: historyDays(values['history-days']),
      // Restoring a backup is how a new machine or a wiped folder gets its boards back.
      create: command === 'restore-backup',
      note: (message) => info(`easel: ${message}`),
    });
  } else if (url) {
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
    service = createRemoteBoardService({ url, token: values.token ?? process.env.EASEL_TOKEN ?? null, editor: editor() });
  } else {
    throw new UsageError('say where the boards are: --url <server> (or EASEL_URL), or --data <folder> of a stopped server');
  }
  try {
    await run(service, command, args);
  } finally {
    await service.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`easel: ${message}\n${usage ? `\n${USAGE}` : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
