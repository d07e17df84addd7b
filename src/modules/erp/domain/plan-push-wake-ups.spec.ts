import { planPushWakeUps, WAKE_DEBOUNCE_MS } from 'src/modules/erp/domain/plan-push-wake-ups';

describe(planPushWakeUps.name, () => {
  it('wakes every named stream the connector can read, each after the debounce delay', () => {
    expect(planPushWakeUps(['items', 'shipments'], undefined, 0)).toEqual([
      { stream: 'items', jobId: 'push:items:0', delayMs: WAKE_DEBOUNCE_MS },
      { stream: 'shipments', jobId: 'push:shipments:0', delayMs: WAKE_DEBOUNCE_MS },
    ]);
  });

  it('leaves out the streams the connector does not read', () => {
    expect(planPushWakeUps(['items', 'inventory', 'shipments'], ['inventory'], 0).map((w) => w.stream)).toEqual([
      'inventory',
    ]);
    expect(planPushWakeUps(['items'], [], 0)).toEqual([]);
  });

  it('gives every push of one debounce slot the same job id, and the next slot another', () => {
    const start = 10 * WAKE_DEBOUNCE_MS;
    const first = planPushWakeUps(['items'], undefined, start)[0]?.jobId;
    expect(first).toBe('push:items:10');
    expect(planPushWakeUps(['items'], undefined, start + WAKE_DEBOUNCE_MS - 1)[0]?.jobId).toBe(first);
    expect(planPushWakeUps(['items'], undefined, start + WAKE_DEBOUNCE_MS)[0]?.jobId).toBe('push:items:11');
  });
});
