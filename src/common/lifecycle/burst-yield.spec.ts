import { BURST_QUIET_MS, BurstDetector, BurstYield } from 'src/common/lifecycle/burst-yield';

describe(BurstDetector.name, () => {
  it('signals at the first webhook after a quiet spell, then not while webhooks keep coming', () => {
    const detector = new BurstDetector();
    const starts: number[] = [];
    detector.onStart(() => starts.push(1));
    detector.arrived(1_000);
    expect(starts).toHaveLength(1);
    // A sale: 500 a second for 10 s, and then steady traffic, a webhook every 4 s: no second signal.
    for (let t = 1_002; t < 11_000; t += 2) {
      detector.arrived(t);
    }
    for (let t = 15_000; t < 60_000; t += BURST_QUIET_MS - 1_000) {
      detector.arrived(t);
    }
    expect(starts).toHaveLength(1);
  });

  it('signals again when webhooks resume after the quiet spell', () => {
    const detector = new BurstDetector();
    const starts: number[] = [];
    detector.onStart(() => starts.push(1));
    detector.arrived(0);
    detector.arrived(BURST_QUIET_MS - 1);
    expect(starts).toHaveLength(1);
    detector.arrived(2 * BURST_QUIET_MS - 1);
    expect(starts).toHaveLength(2);
  });
});

describe(BurstYield.name, () => {
  it('holds for the time asked, extended by a later hold, capped', async () => {
    const gate = new BurstYield();
    await expect(gate.wait()).resolves.toBeUndefined();
    expect(gate.holding).toBe(false);
    const started = Date.now();
    gate.hold(60);
    expect(gate.holding).toBe(true);
    await gate.wait();
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(gate.holding).toBe(false);

    // A later hold extends the one running; no hold lasts longer than MAX_HOLD_MS (60 s asked 5 s ago: over now).
    gate.hold(40);
    gate.hold(80);
    expect(gate.holding).toBe(true);
    const capped = new BurstYield();
    capped.hold(60_000, Date.now() - BurstYield.MAX_HOLD_MS);
    expect(capped.holding).toBe(false);
    await gate.wait();
  });
});
