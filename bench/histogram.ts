/**
 * A latency histogram that client processes fill and the parent merges: a classroom run delivers
 * millions of cursor states, too many to ship as one number each. Buckets are 0.1 ms wide up to
 * 1 s and 10 ms wide up to 2 minutes, so a p99 is exact to 0.1 ms where it matters (≤ 100 ms) and
 * to 1 % where it has already failed.
 */

const FINE_MS = 0.1;
const FINE_LIMIT_MS = 1_000;
const COARSE_MS = 10;
const COARSE_LIMIT_MS = 120_000;
const FINE_BUCKETS = FINE_LIMIT_MS / FINE_MS;
const COARSE_BUCKETS = (COARSE_LIMIT_MS - FINE_LIMIT_MS) / COARSE_MS;
/** The last bucket holds everything from COARSE_LIMIT_MS on. */
export const HISTOGRAM_BUCKETS = FINE_BUCKETS + COARSE_BUCKETS + 1;

/** A new, empty histogram (plain typed array, so it crosses the IPC channel as it is). */
export function createHistogram(): Uint32Array {
  return new Uint32Array(HISTOGRAM_BUCKETS);
}

/** Counts one latency of `ms` (a negative one, from clock jitter, counts as 0). */
export function record(histogram: Uint32Array, ms: number): void {
  let bucket: number;
  if (!(ms > 0)) bucket = 0;
  else if (ms < FINE_LIMIT_MS) bucket = Math.floor(ms / FINE_MS);
  else if (ms < COARSE_LIMIT_MS) bucket = FINE_BUCKETS + Math.floor((ms - FINE_LIMIT_MS) / COARSE_MS);
  else bucket = HISTOGRAM_BUCKETS - 1;
  histogram[bucket]! += 1;
}

/** Adds `from` into `into`. */
export function mergeInto(into: Uint32Array, from: Uint32Array): void {
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
}

/** Samples counted. */
export function total(histogram: Uint32Array): number {
  let sum = 0;
  for (let i = 0; i < histogram.length; i++) sum += histogram[i]!;
  return sum;
}

/** The upper edge of a bucket, ms. */
function upperEdge(bucket: number): number {
  if (bucket < FINE_BUCKETS) return (bucket + 1) * FINE_MS;
  if (bucket < HISTOGRAM_BUCKETS - 1) return FINE_LIMIT_MS + (bucket - FINE_BUCKETS + 1) * COARSE_MS;
  return Number.POSITIVE_INFINITY;
}

/**
 * The given percentiles (0–100, nearest rank) as the upper edge of the bucket holding that rank,
 * so a figure is never below the truth. `missing` samples are counted as slower than any that
 * arrived (updates that were never delivered); NaN for no samples.
 */
export function histogramPercentiles(histogram: Uint32Array, ps: readonly number[], missing = 0): number[] {
  const count = total(histogram) + missing;
  if (count === 0) return ps.map(() => Number.NaN);
  return ps.map((p) => {
    const rank = Math.min(count, Math.max(1, Math.ceil((p / 100) * count)));
    let seen = 0;
    for (let i = 0; i < histogram.length; i++) {
      seen += histogram[i]!;
      if (seen >= rank) return upperEdge(i);
    }
    return Number.POSITIVE_INFINITY;
  });
}
