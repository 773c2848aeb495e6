/**
 * Server configuration from flags and environment: a flag wins over its variable, which wins
 * over the default.
 */
import { parseArgs } from 'node:util';
import { MIN_SECRET_LENGTH, parseDuration } from './auth.ts';
import { ConfigError } from './errors.ts';
import { DEFAULT_HISTORY_OPTIONS, MAX_HISTORY_DAYS } from './history/history-options.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';
import { normalizeOrigin } from './origin.ts';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server.ts';

export const USAGE = `Usage: npm start -- [options]

  --port <n>        PORT        port to listen on (default ${DEFAULT_SERVER_OPTIONS.port})
  --host <addr>     HOST        address to bind (default ${DEFAULT_SERVER_OPTIONS.host})
  --data <dir>      DATA_DIR    LevelDB folder (default ${DEFAULT_SERVER_OPTIONS.dataDir})
  --log-level <l>   LOG_LEVEL   ${LOG_LEVELS.join(', ')} (default ${DEFAULT_SERVER_OPTIONS.logLevel})
  --redis <url>     REDIS_URL   scale out: keep rooms in this Redis (not LevelDB) and share them with
                                every other Easel process using it (e.g. redis://127.0.0.1:6379)

Access (off unless a secret is set: then every sync connection needs a token; see npm run token)
  --auth-secret <s>             AUTH_SECRET             HS256 token secret, at least ${MIN_SECRET_LENGTH} characters
  --allowed-origins <list>      ALLOWED_ORIGINS         comma-separated origins whose pages may connect, besides
                                                        the server's own (default: localhost on any port; * = any)
  --trust-proxy                 TRUST_PROXY=1           client address from X-Forwarded-For (behind a reverse proxy)
  --admin-token <t>             ADMIN_TOKEN             a static bearer token for the admin API (board list, delete,
                                                        repair, backup), at least ${MIN_SECRET_LENGTH} characters; without
                                                        --auth-secret the admin API is off unless this is set

Limits (0 = unlimited where it makes sense)
  --max-message-bytes <n>       MAX_MESSAGE_BYTES       largest message, else close 1009 (default ${DEFAULT_SERVER_OPTIONS.maxMessageBytes})
  --rate-messages <n>           RATE_MESSAGES           messages/s per connection, else close 4029 (default ${DEFAULT_SERVER_OPTIONS.rateMessages})
  --rate-bytes <n>              RATE_BYTES              bytes/s per connection, else close 4029 (default ${DEFAULT_SERVER_OPTIONS.rateBytes})
  --rate-burst-seconds <n>      RATE_BURST_SECONDS      seconds' worth of the rates usable at once (default ${DEFAULT_SERVER_OPTIONS.rateBurstSeconds})
  --max-awareness-bytes <n>     MAX_AWARENESS_BYTES     largest presence state JSON, else close 4413 (default ${DEFAULT_SERVER_OPTIONS.maxAwarenessBytes})
  --max-connections-per-ip <n>  MAX_CONNECTIONS_PER_IP  else close 4030 (default ${DEFAULT_SERVER_OPTIONS.maxConnectionsPerIp})
  --connection-rate-per-ip <n>  CONNECTION_RATE_PER_IP  new connections/s per address once its burst is spent, else
                                                        close 4032 (default ${DEFAULT_SERVER_OPTIONS.connectionRatePerIp})
  --connection-burst-per-ip <n> CONNECTION_BURST_PER_IP new connections one address may open at once
                                                        (default ${DEFAULT_SERVER_OPTIONS.connectionBurstPerIp})
  --max-rooms <n>               MAX_ROOMS               rooms in memory at once, else close 4031 (default ${DEFAULT_SERVER_OPTIONS.maxRooms})
  --handshake-timeout-ms <n>    HANDSHAKE_TIMEOUT_MS    to send the upgrade request, and then to join and send a
                                                        first message, else close 4009 (default ${DEFAULT_SERVER_OPTIONS.handshakeTimeoutMs})

Images (files image shapes show; see "Image files (assets)" in the README)
  --max-asset-bytes <n>         MAX_ASSET_BYTES         largest image file, else 413 asset_too_large
                                                        (default ${DEFAULT_SERVER_OPTIONS.maxAssetBytes})
  --max-room-asset-bytes <n>    MAX_ROOM_ASSET_BYTES    largest total of one room's image files, else 413
                                                        room_quota_exceeded (default ${DEFAULT_SERVER_OPTIONS.maxRoomAssetBytes}; 0: no total)
  --upload-bytes-per-ip <n>     UPLOAD_BYTES_PER_IP     uploaded bytes/s per address once its burst is spent, else
                                                        429 with Retry-After (default ${DEFAULT_SERVER_OPTIONS.uploadBytesPerIp}; 0: unlimited)
  --upload-burst-bytes-per-ip <n> UPLOAD_BURST_BYTES_PER_IP  bytes one address may upload at once
                                                        (default ${DEFAULT_SERVER_OPTIONS.uploadBurstBytesPerIp}; at least the largest file)

Failures
  --shutdown-timeout-ms <n>     SHUTDOWN_TIMEOUT_MS     SIGINT/SIGTERM end the process within this time whatever the
                                                        store does; exit 1 if some changes could not be stored
                                                        (default ${DEFAULT_SERVER_OPTIONS.shutdownTimeoutMs})
  --wait-for-store              WAIT_FOR_STORE=1        at start-up, retry an unreachable store (Redis down, LevelDB
                                                        folder held by another process) with backoff instead of exiting

History (whole-state versions of each board; see "Version history" in the README)
  --history-interval <d>        HISTORY_INTERVAL        while a board changes, a version at most this often: 30s, 5m, 1h
                                                        (default ${DEFAULT_HISTORY_OPTIONS.historyIntervalMs / 60_000}m); also one when its last editor leaves
  --history-days <n>            HISTORY_DAYS            keep versions this many days, thinning out as they age
                                                        (default ${DEFAULT_HISTORY_OPTIONS.historyDays})

Tuning
  --write-interval-ms <n>       WRITE_INTERVAL_MS       a busy room writes and relays at most once per this many ms,
                                                        merging what came meanwhile; the first write after a quiet
                                                        spell goes at once (default ${DEFAULT_SERVER_OPTIONS.writeIntervalMs}; 0: as soon as the last is done)
  --presence-tick-ms <n>        PRESENCE_TICK_MS        a busy room sends each peer at most one presence message per
                                                        this many ms, holding everyone who changed; the first change
                                                        after a quiet tick goes at once (default ${DEFAULT_SERVER_OPTIONS.presenceTickMs})

  --help                        this text
`;

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${source} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** A whole number in [min, max]. */
function parseCount(value: string, source: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${source} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Longest history interval: beyond a day, versions would be rarer than the thinning keeps them. */
const MAX_HISTORY_INTERVAL_S = 86_400;

/** A duration like 30s, 5m, 1h (plain seconds too), as ms; at least a second, at most a day. */
function parseHistoryInterval(value: string, source: string): number {
  const seconds = parseDuration(value);
  if (seconds === null || seconds > MAX_HISTORY_INTERVAL_S) {
    throw new ConfigError(`${source} must be a duration from 1s to 1d (e.g. 30s, 5m, 1h), got "${value}"`);
  }
  return seconds * 1000;
}

function parseBoolean(value: string, source: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new ConfigError(`${source} must be true or false, got "${value}"`);
}

/** Numeric options: flag, variable, option key, smallest allowed value. */
const COUNT_OPTIONS = [
  ['max-message-bytes', 'MAX_MESSAGE_BYTES', 'maxMessageBytes', 1024],
  ['rate-messages', 'RATE_MESSAGES', 'rateMessages', 0],
  ['rate-bytes', 'RATE_BYTES', 'rateBytes', 0],
  ['rate-burst-seconds', 'RATE_BURST_SECONDS', 'rateBurstSeconds', 1],
  ['max-awareness-bytes', 'MAX_AWARENESS_BYTES', 'maxAwarenessBytes', 256],
  ['max-connections-per-ip', 'MAX_CONNECTIONS_PER_IP', 'maxConnectionsPerIp', 0],
  ['connection-rate-per-ip', 'CONNECTION_RATE_PER_IP', 'connectionRatePerIp', 0],
  ['connection-burst-per-ip', 'CONNECTION_BURST_PER_IP', 'connectionBurstPerIp', 1],
  ['max-rooms', 'MAX_ROOMS', 'maxRooms', 0],
  ['handshake-timeout-ms', 'HANDSHAKE_TIMEOUT_MS', 'handshakeTimeoutMs', 100],
  ['write-interval-ms', 'WRITE_INTERVAL_MS', 'writeIntervalMs', 0],
  ['presence-tick-ms', 'PRESENCE_TICK_MS', 'presenceTickMs', 0],
  ['shutdown-timeout-ms', 'SHUTDOWN_TIMEOUT_MS', 'shutdownTimeoutMs', 100],
  ['max-asset-bytes', 'MAX_ASSET_BYTES', 'maxAssetBytes', 1024],
  ['max-room-asset-bytes', 'MAX_ROOM_ASSET_BYTES', 'maxRoomAssetBytes', 0],
  ['upload-bytes-per-ip', 'UPLOAD_BYTES_PER_IP', 'uploadBytesPerIp', 0],
  ['upload-burst-bytes-per-ip', 'UPLOAD_BURST_BYTES_PER_IP', 'uploadBurstBytesPerIp', 1024],
] as const;

export interface ParsedConfig {
  help: boolean;
  /** Retry an unreachable store at start-up instead of exiting. */
  waitForStore: boolean;
  /** Server options (history's among them: ServerOptions extends HistoryOptions). */
  options: Partial<ServerOptions>;
}

/** Reads flags (argv without node and script) and environment into server options. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ParsedConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'log-level': { type: 'string' },
        redis: { type: 'string' },
        'auth-secret': { type: 'string' },
        'allowed-origins': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'admin-token': { type: 'string' },
        'wait-for-store': { type: 'boolean' },
        'history-interval': { type: 'string' },
        'history-days': { type: 'string' },
        ...Object.fromEntries(COUNT_OPTIONS.map(([flag]) => [flag, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const options: ParsedConfig['options'] = {};
  const port = values.port ?? env.PORT;
  if (port !== undefined && port !== '') options.port = parsePort(port, values.port !== undefined ? '--port' : 'PORT');
  const host = values.host ?? env.HOST;
  if (host) options.host = host;
  const data = values.data ?? env.DATA_DIR;
  if (data) options.dataDir = data;
  const level = values['log-level'] ?? env.LOG_LEVEL;
  if (level) {
    if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
    options.logLevel = level as LogLevel;
  }
  for (const [flag, variable, key, min] of COUNT_OPTIONS) {
    const flagValue = (values as Record<string, string | boolean | undefined>)[flag] as string | undefined;
    const value = flagValue ?? env[variable];
    if (value !== undefined && value !== '') options[key] = parseCount(value, flagValue !== undefined ? `--${flag}` : variable, min);
  }
  const interval = values['history-interval'] ?? env.HISTORY_INTERVAL;
  if (interval !== undefined && interval !== '') {
    options.historyIntervalMs = parseHistoryInterval(interval, values['history-interval'] !== undefined ? '--history-interval' : 'HISTORY_INTERVAL');
  }
  const days = values['history-days'] ?? env.HISTORY_DAYS;
  if (days !== undefined && days !== '') {
    options.historyDays = parseCount(days, values['history-days'] !== undefined ? '--history-days' : 'HISTORY_DAYS', 1, MAX_HISTORY_DAYS);
  }
  const redis = values.redis ?? env.REDIS_URL;
  if (redis) {
    if (!/^rediss?:\/\//.test(redis)) throw new ConfigError(`--redis must be a redis:// or rediss:// URL, got "${redis}"`);
    options.redisUrl = redis;
  }
  const secret = values['auth-secret'] ?? env.AUTH_SECRET;
  if (secret) {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`the auth secret must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`);
    }
    options.authSecret = secret;
  }
  const origins = values['allowed-origins'] ?? env.ALLOWED_ORIGINS;
  if (origins) {
    const list = origins.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
    for (const origin of list) {
      if (origin !== '*' && normalizeOrigin(origin) === null) throw new ConfigError(`allowed origins must be http(s)://host[:port] or *, got "${origin}"`);
    }
    options.allowedOrigins = list;
  }
  const adminToken = values['admin-token'] ?? env.ADMIN_TOKEN;
  if (adminToken) {
    if (adminToken.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`the admin token must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`);
    }
    options.adminToken = adminToken;
  }
  if (values['trust-proxy'] === true) options.trustProxy = true;
  else if (env.TRUST_PROXY !== undefined) options.trustProxy = parseBoolean(env.TRUST_PROXY, 'TRUST_PROXY');
  const waitForStore =
    values['wait-for-store'] === true || (env.WAIT_FOR_STORE !== undefined && parseBoolean(env.WAIT_FOR_STORE, 'WAIT_FOR_STORE'));
  return { help: values.help === true, waitForStore, options };
}
