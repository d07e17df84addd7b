import { RETRY_DELAYS_MS } from 'src/common/messaging/topology';
import { MAX_TRANSIENT_ATTEMPTS, backoffMs, retryDelayMs } from 'src/modules/erp/writer/retry-policy';

describe(retryDelayMs.name, () => {
  it('grows exponentially by tier with ±20 % jitter', () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(800);
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(1_000);
    expect(retryDelayMs(1, undefined, () => 0.99)).toBe(1_200);
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(3, undefined, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(50, undefined, () => 0.5)).toBe(1_800_000);
  });

  it('only returns delays that exist as retry queues', () => {
    for (let attempt = 1; attempt <= MAX_TRANSIENT_ATTEMPTS + 2; attempt++) {
      for (const r of [0, 0.34, 0.67, 0.999]) {
        expect(RETRY_DELAYS_MS).toContain(retryDelayMs(attempt, undefined, () => r));
      }
    }
  });

  it('never retries sooner than Retry-After', () => {
    for (const retryAfter of [500, 1_000, 1_100, 4_500, 7_000, 60_000, 3_600_000]) {
      for (const r of [0, 0.5, 0.999]) {
        const delay = retryDelayMs(1, retryAfter, () => r);
        expect(RETRY_DELAYS_MS).toContain(delay);
        if (retryAfter <= 2_160_000) {
          expect(delay).toBeGreaterThanOrEqual(retryAfter);
        }
      }
    }
  });
});

describe(backoffMs.name, () => {
  it('doubles up to the cap and stays within [ceiling/2, ceiling]', () => {
    expect(backoffMs(1, 200, 5_000, () => 0)).toBe(100);
    expect(backoffMs(1, 200, 5_000, () => 1)).toBe(200);
    expect(backoffMs(3, 200, 5_000, () => 1)).toBe(800);
    expect(backoffMs(30, 200, 5_000, () => 1)).toBe(5_000);
  });
});
