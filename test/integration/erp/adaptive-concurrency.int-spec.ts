import { runAdaptiveConcurrency } from 'test/support/adaptive-concurrency-run';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

const { REDIS_URL } = serviceUrls('unused', INTEGRATION_RESOURCES.erpAdaptiveConcurrency.redisDb);

/**
 * Scenario S18 (reliability notes §5) on real Redis and the sandbox ERP over HTTP: no limit configured (cap 20,
 * starting at the vendor default of 5), the ERP's true limit 7, then 3. The writer must find 7 by itself, hold it
 * with few refusals, and follow the drop. The adaptive timings are the production ones ÷ 10 (the slow probe ÷ 6, so
 * that the hold sees at most one probe, as the production 20 s hold under a 30 s probe interval did), so the
 * behaviour takes seconds; the throughput the writer reaches at the production timings is a benchmark figure
 * (`npm run bench -- --only adaptive`, scripts/bench/adaptive-concurrency.ts).
 */
describe('adaptive ERP concurrency (S18)', () => {
  it('discovers 7 from 5, holds it with < 2 % refused, and follows a drop to 3', async () => {
    const figures = await runAdaptiveConcurrency({
      redisUrl: REDIS_URL,
      erpLimit: 7,
      droppedLimit: 3,
      startLimit: 5,
      cap: 20,
      workers: 24,
      latencyMs: 100,
      latencyJitterMs: 10,
      // Retry-After: 0 — the gate still cools down 100 ms after a 429, a tenth of the production second.
      retryAfterSeconds: 0,
      adaptive: {
        decreaseCooldownMs: 100,
        discoveryStepMs: 100,
        fastProbeMs: 1_000,
        slowProbeMs: 5_000,
        healthyAfterMs: 3_000,
      },
      discoverTimeoutMs: 5_000,
      holdMs: 3_000,
      dropTimeoutMs: 5_000,
    });

    // Found within discoverTimeoutMs: two discovery steps of 100 ms and a refused probe of 8 take about a second.
    expect(figures.discoveredAfterMs).not.toBeNull();
    expect(figures.hold.minLimit).toBeGreaterThanOrEqual(6);
    expect(figures.hold.maxLimit).toBeLessThanOrEqual(8);
    expect(figures.hold.ok).toBeGreaterThan(0);
    expect(figures.hold.refusedShare).toBeLessThan(0.02);
    expect(figures.peakConcurrency).toBeLessThanOrEqual(7);
    // Followed within dropTimeoutMs: four steps down, one per throttle and cool-down, take about half a second.
    expect(figures.followedDropAfterMs).not.toBeNull();
  }, 60_000);
});
