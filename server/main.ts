/**
 * Entry point: reads the configuration, starts the server (waiting for an unreachable store if
 * asked to) and stops it on SIGINT/SIGTERM within the shutdown timeout: stop accepting, flush
 * what the store takes, close sockets with 1001, close the store. Exit 0 when everything was
 * stored, 1 when something was not (its clients hold it and send it again).
 */
import { parseConfig, USAGE } from './config.ts';
import { ConfigError, StorageError } from './errors.ts';
import { createServer, DEFAULT_SERVER_OPTIONS, type EaselServer, type ServerOptions } from './server.ts';

/** Start-up retries of an unreachable store wait 1 s, 2 s, 4 s … up to this. */
const MAX_RETRY_DELAY_MS = 30_000;

/** One line on stderr: what a person reads when the server will not start. */
function say(line: string): void {
  process.stderr.write(`easel: ${line}\n`);
}

/**
 * Starts the server. A store that cannot be reached is one line naming it and the cause, then
 * an exit, or with --wait-for-store a retry after a growing delay until it can be, or a signal
 * says to give up.
 */
async function start(options: Partial<ServerOptions>, waitForStore: boolean, stopRequested: () => boolean): Promise<EaselServer | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createServer(options);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      if (!waitForStore) {
        say(`${error.message}`);
        process.exit(1);
      }
      const delay = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** attempt);
      say(`${error.message}; retrying in ${delay / 1000} s (--wait-for-store)`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopRequested()) return null;
    }
  }
}

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
  const shutdownTimeoutMs = config.options.shutdownTimeoutMs ?? DEFAULT_SERVER_OPTIONS.shutdownTimeoutMs;
  let server: EaselServer | null = null;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // Nothing started yet (still waiting for the store): nothing to flush.
    if (server === null) {
      say(`${signal} while waiting for the store; exiting`);
      process.exit(0);
    }
    const running = server;
    running.logger.info({ signal, timeoutMs: shutdownTimeoutMs }, 'shutting down');
    // The server's own phases end before this; it is the promise that the process ends, even if
    // something unforeseen hangs.
    setTimeout(() => {
      running.logger.fatal({ timeoutMs: shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    running.close().then(
      (report) => process.exit(report.clean ? 0 : 1),
      (error: unknown) => {
        running.logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server = await start(config.options, config.waitForStore, () => stopping);
  if (server === null) return;
  const host = config.options.host === undefined || config.options.host === '0.0.0.0' ? 'localhost' : config.options.host;
  process.stderr.write(`Easel is running on http://${host}:${server.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`easel: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
