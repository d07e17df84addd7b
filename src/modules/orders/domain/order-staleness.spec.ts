import { decideOrderFreshness, type OrderVersion } from 'src/modules/orders/domain/order-staleness';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

const open = (updatedAt: string): OrderVersion => ({ updatedAt, status: 'open' });
const cancelled = (updatedAt: string): OrderVersion => ({ updatedAt, status: 'cancelled' });

describe(decideOrderFreshness.name, () => {
  it.each<[string, OrderVersion, OrderVersion | null, ReturnType<typeof decideOrderFreshness>]>([
    ['applies the first event of an order', open('2026-10-05T19:09:49+02:00'), null, { apply: true }],
    ['applies a newer update', open('2026-10-05T19:09:50+02:00'), open('2026-10-05T19:09:49+02:00'), { apply: true }],
    [
      'skips an event older than the last applied one',
      open('2026-10-05T19:09:48+02:00'),
      open('2026-10-05T19:09:49+02:00'),
      { apply: false, reason: 'stale' },
    ],
    [
      'skips a redelivery of the applied version as a duplicate',
      open('2026-10-05T19:09:49+02:00'),
      open('2026-10-05T19:09:49+02:00'),
      { apply: false, reason: 'duplicate' },
    ],
    [
      'applies a cancel in the same second as the open version it replaces',
      cancelled('2026-10-05T19:09:49+02:00'),
      open('2026-10-05T19:09:49+02:00'),
      { apply: true },
    ],
    [
      'never reopens a cancelled order on an equal timestamp',
      open('2026-10-05T19:09:49+02:00'),
      cancelled('2026-10-05T19:09:49+02:00'),
      { apply: false, reason: 'duplicate' },
    ],
    [
      'skips a cancel that is older than the applied version',
      cancelled('2026-10-05T19:09:48+02:00'),
      open('2026-10-05T19:09:49+02:00'),
      { apply: false, reason: 'stale' },
    ],
    [
      'treats a repeated cancel as a duplicate',
      cancelled('2026-10-05T19:09:49+02:00'),
      cancelled('2026-10-05T19:09:49+02:00'),
      { apply: false, reason: 'duplicate' },
    ],
  ])('%s', (_name, incoming, applied, expected) => {
    expect(decideOrderFreshness(incoming, applied)).toEqual(expected);
  });

  it('compares instants, not strings, across offsets', () => {
    // As strings "…19:09:49+02:00" > "…17:09:49.000Z", but they are the same instant.
    expect(decideOrderFreshness(open('2026-10-05T19:09:49+02:00'), open('2026-10-05T17:09:49.000Z'))).toEqual({
      apply: false,
      reason: 'duplicate',
    });
    // "…18:00:00-02:00" sorts before "…19:00:00Z" as a string, yet it is an hour later (20:00Z).
    expect(decideOrderFreshness(open('2026-10-05T18:00:00-02:00'), open('2026-10-05T19:00:00Z'))).toEqual({
      apply: true,
    });
    expect(decideOrderFreshness(open('2026-10-05T19:00:00Z'), open('2026-10-05T18:00:00-02:00'))).toEqual({
      apply: false,
      reason: 'stale',
    });
  });

  describe("an operator's forced re-sync", () => {
    const force = { force: true };
    it('applies the version the ERP already holds (the same instant), where a redelivery is a duplicate', () => {
      const v = open('2026-10-05T19:09:49+02:00');
      expect(decideOrderFreshness(v, open('2026-10-05T17:09:49.000Z'), force)).toEqual({ apply: true });
      expect(decideOrderFreshness(v, open('2026-10-05T17:09:49.000Z'))).toEqual({ apply: false, reason: 'duplicate' });
    });

    it('applies a newer version and a first one as any event does', () => {
      expect(decideOrderFreshness(open('2026-10-05T19:09:50Z'), open('2026-10-05T19:09:49Z'), force)).toEqual({
        apply: true,
      });
      expect(decideOrderFreshness(open('2026-10-05T19:09:50Z'), null, force)).toEqual({ apply: true });
    });

    it('never takes the ERP back to an older version', () => {
      expect(decideOrderFreshness(open('2026-10-05T19:09:48Z'), open('2026-10-05T19:09:49Z'), force)).toEqual({
        apply: false,
        reason: 'stale',
      });
    });
  });

  it('throws a typed error for a timestamp that cannot be read', () => {
    const error = catchError(() => decideOrderFreshness(open('yesterday'), open('2026-10-05T19:00:00Z')));
    expect(error).toBeInstanceOf(OrderError);
    expect(error).toMatchObject({ code: OrderErrorCode.InvalidPayload });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
