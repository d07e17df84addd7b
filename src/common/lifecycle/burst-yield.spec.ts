import { BURST_QUIET_MS, BURST_WEBHOOKS, BurstDetector, BurstYield } from 'src/common/lifecycle/burst-yield';

describe(BurstDetector.name, () => {
  const burst = (detector: BurstDetector, at: number, count = BURST_WEBHOOKS): void => {
    for (let i = 0; i < count; i++) {
      detector.arrived(at + i);
    }
  };

  it('signals once when a sale starts (20 webhooks within 100 ms), not again while it lasts', () => {
    const detector = new BurstDetector();
    const starts: number[] = [];
    detector.onStart(() => starts.push(1));
    burst(detector, 1_000, BURST_WEBHOOKS - 1);
    expect(starts).toHaveLength(0);
    detector.arrived(1_050);
    expect(starts).toHaveLength(1);
    // The sale goes on, 50 webhooks every 100 ms for 10 s: no second signal.
    for (let t = 1_100; t < 11_000; t += 100) {
      burst(detector, t, 50);
    }
    expect(starts).toHaveLength(1);
  });

  it('signals a new burst only after a quiet period, and never for a trickle', () => {
    const detector = new BurstDetector();
    const starts: number[] = [];
    detector.onStart(() => starts.push(1));
    // 100 a second, evenly: 10 per 100 ms, never a burst.
    for (let t = 0; t < 5_000; t += 10) {
      detector.arrived(t);
    }
    expect(starts).toHaveLength(0);
    burst(detector, 10_000);
    burst(detector, 10_000 + BURST_QUIET_MS - 1_000);
    expect(starts).toHaveLength(1);
    burst(detector, 10_000 + BURST_QUIET_MS - 1_000 + BURST_QUIET_MS);
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
