import { AdaptiveLimit, DEFAULT_ADAPTIVE_TIMINGS } from 'src/modules/erp/writer/adaptive-limit';

function limit(initial: number, max = 20): AdaptiveLimit {
  return new AdaptiveLimit({ min: 1, max, initial, ...DEFAULT_ADAPTIVE_TIMINGS });
}

/**
 * A discrete model of the writer against an ERP with a hard concurrency limit: every `latencyMs` round the workers
 * (always busy) send `limit.current` requests; those above the ERP's limit are refused with 429 + Retry-After, and
 * the gate's shared cool-down then holds every request for Retry-After.
 */
function simulate(options: {
  limit: AdaptiveLimit;
  trueLimit: (t: number) => number;
  until: number;
  latencyMs?: number;
  retryAfterMs?: number;
}): Array<{ t: number; value: number; ok: number; refused: number }> {
  const latencyMs = options.latencyMs ?? 150;
  const retryAfterMs = options.retryAfterMs ?? 1_000;
  const rounds: Array<{ t: number; value: number; ok: number; refused: number }> = [];
  let t = 0;
  while (t < options.until) {
    const value = options.limit.current;
    const erpLimit = options.trueLimit(t);
    const ok = Math.min(value, erpLimit);
    const refused = value - ok;
    rounds.push({ t, value, ok, refused });
    if (refused > 0) {
      options.limit.onThrottle(t);
      t += retryAfterMs;
      continue;
    }
    t += latencyMs;
    for (let i = 0; i < ok; i++) {
      options.limit.onSuccess(t);
    }
  }
  return rounds;
}

function window(rounds: ReturnType<typeof simulate>, from: number, to: number) {
  const inside = rounds.filter((r) => r.t >= from && r.t < to);
  const ok = inside.reduce((sum, r) => sum + r.ok, 0);
  const refused = inside.reduce((sum, r) => sum + r.refused, 0);
  return { ok, refused, share: refused / Math.max(1, ok + refused), okPerSecond: ok / ((to - from) / 1000) };
}

describe(AdaptiveLimit.name, () => {
  it('never exceeds its cap nor goes below its floor', () => {
    const l = limit(5, 6);
    for (let t = 0; t < 100_000; t += 100) {
      l.onSuccess(t);
    }
    expect(l.current).toBe(6);
    for (let t = 100_000; t < 200_000; t += 2_000) {
      l.onThrottle(t);
    }
    expect(l.current).toBe(1);
  });

  it('counts a burst of throttles as one signal', () => {
    const l = limit(8, 8);
    expect(l.onThrottle(10_000)).toBe(true);
    expect(l.onThrottle(10_200)).toBe(false);
    expect(l.onThrottle(10_900)).toBe(false);
    expect(l.current).toBe(7);
    l.onThrottle(11_001);
    expect(l.current).toBe(6);
  });

  it('does not grow while its permits are not in use', () => {
    const l = limit(5);
    l.onSuccess(60_000);
    expect(l.current).toBe(5);
  });

  it('S18: discovers a true limit of 7 from the vendor default within 60 s, then holds it with < 2 % refused', () => {
    const rounds = simulate({ limit: limit(5), trueLimit: () => 7, until: 180_000 });
    const converged = rounds.find(
      (r) => r.t > 0 && rounds.filter((x) => x.t >= r.t).every((x) => x.value >= 6 && x.value <= 8),
    );
    expect(converged?.t).toBeLessThan(60_000);
    const steady = window(rounds, 60_000, 180_000);
    expect(steady.share).toBeLessThan(0.02);
    // ≥ 90 % of limit ÷ latency (7 / 0.15 s), refused probes and their Retry-After included.
    expect(steady.okPerSecond).toBeGreaterThanOrEqual(0.9 * (7 / 0.15));
  });

  it('S18: follows the limit down to 3 within 30 s, and stops probing hard above it', () => {
    const drop = 120_000;
    const rounds = simulate({ limit: limit(5), trueLimit: (t) => (t < drop ? 7 : 3), until: 300_000 });
    const settled = rounds.find((r) => r.t >= drop && r.value <= 3);
    expect(settled?.t).toBeLessThan(drop + 30_000);
    const after = window(rounds, drop + 60_000, 300_000);
    expect(after.share).toBeLessThan(0.02);
    expect(after.okPerSecond).toBeGreaterThanOrEqual(0.9 * (3 / 0.15));
  });

  it('S3: after a 429 storm (limit 5 → 2 → 5, capped at 5) it is back to ≥ 90 % within 60 s', () => {
    const stormEnds = 90_000;
    const rounds = simulate({
      limit: limit(5, 5),
      trueLimit: (t) => (t >= 30_000 && t < stormEnds ? 2 : 5),
      until: 200_000,
      retryAfterMs: 2_000,
    });
    const during = window(rounds, 60_000, stormEnds);
    expect(during.share).toBeLessThan(0.02);
    const recovered = window(rounds, stormEnds + 60_000, 200_000);
    expect(recovered.okPerSecond).toBeGreaterThanOrEqual(0.9 * (5 / 0.15));
  });
});
