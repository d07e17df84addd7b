import {
  MAX_REPLAY_ORDER_IDS,
  checkReplayTarget,
  createdRangeQuery,
  orderGid,
  replayEventId,
} from 'src/modules/orders/domain/order-replay';

describe(replayEventId.name, () => {
  it('names the version alone, so a second replay of it is the same event to the inbox', () => {
    expect(replayEventId('5123', '2026-11-03T10:00:00+02:00')).toBe('replay:order:5123:1793692800000');
    expect(replayEventId('5123', '2026-11-03T08:00:00Z')).toBe(replayEventId('5123', '2026-11-03T10:00:00+02:00'));
  });

  it('adds the force id, so a later force is not dropped as a redelivery of an earlier one', () => {
    const first = replayEventId('5123', '2026-11-03T08:00:00Z', 'a');
    expect(first).toBe('replay:order:5123:1793692800000:force:a');
    expect(replayEventId('5123', '2026-11-03T08:00:00Z', 'b')).not.toBe(first);
  });
});

describe(orderGid.name, () => {
  it('makes a GID of a legacy id and keeps a GID', () => {
    expect(orderGid('5123')).toBe('gid://shopify/Order/5123');
    expect(orderGid('gid://shopify/Order/5123')).toBe('gid://shopify/Order/5123');
  });
});

describe(createdRangeQuery.name, () => {
  it('searches both ends inclusive, in UTC', () => {
    expect(createdRangeQuery(new Date('2026-11-01T00:00:00+01:00'), new Date('2026-11-30T23:59:59Z'))).toBe(
      "created_at:>='2026-10-31T23:00:00.000Z' AND created_at:<='2026-11-30T23:59:59.000Z'",
    );
  });
});

describe(checkReplayTarget.name, () => {
  const day = (d: string): Date => new Date(`${d}T00:00:00Z`);
  it.each<[string, Parameters<typeof checkReplayTarget>[0], ReturnType<typeof checkReplayTarget>]>([
    ['a range of one day', { createdFrom: day('2026-11-01'), createdTo: day('2026-11-02') }, null],
    ['a range of one instant', { createdFrom: day('2026-11-01'), createdTo: day('2026-11-01') }, null],
    ['a reversed range', { createdFrom: day('2026-11-02'), createdTo: day('2026-11-01') }, 'range-reversed'],
    ['a range missing an end', { createdFrom: day('2026-11-02'), createdTo: new Date(NaN) }, 'range-reversed'],
    ['a range of 366 days', { createdFrom: day('2025-11-01'), createdTo: day('2026-11-02') }, null],
    ['a range over 366 days', { createdFrom: day('2025-10-01'), createdTo: day('2026-11-02') }, 'range-too-wide'],
    ['ids and GIDs', { orderIds: ['5123', 'gid://shopify/Order/6'] }, null],
    ['no ids', { orderIds: [] }, 'empty'],
    ['a product GID', { orderIds: ['gid://shopify/Product/6'] }, 'bad-order-id'],
    [
      'too many ids',
      { orderIds: Array.from({ length: MAX_REPLAY_ORDER_IDS + 1 }, (_, i) => String(i)) },
      'too-many-ids',
    ],
  ])('%s', (_name, target, expected) => {
    expect(checkReplayTarget(target)).toBe(expected);
  });
});
