/** The server's structured JSON logger (pino). */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = LevelWithSilent;

/** A logger writing JSON lines to stdout. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'easel' } });
}
