/**
 * Entry point: reads the configuration, starts the server and stops it cleanly on SIGINT/SIGTERM
 * (stop accepting, flush pending writes, close sockets with 1001, close LevelDB, exit 0).
 */
import { parseConfig, USAGE } from './config.ts';
import { ConfigError } from './errors.ts';
import { createServer } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const server = await createServer(config.options);
  const host = config.options.host === undefined || config.options.host === '0.0.0.0' ? 'localhost' : config.options.host;
  process.stderr.write(`Easel is running on http://${host}:${server.port}\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`easel: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
