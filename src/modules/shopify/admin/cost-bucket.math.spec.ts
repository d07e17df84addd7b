import {
  CONSERVATIVE_RESTORE_RATE,
  initialBucketState,
  levelAt,
  reserve,
  settle,
  throttledRetryDelayMs,
  waitForLevelMs,
  type BucketState,
} from 'src/modules/shopify/admin/cost-bucket.math';
import { LocalCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';

const plus: BucketState = { capacity: 20_000, restoreRate: 1_000, available: 20_000, updatedAtMs: 0, learned: true };

describe('cost bucket maths', () => {
  it.each([
    ['full bucket stays capped', { ...plus }, 5_000, 20_000],
    ['leaks back at the restore rate', { ...plus, available: 0 }, 1_500, 1_500],
    ['a negative level recovers', { ...plus, available: -2_000 }, 1_000, -1_000],
    ['time going backwards adds nothing', { ...plus, available: 10, updatedAtMs: 100 }, 50, 10],
  ])('levelAt: %s', (_name, state, now, expected) => {
    expect(levelAt(state, now)).toBe(expected);
  });

  it('reserve deducts now and waits for the deficit at the restore rate', () => {
    const r = reserve({ ...plus, available: 100 }, 600, 0);
    expect(r.state.available).toBe(-500);
    expect(r.waitMs).toBe(500);
    expect(reserve(plus, 600, 0).waitMs).toBe(0);
  });

  it('waitForLevelMs rounds up and is 0 for a non-negative level', () => {
    expect(waitForLevelMs(-1, 1_000)).toBe(1);
    expect(waitForLevelMs(0, 1_000)).toBe(0);
    expect(waitForLevelMs(-250, 100)).toBe(2_500);
  });

  it('starts empty at the lowest plan rate after a wipe, and learns the real figures from the first answer', () => {
    const s0 = initialBucketState(1_000);
    expect(s0).toMatchObject({ available: 0, restoreRate: CONSERVATIVE_RESTORE_RATE, learned: false });
    expect(reserve(s0, 50, 1_000).waitMs).toBe(500);
    const s1 = settle(
      s0,
      {
        throttleStatus: { maximumAvailable: 20_000, currentlyAvailable: 19_990, restoreRate: 1_000 },
        pendingOthers: 0,
      },
      1_010,
    );
    expect(s1).toEqual({ capacity: 20_000, restoreRate: 1_000, available: 19_990, updatedAtMs: 1_010, learned: true });
  });

  it("settle takes Shopify's figure minus what other senders still have in flight", () => {
    const s = settle(
      plus,
      {
        throttleStatus: { maximumAvailable: 20_000, currentlyAvailable: 5_000, restoreRate: 1_000 },
        pendingOthers: 1_200,
      },
      10,
    );
    expect(s.available).toBe(3_800);
  });

  it('settle without a throttleStatus keeps the reservation spent unless told what was not charged', () => {
    const reserved = reserve({ ...plus, available: 1_000 }, 400, 0).state;
    expect(settle(reserved, { pendingOthers: 0 }, 0).available).toBe(600);
    expect(settle(reserved, { pendingOthers: 0, refund: 400 }, 0).available).toBe(1_000);
    expect(settle({ ...plus }, { pendingOthers: 0, refund: 400 }, 0).available).toBe(20_000);
  });

  it('throttledRetryDelayMs: missing points at the restore rate plus a margin', () => {
    const status = { maximumAvailable: 2_000, currentlyAvailable: 666, restoreRate: 100 };
    expect(throttledRetryDelayMs(752, status, 0)).toBe(860);
    expect(throttledRetryDelayMs(752, status)).toBe(910);
    expect(throttledRetryDelayMs(100, status, 50)).toBe(50);
  });

  it('invariant: senders that wait as told never reach Shopify short of points (simulated shop bucket)', () => {
    // Shopify's side: admits only if the bucket holds the requested cost; charges the actual cost afterwards.
    let now = 0;
    const shop = { level: 2_000, at: 0, capacity: 2_000, rate: 100 };
    const shopLevel = (): number => Math.min(shop.capacity, shop.level + ((now - shop.at) * shop.rate) / 1000);
    const bucket = new LocalCostBucket(() => now);
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let throttled = 0;
    let sent = 0;
    const pending: {
      sendAt: number;
      cost: number;
      actual: number;
      r: Awaited<ReturnType<LocalCostBucket['reserve']>>;
    }[] = [];
    const run = async (): Promise<void> => {
      for (let step = 0; step < 3_000; step += 1) {
        now += Math.floor(random() * 2_000);
        // New requests reserve (sometimes a burst of 20, far beyond the restore rate)...
        for (let k = step % 500 === 0 ? 20 : Math.floor(random() * 2); k > 0; k -= 1) {
          const cost = 10 + Math.floor(random() * 300);
          const r = await bucket.reserve(cost);
          pending.push({ sendAt: now + r.waitMs, cost, actual: Math.ceil(cost * (0.2 + random() * 0.8)), r });
        }
        // ...and those whose wait is over reach Shopify, in order of sending time.
        pending.sort((a, b) => a.sendAt - b.sendAt);
        while (pending.length > 0 && pending[0].sendAt <= now) {
          const p = pending.shift()!;
          sent += 1;
          const level = shopLevel();
          shop.level = level;
          shop.at = now;
          if (level < p.cost) {
            throttled += 1;
          } else {
            shop.level -= p.actual;
          }
          await bucket.settle(p.r, {
            throttleStatus: { maximumAvailable: 2_000, currentlyAvailable: shop.level, restoreRate: 100 },
          });
        }
      }
    };
    return run().then(() => {
      expect(sent).toBeGreaterThan(1_000);
      expect(throttled).toBe(0);
    });
  });
});
