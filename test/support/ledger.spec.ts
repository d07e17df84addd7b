import {
  checkLedger,
  classifyStatus,
  type ErpLedgerEntry,
  type ErpOrderRecord,
  formatLedgerVerdict,
  type GeneratedEvent,
  type LedgerInput,
  normaliseOrderId,
} from 'test/support/ledger';

const T1 = '2026-10-01T10:00:00.000Z';
const T2 = '2026-10-01T10:05:00.000Z';

function event(orderId: string, overrides: Partial<GeneratedEvent> = {}): GeneratedEvent {
  return {
    orderId,
    eventId: `e-${orderId}-${overrides.updatedAt ?? T1}`,
    webhookId: `w-${orderId}-${overrides.updatedAt ?? T1}`,
    topic: 'orders/create',
    updatedAt: T1,
    expectedStatus: 'open',
    validSkus: true,
    ...overrides,
  };
}

function order(externalId: string, overrides: Partial<ErpOrderRecord> = {}): ErpOrderRecord {
  return { externalId, status: 'open', custbody_source_updated_at: T1, writeCount: 1, ...overrides };
}

let seq = 0;
function write(externalId: string, overrides: Partial<ErpLedgerEntry> = {}): ErpLedgerEntry {
  return {
    seq: ++seq,
    type: 'salesOrder',
    externalId,
    created: true,
    status: 'open',
    sourceUpdatedAt: T1,
    ...overrides,
  };
}

/** A clean run of orders 1..n: each accepted once and written once. */
function cleanRun(n: number): LedgerInput {
  const ids = Array.from({ length: n }, (_, i) => String(i + 1));
  return {
    events: ids.map((id) => event(id)),
    finalStatuses: ids.map(() => 200),
    erpOrders: ids.map((id) => order(id)),
    erpLedger: ids.flatMap((id) => [{ seq: ++seq, type: 'customer', externalId: `c-${id}`, created: true }, write(id)]),
    deadLetteredOrderIds: [],
  };
}

