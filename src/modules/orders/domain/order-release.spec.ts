import {
  decideFirstWrite,
  decideOrderTrigger,
  orderReleaseFactsOf,
  type OrderReleaseFacts,
} from 'src/modules/orders/domain/order-release';

const facts = (overrides: Partial<OrderReleaseFacts> = {}): OrderReleaseFacts => ({
  financialStatus: 'pending',
  fulfillmentStatus: null,
  cancelled: false,
  ...overrides,
});

describe(decideOrderTrigger.name, () => {
  it.each([
    ['created', facts(), true],
    ['paid', facts({ financialStatus: 'pending' }), false],
    ['paid', facts({ financialStatus: 'authorized' }), false],
    ['paid', facts({ financialStatus: 'voided' }), false],
    ['paid', facts({ financialStatus: null }), false],
    ['paid', facts({ financialStatus: 'paid' }), true],
    ['paid', facts({ financialStatus: 'partially_paid' }), true],
    ['paid', facts({ financialStatus: 'partially_refunded' }), true],
    ['paid', facts({ financialStatus: 'refunded' }), true],
    ['fulfilled', facts({ financialStatus: 'paid' }), false],
    ['fulfilled', facts({ fulfillmentStatus: 'restocked' }), false],
    ['fulfilled', facts({ fulfillmentStatus: 'partial' }), true],
    ['fulfilled', facts({ fulfillmentStatus: 'fulfilled' }), true],
  ] as const)('%s with %o → met %s', (trigger, given, met) => {
    expect(decideOrderTrigger(trigger, given).met).toBe(met);
  });

  it('says what the order waits for, in the audit’s words', () => {
    expect(decideOrderTrigger('paid', facts({ financialStatus: 'authorized' }))).toEqual({
      met: false,
      reason: 'waiting for trigger paid: financial_status authorized',
    });
    expect(decideOrderTrigger('fulfilled', facts())).toEqual({
      met: false,
      reason: 'waiting for trigger fulfilled: fulfillment_status unfulfilled',
    });
  });
});

describe(decideFirstWrite.name, () => {
  const base = { trigger: 'created' as const, holdHighRiskOrders: false, hold: null, facts: facts() };

  it("writes at once with the default settings (created, no hold): today's behaviour", () => {
    expect(decideFirstWrite(base)).toEqual({ action: 'write' });
    // A cancel of an order never written still goes to the ERP under `created`, as it always did.
    expect(decideFirstWrite({ ...base, facts: facts({ cancelled: true }) })).toEqual({ action: 'write' });
  });

  it('waits for the trigger, and checks the risk only once the trigger is met', () => {
    expect(decideFirstWrite({ ...base, trigger: 'paid', holdHighRiskOrders: true })).toMatchObject({ action: 'wait' });
    expect(
      decideFirstWrite({
        ...base,
        trigger: 'paid',
        holdHighRiskOrders: true,
        facts: facts({ financialStatus: 'paid' }),
      }),
    ).toEqual({ action: 'check-risk' });
  });

  it('never writes an order cancelled before a paid or fulfilled trigger', () => {
    expect(decideFirstWrite({ ...base, trigger: 'paid', facts: facts({ cancelled: true }) })).toEqual({
      action: 'skip-cancelled',
      reason: 'cancelled before trigger paid: never written to the ERP',
    });
    // Paid, then cancelled before anything was written: it met the trigger, so it goes (as a cancelled order).
    expect(
      decideFirstWrite({ ...base, trigger: 'paid', facts: facts({ cancelled: true, financialStatus: 'refunded' }) }),
    ).toEqual({ action: 'write' });
  });

  it("follows an operator's decision on a hold before the trigger and the risk", () => {
    const waiting = { ...base, trigger: 'fulfilled' as const, holdHighRiskOrders: true };
    expect(decideFirstWrite({ ...waiting, hold: 'held' })).toEqual({ action: 'keep-held' });
    expect(decideFirstWrite({ ...waiting, hold: 'cancelled' })).toEqual({ action: 'hold-cancelled' });
    // Released: written as if the trigger had just fired, without asking for the risk again.
    expect(decideFirstWrite({ ...waiting, hold: 'released' })).toEqual({ action: 'write' });
  });
});

describe(orderReleaseFactsOf.name, () => {
  it('reads the statuses and the cancellation of a REST order payload', () => {
    expect(
      orderReleaseFactsOf({
        financial_status: 'paid',
        fulfillment_status: 'partial',
        cancelled_at: '2026-12-01T10:00:00Z',
      }),
    ).toEqual({ financialStatus: 'paid', fulfillmentStatus: 'partial', cancelled: true });
    expect(orderReleaseFactsOf({ financial_status: '', fulfillment_status: null, cancelled_at: null })).toEqual({
      financialStatus: null,
      fulfillmentStatus: null,
      cancelled: false,
    });
  });
});
