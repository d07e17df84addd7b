import {
  BURST_BUSY_ARRIVALS,
  BURST_QUIET_MS,
  BurstDetector,
  type BurstSignal,
  BurstYield,
} from 'src/common/lifecycle/burst-yield';

function recorded(detector: BurstDetector): Array<[BurstSignal, number]> {
  const signals: Array<[BurstSignal, number]> = [];
  let now = 0;
  const arrived = detector.arrived.bind(detector);
  detector.arrived = (at = Date.now()): void => {
    now = at;
    arrived(at);
  };
  detector.onSignal((signal) => signals.push([signal, now]));
  return signals;
}

describe(BurstDetector.name, () => {
  it('signals start at the first webhook after a quiet spell, then busy once per window of a sale, not for steady traffic', () => {
    const detector = new BurstDetector();
    const signals = recorded(detector);
    detector.arrived(1_000);
    expect(signals).toEqual([['start', 1_000]]);
    // A sale: 500 a second for 10 s: one busy per window, each at its 25th webhook.
    for (let t = 1_002; t < 11_000; t += 2) {
      detector.arrived(t);
    }
    const busy = signals.filter(([signal]) => signal === 'busy');
    expect(busy.length).toBeGreaterThanOrEqual(19);
    expect(busy.length).toBeLessThanOrEqual(20);
    expect(busy[0]).toEqual(['busy', 1_000 + 2 * (BURST_BUSY_ARRIVALS - 1)]);
    // Then steady traffic, a webhook every 4 s, and 40 a second (20 a window, under the sale rate): nothing more.
    const before = signals.length;
    for (let t = 15_000; t < 60_000; t += BURST_QUIET_MS - 1_000) {
      detector.arrived(t);
    }
    for (let t = 60_000; t < 70_000; t += 25) {
      detector.arrived(t);
    }
    expect(signals).toHaveLength(before);
  });

  it('signals start again when webhooks resume after the quiet spell', () => {
    const detector = new BurstDetector();
    const signals = recorded(detector);
    detector.arrived(0);
    detector.arrived(BURST_QUIET_MS - 1);
    detector.arrived(2 * BURST_QUIET_MS - 1);
    expect(signals.map(([signal]) => signal)).toEqual(['start', 'start']);
  });
});

describe(BurstYield.name, () => {
  it('holds queue messages for the time asked, extended by a later hold, capped', async () => {
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

  it('holds queue messages on start only, and scheduled jobs while the burst goes on, at most JOBS_MAX_HOLD_MS', () => {
    const gate = new BurstYield();
    const changes: boolean[] = [];
    gate.onJobsHeld((held) => changes.push(held));
    const t0 = Date.now();
    gate.signal('busy', 1_000, t0);
    // A busy signal opens the burst for jobs (a worker started mid-sale) but holds no message.
    expect(gate.holding).toBe(false);
    expect(gate.jobsHeld(t0 + BurstYield.JOBS_BUSY_HOLD_MS - 1)).toBe(true);
    expect(gate.jobsHeld(t0 + BurstYield.JOBS_BUSY_HOLD_MS)).toBe(false);
    gate.signal('start', 1_000, t0 + 10);
    expect(gate.holding).toBe(true);
    // Busy every half second for a minute: the jobs' hold ends JOBS_MAX_HOLD_MS after the burst's first signal.
    for (let t = t0; t < t0 + 60_000; t += 500) {
      gate.signal('busy', 1_000, t);
    }
    expect(gate.jobsHeld(t0 + BurstYield.JOBS_MAX_HOLD_MS - 1)).toBe(true);
    expect(gate.jobsHeld(t0 + BurstYield.JOBS_MAX_HOLD_MS)).toBe(false);
    // One hold, told once (its end comes from a timer).
    expect(changes).toEqual([true]);
    gate.onApplicationShutdown();
  });

  it('tells the jobs hold has ended once the signals stop', async () => {
    const gate = new BurstYield();
    const changes: Array<[boolean, number]> = [];
    gate.onJobsHeld((held) => changes.push([held, Date.now()]));
    const started = Date.now();
    gate.signal('start', 0);
    expect(changes.map(([held]) => held)).toEqual([true]);
    for (let waited = 0; changes.length < 2 && waited < 3_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(changes.map(([held]) => held)).toEqual([true, false]);
    expect(changes[1][1] - started).toBeGreaterThanOrEqual(BurstYield.JOBS_BUSY_HOLD_MS - 5);
  });
});