describe(checkLedger.name, () => {
  it('passes a clean run and balances sent = accepted + rejected + failed', () => {
    const r = checkLedger(cleanRun(3));
    expect(r).toMatchObject({
      verdict: 'pass',
      ok: true,
      sent: 3,
      accepted: 3,
      rejected: 0,
      failed: 0,
      balanced: true,
    });
    expect(r.orders).toEqual({ sent: 3, expectedInErp: 3, expectedDeadLettered: 0, inErp: 3 });
    expect(r.problems).toEqual([]);
  });

  it('declares a run with an unresolved delivery void, never pass', () => {
    const input = cleanRun(3);
    const r = checkLedger({ ...input, finalStatuses: [200, undefined, 200] });
    expect(r.verdict).toBe('void');
    expect(r.ok).toBe(false);
    expect(r.balanced).toBe(false);
    expect(r.unresolved).toBe(1);
  });

  it('declares a run with fewer outcomes than events void', () => {
    const input = cleanRun(3);
    expect(checkLedger({ ...input, finalStatuses: [200, 200] }).verdict).toBe('void');
  });

  it('reports an accepted order missing from the ERP as lost', () => {
    const input = cleanRun(3);
    const r = checkLedger({ ...input, erpOrders: input.erpOrders.slice(0, 2) });
    expect(r.verdict).toBe('fail');
    expect(r.lost).toEqual(['3']);
  });

  it('does not count a failed (never accepted) order as lost', () => {
    const input = cleanRun(2);
    const r = checkLedger({ ...input, finalStatuses: [200, 0], erpOrders: [order('1')], erpLedger: [write('1')] });
    expect(r).toMatchObject({ verdict: 'pass', accepted: 1, failed: 1, lost: [] });
  });

  it('accepts a failed delivery that was made durable anyway (the ack was lost, not the event)', () => {
    const input = cleanRun(2);
    expect(checkLedger({ ...input, finalStatuses: [200, 503] }).verdict).toBe('pass');
  });

  it('flags two ERP records for one order as duplicated', () => {
    const input = cleanRun(2);
    const r = checkLedger({ ...input, erpOrders: [...input.erpOrders, order('2')] });
    expect(r.duplicatedRecords).toEqual(['2']);
    expect(r.verdict).toBe('fail');
  });

  it('flags two "created" writes for one external id as duplicated even if the ERP shows one record', () => {
    const input = cleanRun(2);
    const r = checkLedger({ ...input, erpLedger: [...input.erpLedger, write('1', { sourceUpdatedAt: T2 })] });
    expect(r.duplicatedRecords).toEqual(['1']);
  });

  it('checks the final state against the latest accepted event, whatever the arrival order', () => {
    const events = [
      event('9', { updatedAt: T2, expectedStatus: 'cancelled', topic: 'orders/cancelled' }),
      event('9', { updatedAt: T1 }),
    ];
    const base = { events, finalStatuses: [200, 200], erpLedger: [write('9')], deadLetteredOrderIds: [] };
    expect(
      checkLedger({ ...base, erpOrders: [order('9', { status: 'cancelled', custbody_source_updated_at: T2 })] })
        .verdict,
    ).toBe('pass');
    const stale = checkLedger({ ...base, erpOrders: [order('9')] });
    expect(stale.notLatest).toEqual([
      { orderId: '9', expected: { status: 'cancelled', updatedAt: T2 }, actual: { status: 'open', updatedAt: T1 } },
    ]);
  });

  it("reads a vendor simulator's sourceUpdatedAt like the sandbox's custbody field", () => {
    const events = [event('9'), event('9', { updatedAt: T2, expectedStatus: 'cancelled' })];
    const base = { events, finalStatuses: [200, 200], erpLedger: [write('9')], deadLetteredOrderIds: [] };
    const simulated = (sourceUpdatedAt: string | null): ErpOrderRecord => ({
      externalId: '9',
      status: 'cancelled',
      sourceUpdatedAt,
    });
    expect(checkLedger({ ...base, erpOrders: [simulated(T2)] }).verdict).toBe('pass');
    expect(checkLedger({ ...base, erpOrders: [simulated(T1)] }).notLatest).toEqual([
      {
        orderId: '9',
        expected: { status: 'cancelled', updatedAt: T2 },
        actual: { status: 'cancelled', updatedAt: T1 },
      },
    ]);
    expect(checkLedger({ ...base, erpOrders: [simulated(null)] }).verdict).toBe('fail');
  });

  it('with cancelKeepsStamp, judges a cancelled record by its status and an earlier-or-equal stamp', () => {
    const events = [event('9'), event('9', { updatedAt: T2, expectedStatus: 'cancelled', topic: 'orders/cancelled' })];
    const base = { events, finalStatuses: [200, 200], erpLedger: [write('9')], deadLetteredOrderIds: [] };
    const voided = order('9', { status: 'cancelled', custbody_source_updated_at: T1 });
    expect(checkLedger({ ...base, erpOrders: [voided] }).verdict).toBe('fail');
    expect(checkLedger({ ...base, erpOrders: [voided] }, { cancelKeepsStamp: true }).verdict).toBe('pass');
    // Still not the latest state: open, or a stamp later than the cancel.
    expect(checkLedger({ ...base, erpOrders: [order('9')] }, { cancelKeepsStamp: true }).notLatest).toHaveLength(1);
    const later = order('9', { status: 'cancelled', custbody_source_updated_at: '2026-10-01T11:00:00.000Z' });
    expect(checkLedger({ ...base, erpOrders: [later] }, { cancelKeepsStamp: true }).notLatest).toHaveLength(1);
  });

  it('ignores a later event that was rejected when deciding the latest state', () => {
    const events = [event('9'), event('9', { updatedAt: T2, expectedStatus: 'cancelled' })];
    const r = checkLedger({
      events,
      finalStatuses: [200, 401],
      erpOrders: [order('9')],
      erpLedger: [write('9')],
      deadLetteredOrderIds: [],
    });
    expect(r).toMatchObject({ verdict: 'pass', accepted: 1, rejected: 1 });
  });

  it('compares timestamps as instants, not strings', () => {
    const input = cleanRun(1);
    const r = checkLedger({
      ...input,
      erpOrders: [order('1', { custbody_source_updated_at: '2026-10-01T06:00:00-04:00' })],
    });
    expect(r.verdict).toBe('pass');
  });

  it('reports ERP orders that were never sent as unexpected', () => {
    const input = cleanRun(1);
    const r = checkLedger({ ...input, erpOrders: [...input.erpOrders, order('77')] });
    expect(r.unexpected).toEqual(['77']);
    expect(r.verdict).toBe('fail');
  });

  it('reports an order in the ERP whose every delivery was rejected', () => {
    const input = cleanRun(2);
    const r = checkLedger({ ...input, finalStatuses: [200, 401] });
    expect(r.rejectedInErp).toEqual(['2']);
    expect(r.verdict).toBe('fail');
  });

  it('expects invalid-SKU orders in the dead letters, not in the ERP', () => {
    const events = [event('1'), event('2', { validSkus: false })];
    const ok = checkLedger({
      events,
      finalStatuses: [200, 200],
      erpOrders: [order('1')],
      erpLedger: [write('1')],
      deadLetteredOrderIds: ['gid://shopify/Order/2'],
    });
    expect(ok).toMatchObject({ verdict: 'pass', lost: [] });
    expect(ok.orders).toMatchObject({ expectedInErp: 1, expectedDeadLettered: 1 });

    const notDead = checkLedger({
      events,
      finalStatuses: [200, 200],
      erpOrders: [order('1'), order('2')],
      erpLedger: [write('1'), write('2')],
      deadLetteredOrderIds: [],
    });
    expect(notDead.missingDeadLetters).toEqual(['2']);
    expect(notDead.invalidInErp).toEqual(['2']);
  });

  it('flags a valid order that ended in the dead letters (e.g. dead-lettered by an outage)', () => {
    const input = cleanRun(2);
    const r = checkLedger({ ...input, erpOrders: [order('1')], deadLetteredOrderIds: ['2'] });
    expect(r.unexpectedDeadLetters).toEqual(['2']);
    expect(r.lost).toEqual(['2']);
  });

  it('reports repeated identical writes, and fails on them only when strict', () => {
    const input = cleanRun(1);
    const repeated = { ...input, erpLedger: [...input.erpLedger, write('1', { created: false })] };
    const lenient = checkLedger(repeated);
    expect(lenient.verdict).toBe('pass');
    expect(lenient.repeatedWrites).toEqual([{ externalId: '1', sourceUpdatedAt: T1, status: 'open', count: 2 }]);
    expect(checkLedger(repeated, { strictWrites: true }).verdict).toBe('fail');
  });

  it('summarises itself on one line', () => {
    expect(formatLedgerVerdict(checkLedger(cleanRun(2)))).toBe(
      'PASS — 2 sent = 2 accepted + 0 rejected + 0 failed; 0 lost, 0 duplicated, 0 not latest, 0 unexpected, 0 repeated writes',
    );
  });
});

describe(classifyStatus.name, () => {
  it.each([
    [200, 'accepted'],
    [204, 'accepted'],
    [401, 'rejected'],
    [413, 'rejected'],
    [500, 'failed'],
    [503, 'failed'],
    [0, 'failed'],
    [undefined, 'unresolved'],
  ] as const)('classifies %p as %p', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome);
  });
});

describe(normaliseOrderId.name, () => {
  it('treats a GraphQL gid and the numeric id as the same order', () => {
    expect(normaliseOrderId('gid://shopify/Order/6004604174410')).toBe('6004604174410');
    expect(normaliseOrderId(6004604174410)).toBe('6004604174410');
  });
});
