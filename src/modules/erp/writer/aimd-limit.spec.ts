import { AimdLimit } from 'src/modules/erp/writer/aimd-limit';

describe(AimdLimit.name, () => {
  it('starts at the cap and never exceeds it', () => {
    const limit = new AimdLimit(5);
    for (let i = 0; i < 1_000; i++) {
      limit.onSuccess();
    }
    expect(limit.current).toBe(5);
  });

  it('shrinks by a quarter on a throttle, once per cooldown window', () => {
    const limit = new AimdLimit(8);
    limit.onThrottle(10_000);
    expect(limit.current).toBe(6);
    limit.onThrottle(10_100);
    limit.onThrottle(10_500);
    expect(limit.current).toBe(6);
    limit.onThrottle(11_001);
    expect(limit.current).toBe(4);
  });

  it('never goes below the floor', () => {
    const limit = new AimdLimit(4);
    for (let t = 0; t < 100; t++) {
      limit.onThrottle(t * 2_000);
    }
    expect(limit.current).toBe(1);
  });

  it('recovers additively: about one permit per limit-worth of successes', () => {
    const limit = new AimdLimit(10, 4);
    for (let i = 0; i < 4; i++) {
      limit.onSuccess();
    }
    expect(limit.current).toBe(4);
    for (let i = 0; i < 6; i++) {
      limit.onSuccess();
    }
    expect(limit.current).toBeGreaterThanOrEqual(5);
    expect(limit.current).toBeLessThanOrEqual(6);
  });
});
