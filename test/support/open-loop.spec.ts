import { runOpenLoop } from 'test/support/open-loop';

describe('runOpenLoop warm-up', () => {
  it('reports the warm-up apart and says when the measured requests begin', async () => {
    const events: string[] = [];
    const result = await runOpenLoop({
      count: 6,
      ratePerSecond: 1_000,
      warmupCount: 2,
      pacing: 'timer',
      onMeasuredStart: () => events.push('measured'),
      send: (i) => {
        events.push(`send ${i}`);
        return Promise.resolve({ status: i < 2 ? 500 : 200 });
      },
    });
    expect(events).toEqual(['send 0', 'send 1', 'measured', 'send 2', 'send 3', 'send 4', 'send 5']);
    expect(result.latencyMs.count).toBe(4);
    expect(result.warmupLatencyMs?.count).toBe(2);
    // The warm-up's failures are not the measured run's.
    expect(result.non2xx).toBe(0);
    expect(result.statuses).toEqual([500, 500, 200, 200, 200, 200]);
  });

  it('has no warm-up figures without a warm-up', async () => {
    const result = await runOpenLoop({
      count: 2,
      ratePerSecond: 1_000,
      pacing: 'timer',
      send: () => Promise.resolve({ status: 200 }),
    });
    expect(result.warmupLatencyMs).toBeUndefined();
    expect(result.latencyMs.count).toBe(2);
  });
});
