import { ErrorKind } from 'src/common/errors/app-error';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpCustomerDraft, ErpRecordRef, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';
import { giftCardTenderDrafts, moneyTableDrafts, NON_PRODUCT_ITEMS } from 'test/contract/money-table';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { directErpContext } from 'test/support/direct-erp-context';

const customer: ErpCustomerDraft = { externalId: 'C-1', email: 'ana@example.com', lastName: 'Diaz', currency: 'EUR' };
const customerRef: ErpRecordRef = { erpId: '1', externalId: 'C-1' };

function orderDraft(overrides: Partial<ErpSalesOrderDraft> = {}): ErpSalesOrderDraft {
  return {
    externalId: '6004604174410',
    reference: '#1001',
    orderDate: '2026-10-05T19:09:47+02:00',
    sourceUpdatedAt: '2026-10-05T19:09:49+02:00',
    currency: 'EUR',
    taxesIncluded: true,
    status: 'open',
    customerExternalId: 'C-1',
    lines: [
      {
        externalLineId: 'L-1',
        sku: 'SKU-0001',
        description: 'T-Shirt',
        quantity: 2,
        unitPrice: '44.50',
        discountAmount: '5.00',
        taxAmount: '14.58',
        lineTotal: '84.00',
        taxLines: [],
      },
    ],
    shippingLines: [],
    discountCodes: [],
    subtotal: '84.00',
    discountTotal: '5.00',
    shippingTotal: '0.00',
    taxTotal: '14.58',
    total: '84.00',
    ...overrides,
  };
}

/** Settles every promise and returns the ErpErrors among the failures (anything else fails the test). */
async function erpFailures(promises: Array<Promise<unknown>>): Promise<{ ok: number; errors: ErpError[] }> {
  const results = await Promise.allSettled(promises);
  const errors = results
    .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
    .map((result) => result.reason as unknown);
  for (const error of errors) {
    expect(error).toBeInstanceOf(ErpError);
  }
  return { ok: results.length - errors.length, errors: errors as ErpError[] };
}

async function expectErpError(promise: Promise<unknown>): Promise<ErpError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ErpError);
  return error as ErpError;
}

