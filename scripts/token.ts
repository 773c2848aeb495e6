/**
 * Prints an access token for the sync server:
 *
 *   npm run -s token -- --room <room|*> --role edit|view|admin --ttl 7d [--secret <s>]
 *
 * The secret comes from --secret or AUTH_SECRET (the one the server runs with). The token alone
 * goes to stdout, so `TOKEN=$(npm run -s token -- …)` works; what it allows goes to stderr.
 */
import { parseArgs } from 'node:util';
import { ACCESS_ROLE, ROOM_WILDCARD, boardPath, isValidRoomName, type AccessRole } from '../shared/protocol.ts';
import { MIN_SECRET_LENGTH, createAuth, grantProblem, parseDuration } from '../server/auth.ts';

const USAGE = `Usage: npm run -s token -- --room <room|*> --role edit|view|admin [--ttl 7d] [--secret <s>]

  --room <name|*>   the room the token opens, or * for every room
  --role <role>     edit; view only (writes are dropped); or admin (only with --room '*'): every
                    room plus the admin API (board list, delete, repair, backup)
  --ttl <d>         lifetime: seconds, or a number with s, m, h or d (default 7d)
  --secret <s>      the server's secret (default: $AUTH_SECRET), at least ${MIN_SECRET_LENGTH} characters
`;

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        room: { type: 'string' },
        role: { type: 'string' },
        ttl: { type: 'string', default: '7d' },
        secret: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const secret = values.secret ?? process.env.AUTH_SECRET;
  if (!secret) fail('no secret: pass --secret or set AUTH_SECRET to the secret the server runs with');
  if (secret.length < MIN_SECRET_LENGTH) fail(`the secret must be at least ${MIN_SECRET_LENGTH} characters`);
  const room = values.room;
  if (room === undefined || (room !== ROOM_WILDCARD && !isValidRoomName(room))) {
    fail('--room must be a room name (1-128 of A-Z a-z 0-9 _ . -) or *');
  }
  const role = values.role;
  if (role !== ACCESS_ROLE.edit && role !== ACCESS_ROLE.view && role !== ACCESS_ROLE.admin) fail('--role must be edit, view or admin');
  const problem = grantProblem({ room, role });
  if (problem !== null) fail(`${problem} (pass --room '*')`);
  const ttl = parseDuration(values.ttl);
  if (ttl === null) fail(`--ttl must be like 3600, 90m, 12h or 7d, got "${values.ttl}"`);
  const expiresAt = Math.floor(Date.now() / 1000) + ttl;
  const token = await createAuth(secret).sign({ room, role: role as AccessRole, expiresAt });
  process.stdout.write(`${token}\n`);
  const link = room === ROOM_WILDCARD ? '' : `; board link: <server>${boardPath(room)}#token=${token}`;
  process.stderr.write(`${role} token for ${room === ROOM_WILDCARD ? 'every room' : `room ${room}`}, expires ${new Date(expiresAt * 1000).toISOString()}${link}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
