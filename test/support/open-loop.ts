import { performance } from 'node:perf_hooks';
import { type Distribution, summarise } from 'test/support/percentiles';

/**
 * Open-loop load: request i is due at t0 + i/R whatever happened to the requests before it, and its latency is
 * measured from that due time, not from when it was actually sent. A closed-loop or batching generator stops
 * sending while the server stalls and so never records the stall (coordinated omission): autocannon's
 * `overallRate` reported p99 16–134 ms for servers whose real p99 was 2–9 ms (shared/facts/reliability-notes.md §3.2).
 * The generator's own lag (actual send − due time) is reported too, so that an overloaded generator shows.
 */

export interface OpenLoopOptions<R extends { status: number }> {
  count: number;
  ratePerSecond: number;
  /** Starts request i; must not wait for anything but its own response. */
  send: (i: number) => Promise<R>;
  /** The first requests, sent at the same rate but left out of the statistics (reported apart as `warmupLatencyMs`). */
  warmupCount?: number;
  /** Called once, just before the first request after the warm-up is sent. */
  onMeasuredStart?: () => void;
  /** Called as each response arrives (e.g. for a progress bar). */
  onResult?: (i: number, result: R | undefined, latencyMs: number) => void;
  /**
   * How to wait for the next due time when it is less than ~1 ms away: `spin` re-checks on every event-loop turn
   * (setImmediate; sub-millisecond lag, costs a CPU core while idle), `timer` sleeps with setTimeout (≈1 ms lag,
   * leaves the CPU to the server). Default `spin`.
   */
  pacing?: 'spin' | 'timer';
}

export interface OpenLoopResult<R> {
  /** Per request, in send order: the status, or 0 when `send` threw. */
  statuses: number[];
  results: (R | undefined)[];
  /** Due time → response, warm-up excluded. */
  latencyMs: Distribution;
  /** The same for the warm-up requests alone, when there were any. */
  warmupLatencyMs?: Distribution;
  /** Due time → actual send, warm-up excluded. */
  lagMs: Distribution;
  offeredRatePerSecond: number;
  /** Measured requests ÷ time from the first measured due time to the last measured response. */
  achievedRatePerSecond: number;
  /** Measured sends that threw or had status 0 (timeout, connection error). */
  errors: number;
  /** Measured responses outside 2xx (errors not included). */
  non2xx: number;
  durationMs: number;
}

export function runOpenLoop<R extends { status: number }>(options: OpenLoopOptions<R>): Promise<OpenLoopResult<R>> {
  const { count, ratePerSecond, send } = options;
  const warmup = Math.min(options.warmupCount ?? 0, count);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  if (!(ratePerSecond > 0)) {
    throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
  }
  const intervalMs = 1000 / ratePerSecond;
  const spin = (options.pacing ?? 'spin') === 'spin';
  const statuses = new Array<number>(count).fill(0);
  const results = new Array<R | undefined>(count);
  const latencies = new Float64Array(count);
  const lags = new Float64Array(count);
  const endTimes = new Float64Array(count);

  return new Promise((resolve) => {
    // A few ms of slack so that the first request is not already late when the loop starts.
    const t0 = performance.now() + 5;
    const due = (i: number): number => t0 + i * intervalMs;
    let next = 0;
    let pending = count;

    const complete = (): void => {
      const measured = count - warmup;
      let errors = 0;
      let non2xx = 0;
      let lastEnd = 0;
      let anyEnd = 0;
      for (let i = 0; i < count; i++) {
        anyEnd = Math.max(anyEnd, endTimes[i]);
      }
      for (let i = warmup; i < count; i++) {
        const s = statuses[i];
        if (s === 0) {
          errors++;
        } else if (s < 200 || s >= 300) {
          non2xx++;
        }
        lastEnd = Math.max(lastEnd, endTimes[i]);
      }
      const span = measured > 0 ? lastEnd - due(warmup) : 0;
      resolve({
        statuses,
        results,
        latencyMs: summarise(latencies.subarray(warmup)),
        warmupLatencyMs: warmup > 0 ? summarise(latencies.subarray(0, warmup)) : undefined,
        lagMs: summarise(lags.subarray(warmup)),
        offeredRatePerSecond: ratePerSecond,
        achievedRatePerSecond: span > 0 ? (measured / span) * 1000 : 0,
        errors,
        non2xx,
        durationMs: count > 0 ? anyEnd - t0 : 0,
      });
    };

    const settle = (i: number, result: R | undefined): void => {
      const end = performance.now();
      endTimes[i] = end;
      latencies[i] = end - due(i);
      statuses[i] = result?.status ?? 0;
      results[i] = result;
      options.onResult?.(i, result, latencies[i]);
      if (--pending === 0) {
        complete();
      }
    };

    const fire = (i: number): void => {
      if (i === warmup) {
        options.onMeasuredStart?.();
      }
      lags[i] = performance.now() - due(i);
      let promise: Promise<R>;
      try {
        promise = send(i);
      } catch {
        settle(i, undefined);
        return;
      }
      promise.then(
        (r) => settle(i, r),
        () => settle(i, undefined),
      );
    };

    const tick = (): void => {
      // Catch up: everything already due goes out now, each with its own (recorded) lag.
      const now = performance.now();
      while (next < count && due(next) <= now) {
        fire(next++);
      }
      if (next >= count) {
        return;
      }
      const wait = due(next) - performance.now();
      if (wait > 2 || (!spin && wait > 0)) {
        // setTimeout fires late by up to ~1 ms; wake early and finish the wait by spinning (or accept the lag).
        setTimeout(tick, spin ? wait - 1.5 : Math.max(0, wait - 0.5));
      } else {
        setImmediate(tick);
      }
    };

    if (count === 0) {
      complete();
      return;
    }
    setTimeout(tick, 0);
  });
}
