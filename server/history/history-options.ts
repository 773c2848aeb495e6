/** History's settings (--history-interval, --history-days), apart so config.ts reads them without history's code. */

/** The history settings of a server (--history-interval, --history-days). */
export interface HistoryOptions {
  /** While a room keeps changing, a version at most this often (ms). */
  historyIntervalMs: number;
  /** Versions older than this many days are removed, but for the room's newest. */
  historyDays: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  historyIntervalMs: 5 * 60_000,
  historyDays: 30,
};

/** Longest retention: ten years, so days × 86,400,000 ms stays far inside a safe integer. */
export const MAX_HISTORY_DAYS = 3650;
