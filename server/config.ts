/**
 * Server configuration from flags and environment: a flag wins over its variable, which wins
 * over the default.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server.ts';

export const USAGE = `Usage: npm start -- [options]

  --port <n>        PORT        port to listen on (default ${DEFAULT_SERVER_OPTIONS.port})
  --host <addr>     HOST        address to bind (default ${DEFAULT_SERVER_OPTIONS.host})
  --data <dir>      DATA_DIR    LevelDB folder (default ${DEFAULT_SERVER_OPTIONS.dataDir})
  --log-level <l>   LOG_LEVEL   ${LOG_LEVELS.join(', ')} (default ${DEFAULT_SERVER_OPTIONS.logLevel})
  --help                        this text
`;

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${source} must be a port number (0-65535), got "${value}"`);
  return port;
}

export interface ParsedConfig {
  help: boolean;
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const options: Partial<ServerOptions> = {};
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
  return { help: values.help === true, options };
}
