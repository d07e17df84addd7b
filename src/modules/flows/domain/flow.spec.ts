import { JobName } from 'src/common/jobs/job-catalogue';
import { Flow, flowOfOrderTopic, flowStates } from 'src/modules/flows/domain/flow';

describe(flowStates.name, () => {
  const pausedAt = new Date('2026-12-01T10:00:00Z');
  const schedules = new Map([
    [JobName.InventoryPushDelta, [{ job: JobName.InventoryPushDelta, cron: null, everyMs: 60_000, nextRunAt: null }]],
    [
      JobName.InventoryReconcile,
      [{ job: JobName.InventoryReconcile, cron: '*/15 * * * *', everyMs: null, nextRunAt: null }],
    ],
    [JobName.PruneHistory, [{ job: JobName.PruneHistory, cron: '17 3 * * *', everyMs: null, nextRunAt: null }]],
  ]);

  it('lists every flow once, paused where a pause is stored, with the schedules of its own jobs only', () => {
    const states = flowStates(
      's.myshopify.com',
      [{ shop: 's.myshopify.com', flow: Flow.Inventory, pausedAt, pausedBy: 'ops', reason: null }],
      schedules,
    );
    expect(states.map((s) => [s.flow, s.paused, s.trigger, s.schedule.map((e) => e.job)])).toEqual([
      ['orders', false, 'continuous', []],
      ['refunds', false, 'continuous', []],
      ['products', false, 'scheduled', []],
      ['inventory', true, 'scheduled', ['inventory.push-delta', 'inventory.reconcile']],
      ['fulfilments', false, 'scheduled', []],
      ['order-reconciliation', false, 'scheduled', []],
      ['payouts', false, 'scheduled', []],
    ]);
    expect(states[3]).toMatchObject({ pausedAt, pausedBy: 'ops', reason: null });
  });

  it('pauses refunds apart from the orders they travel with', () => {
    expect(['orders/create', 'orders/updated', 'orders/cancelled', 'refunds/create'].map(flowOfOrderTopic)).toEqual([
      Flow.Orders,
      Flow.Orders,
      Flow.Orders,
      Flow.Refunds,
    ]);
  });
});
