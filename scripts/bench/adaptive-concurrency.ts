/**
 * `npm run bench -- --only adaptive`: scenario S18 (test/support/adaptive-concurrency-run.ts) at the production
 * adaptive timings. The ERP (sandbox, 100 ms per request) allows 7 concurrent requests that nobody configured; the
 * writer starts at the vendor default of 5 under a cap of 20, must find 7, hold it while 24 callers keep it busy,
 * then follow the ERP down to 3. The integration spec checks that behaviour at timings ÷ 10; this measures what it
 * is worth: how soon the limit is found and followed, what share the ERP refuses, and the throughput at the limit
 * against the ideal (limit ÷ latency).
 */
import { runAdaptiveConcurrency, type AdaptiveConcurrencyFigures } from 'test/support/adaptive-concurrency-run';
import { serviceUrls } from 'test/support/test-config';

/** Redis db 15: no test suite uses it (test/support/integration-resources.ts), so a bench never flushes theirs. */
const BENCH_REDIS_DB = 15;
const ERP_LIMIT = 7;
const DROPPED_LIMIT = 3;
const LATENCY_MS = 100;

export interface AdaptiveConcurrencyBenchOptions {
  /** Default: this machine's Redis, db 15 (FLUSHDB'd). */
  redisUrl?: string;
  /** Shorter hold (5 s instead of 20 s): a smoke run, not a figure to publish. */
  quick?: boolean;
}

export interface AdaptiveConcurrencyBenchResult extends Omit<AdaptiveConcurrencyFigures, 'samples'> {
  erpLimit: number;
  droppedLimit: number;
  startLimit: number;
  latencyMs: number;
  /** Requests per second at the limit if every permit were always busy: limit ÷ latency. */
  idealPerSecond: number;
  /** Hold throughput ÷ ideal (the spec this replaced asked ≥ 0.9 of limit ÷ (latency + 5 ms)). */
  utilisation: number;
  /** The gate's limit every second of the run. */
  limitPerSecond: number[];
}

export async function runAdaptiveConcurrencyBench(
  options: AdaptiveConcurrencyBenchOptions = {},
): Promise<AdaptiveConcurrencyBenchResult> {
  const { samples, ...figures } = await runAdaptiveConcurrency({
    redisUrl: options.redisUrl ?? serviceUrls('unused', BENCH_REDIS_DB).REDIS_URL,
    erpLimit: ERP_LIMIT,
    droppedLimit: DROPPED_LIMIT,
    startLimit: 5,
    cap: 20,
    workers: 24,
    latencyMs: LATENCY_MS,
    latencyJitterMs: 10,
    retryAfterSeconds: 1,
    discoverTimeoutMs: 60_000,
    holdMs: options.quick ? 5_000 : 20_000,
    dropTimeoutMs: 60_000,
    sampleEveryMs: 250,
  });
  const idealPerSecond = ERP_LIMIT / (LATENCY_MS / 1000);
  return {
    ...figures,
    erpLimit: ERP_LIMIT,
    droppedLimit: DROPPED_LIMIT,
    startLimit: 5,
    latencyMs: LATENCY_MS,
    idealPerSecond,
    utilisation: figures.hold.okPerSecond / idealPerSecond,
    limitPerSecond: samples.filter((_, i) => i % 4 === 0).map((s) => s.limit),
  };
}

/** The result as the lines of a report. */
export function formatAdaptiveConcurrencyBench(r: AdaptiveConcurrencyBenchResult): string[] {
  const seconds = (ms: number | null): string => (ms === null ? 'not within 60 s' : `${(ms / 1000).toFixed(1)} s`);
  return [
    `ERP limit ${r.erpLimit} (unconfigured; writer starts at ${r.startLimit}), ${r.latencyMs} ms per request`,
    `limit found after ${seconds(r.discoveredAfterMs)}`,
    `held ${r.hold.ms / 1000} s at ${r.hold.minLimit}–${r.hold.maxLimit}: ${r.hold.ok} ok, ${r.hold.refused} refused ` +
      `(${(100 * r.hold.refusedShare).toFixed(2)} %), ${r.hold.okPerSecond.toFixed(1)}/s = ` +
      `${(100 * r.utilisation).toFixed(0)} % of ${r.idealPerSecond.toFixed(0)}/s; peak in the ERP ${r.peakConcurrency}`,
    `ERP dropped to ${r.droppedLimit}: followed after ${seconds(r.followedDropAfterMs)}`,
  ];
}
