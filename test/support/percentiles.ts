/**
 * Latency summaries for the benchmark and the demo. Percentiles use the nearest-rank definition (the smallest value
 * with at least p % of the samples at or below it), as HdrHistogram reports them: every reported figure is a latency
 * that was actually observed, never an interpolation between two requests.
 */

export interface Distribution {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array; NaN when empty. `p` in [0, 100]. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  }
  const n = sorted.length;
  if (n === 0) {
    return Number.NaN;
  }
  // Rounded first so that 99.9 % of 1,000 samples is rank 999, not 1,000 (0.999 * 1000 = 999.0000000000001).
  const rank = Math.ceil(Math.round((p / 100) * n * 1e9) / 1e9);
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

/** Sorts a copy numerically (Float64Array sorts by value, unlike Array#sort). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  copy.sort();
  return copy;
}

export function percentile(values: ArrayLike<number>, p: number): number {
  return percentileOfSorted(sortedCopy(values), p);
}

/** count, min, mean, p50, p90, p99, p99.9 and max; every figure NaN (count 0) for an empty input. */
export function summarise(values: ArrayLike<number>): Distribution {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i];
  }
  return {
    count: n,
    min: n > 0 ? sorted[0] : Number.NaN,
    mean: n > 0 ? sum / n : Number.NaN,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    p999: percentileOfSorted(sorted, 99.9),
    max: n > 0 ? sorted[n - 1] : Number.NaN,
  };
}

/** A latency in ms for a table cell: 0.21, 3.9, 42, 1234; "–" for NaN. */
export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) {
    return '–';
  }
  if (ms < 10) {
    return ms.toFixed(2);
  }
  if (ms < 100) {
    return ms.toFixed(1);
  }
  return Math.round(ms).toString();
}