describe(SandboxErpServer.name, () => {
  let sandbox: SandboxErpServer;
  let baseUrl: string;
  let connector: SandboxErpConnector;

  beforeAll(async () => {
    sandbox = new SandboxErpServer({ latencyMs: 5, latencyJitterMs: 2 });
    baseUrl = `http://127.0.0.1:${await sandbox.listen()}`;
    connector = new SandboxErpConnector({ baseUrl }, directErpContext(2_000));
  });

  afterAll(async () => {
    await sandbox.close();
  });

  beforeEach(() => {
    sandbox.reset({ resetConfig: true, resetCatalog: true });
  });

  describe('upserts', () => {
    it('keeps one record per external id: created, then updated, same internal id', async () => {
      const first = await connector.upsertSalesOrder(orderDraft(), customerRef);
      const second = await connector.upsertSalesOrder(
        orderDraft({ sourceUpdatedAt: '2026-10-05T19:15:00+02:00', note: 'gift' }),
        customerRef,
      );

      expect(second).toEqual(first);
      expect(first).toEqual({ erpId: '1', externalId: '6004604174410', documentNumber: 'SO1' });
      const { ledger, salesOrders, counts } = sandbox.snapshot();
      expect(counts.salesOrders).toBe(1);
      expect(ledger.map((e) => [e.externalId, e.internalId, e.created])).toEqual([
        ['6004604174410', '1', true],
        ['6004604174410', '1', false],
      ]);
      expect(ledger[0]?.payloadHash).not.toBe(ledger[1]?.payloadHash);
      expect(salesOrders[0]).toMatchObject({
        internalId: '1',
        writeCount: 2,
        memo: 'gift',
        custbody_source_updated_at: '2026-10-05T19:15:00+02:00',
      });
    });

    it('numbers internal ids per record type and reads records back by external id', async () => {
      expect(await connector.upsertCustomer(customer)).toEqual({ erpId: '1', externalId: 'C-1' });
      expect(await connector.upsertCustomer({ ...customer, externalId: 'C-2' })).toEqual({
        erpId: '2',
        externalId: 'C-2',
      });
      await connector.upsertSalesOrder(orderDraft(), customerRef);

      const found = await fetch(`${baseUrl}/services/rest/record/v1/salesOrder/eid:6004604174410`);
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ id: '1', tranId: '#1001', status: 'open', total: 84 });

      const missing = await fetch(`${baseUrl}/services/rest/record/v1/salesOrder/eid:nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'NONEXISTENT_ID' }] });
    });

    it('round-trips an external id that needs escaping', async () => {
      const externalId = 'email:a+b@example.com/x y';
      expect(await connector.upsertCustomer({ ...customer, externalId })).toMatchObject({ externalId, erpId: '1' });
      expect(sandbox.snapshot().customers[0]?.externalId).toBe(externalId);
    });

    it('creates an unknown order already cancelled when the cancel comes first', async () => {
      const ref = await connector.cancelSalesOrder(orderDraft({ status: 'open' }), customerRef);
      const { ledger } = sandbox.snapshot();
      expect(ledger).toEqual([expect.objectContaining({ internalId: ref.erpId, created: true, status: 'cancelled' })]);
    });
  });

  describe('validation', () => {
    it('rejects an unknown SKU as Permanent with NetSuite detail, committing nothing', async () => {
      const draft = orderDraft();
      draft.lines[0] = { ...draft.lines[0], sku: 'NOPE-1' };

      const error = await expectErpError(connector.upsertSalesOrder(draft, customerRef));

      expect(error).toMatchObject({
        kind: ErrorKind.Permanent,
        message: "Invalid value for field 'item': unknown item SKU 'NOPE-1' (o:errorPath item)",
        code: 'INVALID_KEY_OR_REF',
        details: { httpStatus: 400 },
      });
      expect(sandbox.snapshot().ledger).toHaveLength(0);
    });

    it('accepts the SKU once the control API adds it to the catalog', async () => {
      const draft = orderDraft();
      draft.lines[0] = { ...draft.lines[0], sku: 'TSHIRT-BLK-M' };
      const added = await fetch(`${baseUrl}/_control/items`, {
        method: 'POST',
        body: JSON.stringify({ skus: ['TSHIRT-BLK-M'] }),
      });
      expect(await added.json()).toEqual({ added: 1, catalogSize: 501 });
      await expect(connector.upsertSalesOrder(draft, customerRef)).resolves.toMatchObject({ erpId: '1' });
    });

    it('answers malformed JSON with 400 INVALID_CONTENT', async () => {
      const response = await fetch(`${baseUrl}/services/rest/record/v1/salesOrder/eid:1`, {
        method: 'PUT',
        body: '{"externalId":',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
        title: 'Bad Request',
        status: 400,
        'o:errorDetails': [
          { detail: 'Invalid content in the request body: malformed JSON.', 'o:errorCode': 'INVALID_CONTENT' },
        ],
      });
    });
  });

  describe('authentication', () => {
    it('rejects a wrong token as Auth without echoing it, and accepts the right one', async () => {
      sandbox.configure({ authToken: 'right-token' });
      const wrong = new SandboxErpConnector({ baseUrl, authToken: 'wrong-token' }, directErpContext(2_000));
      const right = new SandboxErpConnector({ baseUrl, authToken: 'right-token' }, directErpContext(2_000));

      const error = await expectErpError(wrong.upsertCustomer(customer));
      expect(error).toMatchObject({ kind: ErrorKind.Auth, code: 'INVALID_LOGIN_ATTEMPT' });
      expect(JSON.stringify({ m: error.message, d: error.details })).not.toMatch(/wrong-token|right-token/);
      await expect(connector.checkConnection()).rejects.toMatchObject({ kind: ErrorKind.Auth });
      await expect(right.upsertCustomer(customer)).resolves.toMatchObject({ erpId: '1' });
      expect(sandbox.state().stats.counters.unauthorized401).toBe(2);
    });
  });

  describe('load', () => {
    it('answers 429 with Retry-After beyond the concurrency limit, at once', async () => {
      sandbox.configure({ concurrencyLimit: 5, latencyMs: 200, latencyJitterMs: 0, retryAfterSeconds: 2 });
      const started = Date.now();
      const calls = Array.from({ length: 8 }, (_, i) =>
        connector.upsertCustomer({ ...customer, externalId: `C-${i}` }),
      );

      const { ok, errors } = await erpFailures(calls);

      expect(ok).toBe(5);
      expect(errors).toHaveLength(3);
      for (const error of errors) {
        expect(error).toMatchObject({
          kind: ErrorKind.Throttled,
          code: 'CONCURRENCY_LIMIT_EXCEEDED',
          details: { httpStatus: 429, retryAfterMs: 2_000 },
        });
      }
      expect(Date.now() - started).toBeLessThan(1_500);
      const { stats, ledger } = sandbox.snapshot();
      expect(stats.counters.throttled429).toBe(3);
      expect(stats.peakConcurrency).toBe(5);
      expect(ledger).toHaveLength(5);
    });

    it('sends the NetSuite-style 429 answer', async () => {
      sandbox.configure({ concurrencyLimit: 0, retryAfterSeconds: 1 });
      const response = await fetch(`${baseUrl}/services/rest/record/v1/metadata-catalog`);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({
        title: 'Too Many Requests',
        status: 429,
        'o:errorDetails': [{ 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }],
      });
    });

    it('never lets accepted concurrency exceed the limit', async () => {
      sandbox.configure({ concurrencyLimit: 3, latencyMs: 30, latencyJitterMs: 10 });
      const calls = Array.from({ length: 20 }, (_, i) =>
        connector.upsertSalesOrder(orderDraft({ externalId: `O-${i}` }), customerRef),
      );

      const { ok, errors } = await erpFailures(calls);

      const { stats, ledger } = sandbox.snapshot();
      expect(ok + errors.length).toBe(20);
      expect(errors.every((e) => e.kind === ErrorKind.Throttled)).toBe(true);
      expect(stats.peakConcurrency).toBeLessThanOrEqual(3);
      expect(Math.max(...ledger.map((e) => e.inFlightAtStart))).toBeLessThanOrEqual(3);
      expect(stats.counters.ok).toBe(ok);
      expect(stats.perSecond.reduce((sum, s) => sum + s.accepted, 0)).toBe(ok);
      expect(stats.inFlight).toBe(0);
    });
  });

  describe('faults', () => {
    it('maintenance 503 → Transient without Retry-After, nothing committed', async () => {
      sandbox.configure({ maintenance: '503' });
      const error = await expectErpError(connector.upsertSalesOrder(orderDraft(), customerRef));
      expect(error).toMatchObject({ kind: ErrorKind.Transient, details: { httpStatus: 503 } });
      expect(error.details.retryAfterMs).toBeUndefined();
      await expect(connector.checkConnection()).rejects.toMatchObject({ kind: ErrorKind.Transient });
      expect(sandbox.snapshot().ledger).toHaveLength(0);
    });

    it('maintenance refuse → the connection is reset, Transient', async () => {
      sandbox.configure({ maintenance: 'refuse' });
      const error = await expectErpError(connector.upsertSalesOrder(orderDraft(), customerRef));
      expect(error.kind).toBe(ErrorKind.Transient);
      expect(sandbox.state().stats.counters.refused).toBeGreaterThanOrEqual(1);
      sandbox.configure({ maintenance: 'off' });
      await expect(connector.checkConnection()).resolves.toBeUndefined();
    });

    it('maintenance hang → the client times out (Transient); leaving hang answers held requests 503', async () => {
      sandbox.configure({ maintenance: 'hang' });
      const impatient = new SandboxErpConnector({ baseUrl }, directErpContext(300));
      const error = await expectErpError(impatient.upsertSalesOrder(orderDraft(), customerRef));
      expect(error).toMatchObject({ kind: ErrorKind.Transient, code: 'TIMEOUT' });

      const held = fetch(`${baseUrl}/services/rest/record/v1/metadata-catalog`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      sandbox.configure({ maintenance: 'off' });
      expect((await held).status).toBe(503);

      await expect(impatient.upsertSalesOrder(orderDraft(), customerRef)).resolves.toMatchObject({ erpId: '1' });
      expect(sandbox.state().stats.counters.hung).toBe(2);
    });

    it('commit-then-drop → the write is in the ledger, the client sees Transient, a retry updates it', async () => {
      sandbox.configure({ commitThenDropRate: 1 });
      const error = await expectErpError(connector.upsertSalesOrder(orderDraft(), customerRef));
      expect(error.kind).toBe(ErrorKind.Transient);
      expect(sandbox.snapshot().ledger).toEqual([
        expect.objectContaining({ externalId: '6004604174410', created: true, responseDropped: true }),
      ]);

      sandbox.configure({ commitThenDropRate: 0 });
      const ref = await connector.upsertSalesOrder(orderDraft(), customerRef);
      const { ledger, counts, stats } = sandbox.snapshot();
      expect(counts.salesOrders).toBe(1);
      expect(ledger[1]).toMatchObject({ internalId: ref.erpId, created: false, responseDropped: false });
      expect(ledger[1]?.payloadHash).toBe(ledger[0]?.payloadHash);
      expect(stats.counters.dropped).toBe(1);
    });

    it('errorRate 1 → 500 without committing, Transient', async () => {
      sandbox.configure({ errorRate: 1 });
      const error = await expectErpError(connector.upsertCustomer(customer));
      expect(error).toMatchObject({
        kind: ErrorKind.Transient,
        code: 'UNEXPECTED_ERROR',
        details: { httpStatus: 500 },
      });
      expect(sandbox.snapshot().ledger).toHaveLength(0);
    });

    it('an unreachable sandbox (connection refused) → Transient', async () => {
      const closed = new SandboxErpServer();
      const port = await closed.listen();
      await closed.close();
      const nowhere = new SandboxErpConnector({ baseUrl: `http://127.0.0.1:${port}` }, directErpContext(1_000));
      await expect(nowhere.checkConnection()).rejects.toMatchObject({
        kind: ErrorKind.Transient,
        code: 'ECONNREFUSED',
      });
    });
  });

  describe('answers outside the upsert path', () => {
    it('405 with Allow, 413 in NetSuite shape, and a plain 404 outside the record API that is no record request', async () => {
      const patch = await fetch(`${baseUrl}/services/rest/record/v1/customer/eid:C-1`, { method: 'PATCH', body: '{}' });
      expect(patch.status).toBe(405);
      expect(patch.headers.get('allow')).toBe('GET, PUT');

      const huge = await fetch(`${baseUrl}/services/rest/record/v1/customer/eid:C-1`, {
        method: 'PUT',
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
      });
      expect(huge.status).toBe(413);
      expect(await huge.json()).toMatchObject({
        title: 'Content Too Large',
        'o:errorDetails': [{ 'o:errorCode': 'INVALID_CONTENT' }],
      });

      const elsewhere = await fetch(`${baseUrl}/not-netsuite`);
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.json()).toEqual({ error: 'no route for GET /not-netsuite' });
      expect(sandbox.state().stats).toMatchObject({ requests: 1, counters: { otherClientError: 2, notFound404: 0 } });
    });
  });

  describe('control API', () => {
    async function control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<[number, any]> {
      const response = await fetch(`${baseUrl}/_control/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return [response.status, await response.json()];
    }

    it('reads and changes config, lists orders and the ledger, and resets', async () => {
      const [status, config] = await control('POST', 'config', { concurrencyLimit: 7, maintenance: 'off' });
      expect(status).toBe(200);
      expect(config).toMatchObject({ concurrencyLimit: 7, authRequired: false });

      await connector.upsertCustomer(customer);
      await connector.upsertSalesOrder(orderDraft(), customerRef);
      const [, state] = await control('GET', 'state');
      expect(state).toMatchObject({
        config: { concurrencyLimit: 7 },
        stats: { counters: { ok: 2, created: 2 }, inFlight: 0, requests: 2 },
        counts: { customers: 1, salesOrders: 1 },
      });
      const [, orders] = await control('GET', 'orders');
      expect(orders).toEqual([
        expect.objectContaining({ externalId: '6004604174410', internalId: '1', writeCount: 1, status: 'open' }),
      ]);
      const [, ledger] = await control('GET', 'ledger?afterSeq=1');
      expect(ledger).toEqual([expect.objectContaining({ seq: 2, type: 'salesOrder' })]);

      const [, afterReset] = await control('POST', 'reset');
      expect(afterReset).toMatchObject({ config: { concurrencyLimit: 7 }, counts: { customers: 0, salesOrders: 0 } });
      const [, restored] = await control('POST', 'reset', { resetConfig: true });
      expect(restored.config.concurrencyLimit).toBe(5);
    });

    it('rejects invalid settings with 400 and keeps the config', async () => {
      const [status, body] = await control('POST', 'config', { errorRate: 2, bogus: true });
      expect(status).toBe(400);
      expect(body.error).toMatch(/errorRate.*bogus/);
      expect(sandbox.state().config.errorRate).toBe(0);
    });

    it('keeps added SKUs across a plain reset and drops them with resetCatalog', async () => {
      await control('POST', 'items', { skus: ['EXTRA-1'] });
      const [, kept] = await control('POST', 'reset');
      expect(kept.catalogSize).toBe(501);
      const [status, dropped] = await control('POST', 'reset', { resetCatalog: true, bogus: 1 });
      expect(status).toBe(400);
      expect(dropped.error).toMatch(/resetCatalog/);
      const [, cleared] = await control('POST', 'reset', { resetCatalog: true });
      expect(cleared.catalogSize).toBe(500);
    });

    it('never shows the auth token', async () => {
      sandbox.configure({ authToken: 'hidden-token' });
      const [, state] = await control('GET', 'state');
      expect(state.config.authRequired).toBe(true);
      expect(JSON.stringify(state)).not.toContain('hidden-token');
    });
  });

  describe('B2B orders', () => {
    it('keeps each company location under its company, with the PO number and the payment terms', async () => {
      sandbox.addItems(NON_PRODUCT_ITEMS.map((item) => item.sku));
      const b2b = moneyTableDrafts().filter(({ customer: buyer }) => buyer.parentCompany !== undefined);
      expect(b2b.length).toBeGreaterThanOrEqual(3);
      for (const { customer: buyer, salesOrder } of b2b) {
        await connector.upsertSalesOrder(salesOrder, await connector.upsertCustomer(buyer));
      }
      const { customers: storedCustomers, salesOrders } = sandbox.snapshot();
      const customers = new Map(storedCustomers.map((c) => [c.externalId, c]));
      const orders = new Map(salesOrders.map((o) => [o.externalId, o]));
      for (const { customer: buyer, salesOrder } of b2b) {
        expect(customers.get(buyer.parentCompany!.externalId)).toMatchObject({
          isPerson: false,
          companyName: 'Acme Retail Ltd',
        });
        expect(customers.get(buyer.externalId)).toMatchObject({
          isPerson: false,
          companyName: 'Acme Retail Ltd',
          parent: { externalId: buyer.parentCompany!.externalId },
        });
        expect(customers.get(buyer.externalId)).not.toHaveProperty('email');
        expect(orders.get(salesOrder.externalId)).toMatchObject({
          custbody_payment_terms: salesOrder.paymentTerms?.name,
        });
        expect(orders.get(salesOrder.externalId)?.otherRefNum).toBe(salesOrder.purchaseOrderNumber);
      }
      // Two locations of one company: two customers under the one company customer.
      expect(customers.get('company-location-88001')?.parent).toEqual({ externalId: 'company-4501' });
      expect(customers.get('company-location-88002')?.parent).toEqual({ externalId: 'company-4501' });
    });
  });

  describe('the money fixture table', () => {
    it('keeps Shopify total as the document total, with the shop total and exchange rate of Markets orders', async () => {
      sandbox.addItems(NON_PRODUCT_ITEMS.map((item) => item.sku));
      const drafts = moneyTableDrafts();
      for (const { customer: buyer, salesOrder } of drafts) {
        await connector.upsertSalesOrder(salesOrder, await connector.upsertCustomer(buyer));
      }
      const stored = new Map(sandbox.snapshot().salesOrders.map((order) => [order.externalId, order]));
      for (const { salesOrder } of drafts) {
        const currencies = salesOrder.currencies;
        expect(stored.get(salesOrder.externalId)).toMatchObject({
          currency: salesOrder.currency,
          total: Number(salesOrder.total),
          exchangeRate: salesOrder.currency === currencies?.shopCurrency ? 1 : Number(currencies?.exchangeRate),
          custbody_shop_currency: currencies?.shopCurrency,
          custbody_shop_total: Number(currencies?.shopTotal),
        });
      }
    });

    it('records the gift card tenders as customer deposits against their orders, once each', async () => {
      sandbox.addItems(NON_PRODUCT_ITEMS.map((item) => item.sku));
      const cases = giftCardTenderDrafts({ gift_card: '8' });
      expect(cases.length).toBeGreaterThanOrEqual(3);
      for (const { customer: buyer, salesOrder, payments } of cases) {
        const buyerRef = await connector.upsertCustomer(buyer);
        const order = await connector.upsertSalesOrder(salesOrder, buyerRef);
        const first = await connector.recordPayments(payments);
        expect(await connector.recordPayments(payments)).toEqual(first);
        for (const payment of payments) {
          const stored = await fetch(
            `${baseUrl}/services/rest/record/v1/customerDeposit/eid:shopify-tx-${payment.externalId}`,
          );
          expect(await stored.json()).toMatchObject({
            salesOrder: { externalId: order.externalId },
            payment: Number(payment.amount),
            paymentMethod: { id: '8' },
            currency: salesOrder.currency,
          });
        }
      }
      const deposits = sandbox.snapshot().ledger.filter((e) => e.type === 'customerDeposit');
      expect(deposits.filter((e) => e.created)).toHaveLength(cases.length);
      expect(deposits).toHaveLength(cases.length * 2);
    });

    it('refuses a deposit for an order the sandbox does not hold, writing nothing', async () => {
      const [{ payments }] = giftCardTenderDrafts({ gift_card: '' }) as [
        ReturnType<typeof giftCardTenderDrafts>[number],
      ];
      const error = await expectErpError(connector.recordPayments(payments));
      expect(error.kind).toBe(ErrorKind.Permanent);
      expect(sandbox.snapshot().ledger).toEqual([]);
    });
  });
});
