/** --history-interval and --history-days: flags, variables, defaults and refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, USAGE } from '../../server/config.ts';
import { ConfigError } from '../../server/errors.ts';
import { DEFAULT_HISTORY_OPTIONS } from '../../server/history/history-options.ts';

test('the history interval is a duration, from the flag or HISTORY_INTERVAL, flag first', () => {
  assert.equal(parseConfig(['--history-interval', '30s'], {}).options.historyIntervalMs, 30_000);
  assert.equal(parseConfig(['--history-interval', '5m'], {}).options.historyIntervalMs, 300_000);
  assert.equal(parseConfig(['--history-interval', '1h'], {}).options.historyIntervalMs, 3_600_000);
  assert.equal(parseConfig(['--history-interval', '90'], {}).options.historyIntervalMs, 90_000);
  assert.equal(parseConfig(['--history-interval=1d'], {}).options.historyIntervalMs, 86_400_000);
  assert.equal(parseConfig([], { HISTORY_INTERVAL: '10m' }).options.historyIntervalMs, 600_000);
  assert.equal(parseConfig(['--history-interval', '2m'], { HISTORY_INTERVAL: '10m' }).options.historyIntervalMs, 120_000);
});

test('history days are a whole number, from the flag or HISTORY_DAYS, flag first', () => {
  assert.equal(parseConfig(['--history-days', '7'], {}).options.historyDays, 7);
  assert.equal(parseConfig([], { HISTORY_DAYS: '90' }).options.historyDays, 90);
  assert.equal(parseConfig(['--history-days', '1'], { HISTORY_DAYS: '90' }).options.historyDays, 1);
});

test('unset (or empty) leaves the defaults: 5 minutes, 30 days, and the usage says so', () => {
  const { options } = parseConfig([], { HISTORY_INTERVAL: '', HISTORY_DAYS: '' });
  assert.equal(options.historyIntervalMs, undefined);
  assert.equal(options.historyDays, undefined);
  assert.deepEqual(DEFAULT_HISTORY_OPTIONS, { historyIntervalMs: 300_000, historyDays: 30 });
  assert.match(USAGE, /--history-interval <d>\s+HISTORY_INTERVAL[^\n]*\n[^\n]*\(default 5m\)/);
  assert.match(USAGE, /--history-days <n>\s+HISTORY_DAYS[^\n]*\n[^\n]*\(default 30\)/);
});

test('bad values are refused with a ConfigError naming where they came from', () => {
  const refused: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['--history-interval', '0'], {}, /--history-interval must be a duration/],
    [['--history-interval', '5 minutes'], {}, /--history-interval/],
    [['--history-interval', '-5m'], {}, /--history-interval/],
    [['--history-interval', '2d'], {}, /from 1s to 1d/],
    [['--history-interval', '1.5m'], {}, /--history-interval/],
    [[], { HISTORY_INTERVAL: 'soon' }, /HISTORY_INTERVAL must be a duration/],
    [['--history-days', '0'], {}, /--history-days must be a whole number from 1 to 3650/],
    [['--history-days', '2.5'], {}, /--history-days/],
    [['--history-days', '30d'], {}, /--history-days/],
    [['--history-days', '3651'], {}, /--history-days/],
    [[], { HISTORY_DAYS: 'forever' }, /HISTORY_DAYS must be a whole number/],
  ];
  for (const [argv, env, message] of refused) {
    assert.throws(() => parseConfig(argv, env), (error: unknown) => error instanceof ConfigError && message.test(error.message), `${argv.join(' ')} ${JSON.stringify(env)}`);
  }
});
