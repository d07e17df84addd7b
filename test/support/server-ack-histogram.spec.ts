import {
  formatServerAck,
  parseAckHistogram,
  subtractHistograms,
  summariseAckHistogram,
} from 'test/support/server-ack-histogram';

const exposition = (counts: Record<string, [number, number]>): string =>
  [
    '# HELP erp_sync_webhook_ack_seconds Webhook ack latency',
    '# TYPE erp_sync_webhook_ack_seconds histogram',
    ...Object.entries(counts).flatMap(([le, [queue, outbox]]) => [
      `erp_sync_webhook_ack_seconds_bucket{le="${le}",durability="queue"} ${queue}`,
      `erp_sync_webhook_ack_seconds_bucket{le="${le}",durability="outbox"} ${outbox}`,
    ]),
    'erp_sync_webhook_ack_seconds_sum{durability="queue"} 1.5',
    'erp_sync_other_bucket{le="0.01"} 999',
  ].join('\n');

describe('server-side ack histogram', () => {
  it('sums label sets, subtracts the state before the run, and finds the buckets of p50, p99 and max', () => {
    const before = parseAckHistogram(exposition({ '0.01': [10, 0], '0.05': [10, 0], '0.1': [10, 0], '+Inf': [10, 0] }));
    const after = parseAckHistogram(
      // 100 new observations: 60 ≤ 10 ms, 39 in (10, 50], 1 in (50, 100] (an outbox one).
      exposition({ '0.01': [70, 0], '0.05': [109, 0], '0.1': [109, 1], '+Inf': [109, 1] }),
    );
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    const summary = summariseAckHistogram(subtractHistograms(after!, before!));
    expect(summary).toEqual({ count: 100, p50AtMostMs: 10, p99AtMostMs: 50, maxAtMostMs: 100 });
    expect(formatServerAck(summary)).toBe('≤ 10 / ≤ 50 / ≤ 100');
  });

  it('says so when the slowest observations are beyond the largest finite bucket', () => {
    const h = parseAckHistogram(exposition({ '0.01': [98, 0], '5': [99, 0], '+Inf': [100, 0] }))!;
    const summary = summariseAckHistogram(h);
    expect(summary.p99AtMostMs).toBe(5000);
    expect(summary.maxAtMostMs).toBe(Number.POSITIVE_INFINITY);
    expect(formatServerAck(summary)).toBe('≤ 10 / ≤ 5000 / > largest bucket');
  });

  it('is undefined when the metric is missing, and n/a in a report', () => {
    expect(parseAckHistogram('erp_sync_other_bucket{le="0.01"} 3\n')).toBeUndefined();
    expect(formatServerAck(undefined)).toBe('n/a');
  });
});
