import { generateKeyPairSync } from 'node:crypto';
import { ErrorKind } from 'src/common/errors/app-error';
import { NetsuiteConnector } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import { signNetsuitePush } from 'src/modules/erp/connectors/netsuite/netsuite.push';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ERP_CUSTOMER_NOT_FOUND, ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpCustomerDraft,
  ErpDeltaQuery,
  ErpDepositDraft,
  ErpRecordRef,
  ErpRefundDraft,
  ErpSalesOrderDraft,
} from 'src/modules/erp/port/erp.types';
import { withFreshCustomer } from 'src/modules/erp/writer/with-fresh-customer';
import {
  giftCardTenderDrafts,
  moneyTableDrafts,
  netOfAddedTax,
  NON_PRODUCT_ITEMS,
  shopifyTotalBeforeAddedTax,
} from 'test/contract/money-table';
import { returnDraft } from 'test/contract/return-drafts';
import type { SimulatorConfigPatch } from 'test/simulators/common/erp-simulator';
import { SIM_COMPARE_AT_PRICE_LEVEL } from 'test/simulators/common/simulated-catalog';
import { createNetsuiteSimulator, type NetsuiteSimulatorHandle } from 'test/simulators/netsuite/netsuite-simulator';
import { createErpTestContext } from 'test/support/erp-test-context';
import { fetchesDuring, requestLine } from 'test/support/fetch-recorder';

/**
 * Every ErpPort operation of the NetSuite connector, through the real connector over HTTP against the NetSuite
 * simulator (test/simulators/netsuite), on the real Redis gate and lock and the PostgreSQL SKU cross-reference.
 */

const BASE_CONFIG: SimulatorConfigPatch = {
  concurrencyLimit: 5,
  requestsPerMinute: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  retryAfterSeconds: 1,
  maintenance: 'off',
  commitThenDropRate: 0,
  errorRate: 0,
  rejectAuth: false,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function customerDraft(overrides: Partial<ErpCustomerDraft> = {}): ErpCustomerDraft {
  return {
    externalId: '7001',
    email: 'ana@example.com',
    firstName: 'Ana',
    lastName: 'Lima',
    currency: 'EUR',
    ...overrides,
  };
}

function orderDraft(externalId: string, overrides: Partial<ErpSalesOrderDraft> = {}): ErpSalesOrderDraft {
  return {
    externalId,
    reference: `#${externalId.slice(-4)}`,
    orderDate: '2026-10-05T19:09:48+02:00',
    sourceUpdatedAt: '2026-10-05T19:09:49+02:00',
    currency: 'EUR',
    taxesIncluded: true,
    status: 'open',
    financialStatus: 'paid',
    customerExternalId: '7001',
    email: 'ana@example.com',
    shippingAddress: { name: 'Ana Lima', line1: 'Rua 1', city: 'Lisboa', postalCode: '1000-001', countryCode: 'PT' },
    lines: [
      {
        externalLineId: `${externalId}-1`,
        sku: 'SKU-0001',
        description: 'Item 1',
        quantity: 2,
        unitPrice: '44.50',
        discountAmount: '5.00',
        taxAmount: '15.67',
        lineTotal: '84.00',
        taxLines: [{ title: 'IVA', rate: 0.23, amount: '15.67' }],
      },
      {
        externalLineId: `${externalId}-2`,
        sku: 'SKU-0002',
        description: 'Item 2',
        quantity: 1,
        unitPrice: '10.00',
        discountAmount: '0.00',
        taxAmount: '1.87',
        lineTotal: '10.00',
        taxLines: [],
      },
    ],
    shippingLines: [
      { code: 'std', description: 'Standard', amount: '10.00', discountAmount: '0.00', taxAmount: '0.00' },
    ],
    discountCodes: ['WELCOME5'],
    subtotal: '94.00',
    discountTotal: '5.00',
    shippingTotal: '10.00',
    taxTotal: '17.54',
    total: '104.00',
    ...overrides,
  };
}

function refundDraft(externalId: string, orderExternalId: string): ErpRefundDraft {
  return {
    externalId,
    orderExternalId,
    orderReference: '#1019',
    customerExternalId: '7001',
    refundDate: '2026-10-07T10:00:00+02:00',
    currency: 'EUR',
    lines: [
      {
        externalLineId: `${externalId}-1`,
        orderLineExternalId: `${orderExternalId}-2`,
        sku: 'SKU-0002',
        description: 'Item 2',
        quantity: 1,
        amount: '8.13',
        taxAmount: '1.87',
        restock: true,
      },
    ],
    shippingAmount: '5.00',
    adjustmentAmount: '0.00',
    taxTotal: '1.87',
    total: '15.00',
  };
}

async function rejection(promise: Promise<unknown>): Promise<ErpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErpError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function readAll<T>(
  read: (query: ErpDeltaQuery) => Promise<{ records: T[]; nextCursor?: string }>,
  query: Omit<ErpDeltaQuery, 'cursor'>,
): Promise<{ records: T[]; pages: number }> {
  const records: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read({ ...query, cursor });
    records.push(...page.records);
    cursor = page.nextCursor;
    pages++;
    if (pages > 200) {
      throw new Error('paging does not end');
    }
  } while (cursor !== undefined);
  return { records, pages };
}

describe('NetsuiteConnector against the NetSuite simulator', () => {
  let sim: NetsuiteSimulatorHandle;
  let baseUrl: string;
  let context: ErpConnectorContext;
  /** Same lock and cross-reference, but no gate: faults reach the test instead of being waited out. */
  let bareContext: ErpConnectorContext;
  let closeContext: () => Promise<void>;
  let tba: NetsuiteConnector;
  let m2m: NetsuiteConnector;
  let customer: ErpRecordRef;

  beforeAll(async () => {
    sim = createNetsuiteSimulator({ config: BASE_CONFIG });
    baseUrl = `http://127.0.0.1:${await sim.server.listen()}`;
    const created = await createErpTestContext({ connector: 'netsuite', maxConcurrency: 5, requestTimeoutMs: 2_000 });
    context = created.context;
    closeContext = created.close;
    bareContext = { ...context, gate: { request: (_operation, send) => send() } };
    tba = new NetsuiteConnector(sim.connectorOptions(baseUrl, 'tba'), context);
    m2m = new NetsuiteConnector(sim.connectorOptions(baseUrl, 'oauth2-m2m'), context);
  });

  afterAll(async () => {
    await closeContext();
    await sim.server.close();
  });

  beforeEach(async () => {
    sim.server.reset(BASE_CONFIG);
    customer = await tba.upsertCustomer(customerDraft());
  });

  describe.each(['tba', 'oauth2-m2m'] as const)('with %s authentication', (kind) => {
    const connector = (): NetsuiteConnector => (kind === 'tba' ? tba : m2m);

    it('checks the connection', async () => {
      await expect(connector().checkConnection()).resolves.toBeUndefined();
    });

    it('writes a customer and a sales order and reads items back', async () => {
      const ref = await connector().upsertCustomer(customerDraft({ externalId: '7002', email: 'bo@example.com' }));
      const order = await connector().upsertSalesOrder(orderDraft('6004604174410'), ref);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({ externalId: '6004604174410', internalId: order.erpId, status: 'open' }),
      ]);
      const page = await connector().readItemChanges({ pageSize: 3 });
      expect(page.records).toHaveLength(3);
    });
  });

  describe('customers', () => {
    it('creates a new customer keyed by its external id', () => {
      expect(sim.vendor.customers()).toEqual([
        { internalId: customer.erpId, externalId: '7001', email: 'ana@example.com', writeCount: 1 },
      ]);
      expect(customer.externalId).toBe('7001');
    });

    it('matches an existing customer by email (case-insensitive) before the external id', async () => {
      const again = await tba.upsertCustomer(
        customerDraft({ externalId: 'email:ana@example.com', email: 'ANA@example.com' }),
      );
      expect(again.erpId).toBe(customer.erpId);
      expect(sim.vendor.customers()).toHaveLength(1);
      expect(sim.vendor.customers()[0]?.writeCount).toBe(2);
    });

    it('stores a guest key NetSuite would refuse as a hashed external id, stably', async () => {
      const draft = customerDraft({ externalId: 'email:guest@example.com', email: undefined, lastName: 'Guest' });
      const first = await tba.upsertCustomer(draft);
      const second = await tba.upsertCustomer(draft);
      expect(second.erpId).toBe(first.erpId);
      const guest = sim.vendor.customers().find((c) => c.internalId === first.erpId);
      expect(guest?.externalId).toMatch(/^ext-[0-9a-f]{40}$/);
    });

    it('makes one customer from concurrent upserts of the same new customer', async () => {
      const draft = customerDraft({ externalId: '7100', email: 'concurrent@example.com' });
      const refs = await Promise.all([1, 2, 3, 4, 5].map(() => tba.upsertCustomer(draft)));
      expect(new Set(refs.map((ref) => ref.erpId)).size).toBe(1);
      expect(sim.vendor.customers().filter((c) => c.email === 'concurrent@example.com')).toHaveLength(1);
    });
  });

  describe('sales orders', () => {
    it('creates an order with lines, discount lines and the source updated_at', async () => {
      const ref = await tba.upsertSalesOrder(orderDraft('1001'), customer);
      // The upsert answers 204 without the order's `tranId`; it is not read on the write path (one request per order).
      expect(ref.documentNumber).toBeUndefined();
      const [order] = sim.vendor.orders();
      expect(order).toEqual({
        externalId: '1001',
        internalId: ref.erpId,
        status: 'open',
        sourceUpdatedAt: '2026-10-05T19:09:49+02:00',
        total: '104.00',
        writeCount: 1,
        // No subsidiary or location configured for this connector: the order carries neither.
        subsidiary: null,
        location: null,
        // Shopify's order name, the customer's reference of a consumer order.
        purchaseOrderNumber: '#1001',
        lines: [
          { sku: 'SKU-0001', quantity: 2 },
          { sku: 'SKU-0002', quantity: 1 },
        ],
      });
    });

    it('updates the same order in place, replacing its lines', async () => {
      const first = await tba.upsertSalesOrder(orderDraft('1002'), customer);
      const changed = orderDraft('1002', { sourceUpdatedAt: '2026-10-06T08:00:00+02:00' });
      changed.lines = changed.lines.slice(0, 1);
      const second = await tba.upsertSalesOrder(changed, customer, { mayExist: true });
      expect(second.erpId).toBe(first.erpId);
      expect(first.documentNumber).toBeUndefined();
      expect(second.documentNumber).toBeUndefined();
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({
          externalId: '1002',
          sourceUpdatedAt: '2026-10-06T08:00:00+02:00',
          writeCount: 2,
          lines: [{ sku: 'SKU-0001', quantity: 2 }],
        }),
      ]);
    });

    it('does not duplicate a redelivered order', async () => {
      await tba.upsertSalesOrder(orderDraft('1003'), customer);
      await tba.upsertSalesOrder(orderDraft('1003'), customer);
      expect(sim.vendor.orders().filter((o) => o.externalId === '1003')).toHaveLength(1);
      // The cheap counts the harness polls agree with the full views.
      expect(sim.vendor.counts()).toEqual({
        customers: sim.vendor.customers().length,
        salesOrders: sim.vendor.orders().length,
      });
    });

    it('makes one document when two callers create the same order at once', async () => {
      const other = new NetsuiteConnector(sim.connectorOptions(baseUrl, 'oauth2-m2m'), context);
      const refs = await Promise.all([
        tba.upsertSalesOrder(orderDraft('1004'), customer),
        other.upsertSalesOrder(orderDraft('1004'), customer),
      ]);
      expect(refs[0].erpId).toBe(refs[1].erpId);
      expect(sim.vendor.orders().filter((o) => o.externalId === '1004')).toHaveLength(1);
    });

    it('cancels an existing order by closing every line', async () => {
      const created = await tba.upsertSalesOrder(orderDraft('1005'), customer);
      const cancelled = await tba.cancelSalesOrder(
        orderDraft('1005', { status: 'cancelled', sourceUpdatedAt: '2026-10-06T09:00:00+02:00' }),
        customer,
      );
      expect(cancelled.erpId).toBe(created.erpId);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({
          externalId: '1005',
          status: 'cancelled',
          sourceUpdatedAt: '2026-10-06T09:00:00+02:00',
        }),
      ]);
      expect(
        sim.server
          .ledgerEntries()
          .filter((e) => e.type === 'salesOrder')
          .map((e) => e.status),
      ).toEqual(['open', 'cancelled']);
    });

    it('creates a cancel that overtook its create as a closed order', async () => {
      await tba.cancelSalesOrder(orderDraft('1006', { status: 'cancelled' }), customer);
      expect(sim.vendor.orders()).toEqual([expect.objectContaining({ externalId: '1006', status: 'cancelled' })]);
    });

    it('refuses an unknown SKU as Permanent UNKNOWN_SKU naming the SKU, writing nothing', async () => {
      const draft = orderDraft('1007');
      draft.lines[1] = { ...draft.lines[1], sku: 'NO-SUCH-SKU' };
      const error = await rejection(tba.upsertSalesOrder(draft, customer));
      expect(error.kind).toBe(ErrorKind.Permanent);
      expect(error.code).toBe('UNKNOWN_SKU');
      expect(error.message).toContain('NO-SUCH-SKU');
      expect(sim.vendor.orders()).toEqual([]);
    });

    it('forgets a stale cached item id NetSuite refuses and looks the SKU up again', async () => {
      await context.items.remember('SKU-0003', '999999');
      const draft = orderDraft('1008');
      draft.lines[0] = { ...draft.lines[0], sku: 'SKU-0003' };
      await tba.upsertSalesOrder(draft, customer);
      expect(await context.items.find('SKU-0003')).toBe(sim.server.catalog.item('SKU-0003')?.internalId);
      expect(sim.vendor.orders()[0]?.lines[0]).toEqual({ sku: 'SKU-0003', quantity: 2 });
    });
  });

  describe('order edits after import', () => {
    /** The edit: SKU-0001 2 → 3, SKU-0002 removed, SKU-0003 added, shipping 10.00 → 15.00. */
    const edited = (externalId: string): ErpSalesOrderDraft => {
      const draft = orderDraft(externalId, { sourceUpdatedAt: '2026-10-06T09:00:00+02:00' });
      const [first] = draft.lines;
      draft.lines = [
        { ...first, quantity: 3, lineTotal: '128.50' },
        { ...first, externalLineId: `${externalId}-3`, sku: 'SKU-0003', description: 'Item 3', quantity: 1 },
      ];
      draft.shippingLines = [{ ...draft.shippingLines[0], amount: '15.00' }];
      return draft;
    };

    it('applies an edit of an open order: quantities, added and removed lines, shipping (one read more)', async () => {
      await tba.upsertSalesOrder(orderDraft('1201'), customer);
      const { result, fetches } = await fetchesDuring(() => tba.editSalesOrder(edited('1201'), customer));
      expect(result).toMatchObject({ outcome: 'applied', ref: { externalId: '1201' } });
      // The order's requests (the added SKU is looked up in SuiteQL too, unless an earlier test cross-referenced it).
      expect(fetches.map(requestLine).filter((line) => !line.includes('/suiteql'))).toEqual([
        'GET /services/rest/record/v1/salesOrder/eid:1201?fields=orderStatus',
        'PUT /services/rest/record/v1/salesOrder/eid:1201?replace=item',
      ]);
      const [order] = sim.vendor.orders();
      expect(order).toMatchObject({
        writeCount: 2,
        lines: [
          { sku: 'SKU-0001', quantity: 3 },
          { sku: 'SKU-0003', quantity: 1 },
        ],
      });
    });

    it.each(['D', 'F', 'G'] as const)(
      'refuses an edit of an order fulfilled or billed (orderStatus %s): locked, the document unchanged',
      async (status) => {
        const ref = await tba.upsertSalesOrder(orderDraft(`13${status}`), customer);
        sim.vendor.setFulfilledStatus(`13${status}`, status);
        const before = sim.vendor.orders();
        const result = await tba.editSalesOrder(edited(`13${status}`), customer);
        expect(result).toEqual({
          outcome: 'locked',
          erpId: ref.erpId,
          erpState: expect.stringMatching(`^orderStatus ${status} `),
        });
        expect(sim.vendor.orders()).toEqual(before);
      },
    );
  });

  describe('stale internal ids', () => {
    it('lands the next order once when an item was re-created in NetSuite with a new internal id for the same SKU', async () => {
      const withSku = (externalId: string) => {
        const draft = orderDraft(externalId);
        draft.lines[0] = { ...draft.lines[0], sku: 'SKU-0012' };
        return draft;
      };
      await tba.upsertSalesOrder(withSku('1111'), customer);
      const cached = await context.items.find('SKU-0012');
      const recreated = sim.server.catalog.recreateItem('SKU-0012');
      await tba.upsertSalesOrder(withSku('1112'), customer);
      expect(recreated.internalId).not.toBe(cached);
      expect(await context.items.find('SKU-0012')).toBe(recreated.internalId);
      expect(sim.vendor.orders().filter((o) => o.externalId === '1112')).toEqual([
        expect.objectContaining({
          lines: [expect.objectContaining({ sku: 'SKU-0012', quantity: 2 }), expect.anything()],
        }),
      ]);
    });

    it('lands the next order once on the survivor when NetSuite merged the cached customer into another', async () => {
      // The same person, once a guest checkout without e-mail; a NetSuite user merges the two.
      const survivor = await tba.upsertCustomer(
        customerDraft({ externalId: '7300', email: undefined, lastName: 'Lima (shop)' }),
      );
      sim.vendor.mergeCustomer(customer.erpId, survivor.erpId);
      const draft = orderDraft('1113');
      const error = await rejection(tba.upsertSalesOrder(draft, customer));
      expect([error.kind, error.code]).toEqual([ErrorKind.Permanent, ERP_CUSTOMER_NOT_FOUND]);
      expect(error.message).toContain('entity');
      expect(sim.vendor.orders()).toEqual([]);
      // What the order writer does then: the customer once more (found by e-mail), the write once more.
      const landed = await withFreshCustomer(
        customer,
        () => tba.upsertCustomer(customerDraft()),
        (ref) => tba.upsertSalesOrder(draft, ref),
      );
      expect(landed.customer.erpId).toBe(survivor.erpId);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({ externalId: '1113', internalId: landed.result.erpId }),
      ]);
      expect(sim.vendor.customers()).toHaveLength(1);
    });
  });

  describe('requests per order', () => {
    /** The gate operation of every request the counted connector sends, in order. */
    let operations: string[];
    let counted: NetsuiteConnector;
    const served = (): number => sim.server.state().stats.requests;
    const tally = (): Record<string, number> =>
      operations.reduce<Record<string, number>>((sum, op) => ({ ...sum, [op]: (sum[op] ?? 0) + 1 }), {});
    /** What the order writer does for an order whose customer it does not hold yet: customer, then order. */
    const newCustomerOrder = async (i: number, email: string, options = { mayExist: false }): Promise<void> => {
      const key = String(i).padStart(2, '0');
      const ref = await counted.upsertCustomer(customerDraft({ externalId: `81${key}`, email }));
      await counted.upsertSalesOrder(orderDraft(`52${key}`, { customerExternalId: `81${key}`, email }), ref, options);
    };

    beforeEach(async () => {
      operations = [];
      const counting: ErpConnectorContext = {
        ...context,
        gate: { request: (operation, send) => (operations.push(operation), context.gate.request(operation, send)) },
      };
      // A window wide enough that the look-ups of these concurrent orders meet even on a loaded CI machine.
      counted = new NetsuiteConnector({ ...sim.connectorOptions(baseUrl, 'tba'), lookupBatchWindowMs: 50 }, counting);
      // Items the cross-reference holds already (the item delta reads keep it current), so only orders are counted.
      for (const sku of ['SKU-0001', 'SKU-0002']) {
        await context.items.remember(sku, sim.server.catalog.item(sku)?.internalId ?? '');
      }
    });

    it("costs 2 requests per new customer's order: the e-mail look-ups of the orders in flight are one query", async () => {
      const before = served();
      const emails = Array.from({ length: 10 }, (_, i) => (i === 3 ? "O'Neil.3@Example.com" : `new-${i}@example.com`));
      emails[7] = 'ANA@example.com'; // the merchant's existing customer: matched by e-mail in the same query
      await Promise.all(emails.map((email, i) => newCustomerOrder(i, email)));

      expect(served() - before).toBe(2 * 10 + 1);
      expect(tally()).toEqual({ findCustomer: 1, upsertCustomer: 10, upsertSalesOrder: 10 });
      const customers = sim.vendor.customers();
      expect(customers).toHaveLength(10);
      expect(customers.filter((c) => c.email?.toLowerCase() === "o'neil.3@example.com")).toHaveLength(1);
      expect(customers.find((c) => c.internalId === customer.erpId)?.writeCount).toBe(2);
      expect(sim.vendor.orders()).toHaveLength(10);
    });

    it("costs 1 request for a returning customer's order (the order writer holds the customer), new or not", async () => {
      await counted.upsertSalesOrder(orderDraft('5301'), customer, { mayExist: false });
      await counted.upsertSalesOrder(orderDraft('5301', { sourceUpdatedAt: '2026-10-06T08:00:00+02:00' }), customer);
      expect(operations).toEqual(['upsertSalesOrder', 'upsertSalesOrder']);
      expect(sim.vendor.orders()).toEqual([expect.objectContaining({ externalId: '5301', writeCount: 2 })]);
    });

    it('creates a cancel that overtook its create in 1 request when no earlier write was recorded, reads first else', async () => {
      await counted.cancelSalesOrder(orderDraft('5302', { status: 'cancelled' }), customer, { mayExist: false });
      expect(operations).toEqual(['cancelSalesOrder']);
      operations = [];
      await counted.cancelSalesOrder(orderDraft('5303', { status: 'cancelled' }), customer);
      expect(operations).toEqual(['readSalesOrder', 'cancelSalesOrder']);
      expect(sim.vendor.orders().map((o) => [o.externalId, o.status])).toEqual([
        ['5302', 'cancelled'],
        ['5303', 'cancelled'],
      ]);
    });

    it('looks the customer up again on the retry after a committed write lost its answer, and duplicates nothing', async () => {
      sim.server.configure({ commitThenDropRate: 1 });
      const lost = await Promise.allSettled([newCustomerOrder(0, 'dropped@example.com')]);
      expect(lost[0]?.status === 'rejected' && (lost[0].reason as ErpError).kind).toBe(ErrorKind.Transient);
      const order = await rejection(counted.upsertSalesOrder(orderDraft('5200'), customer, { mayExist: false }));
      expect(order.kind).toBe(ErrorKind.Transient);
      sim.server.configure({ commitThenDropRate: 0 });
      operations = [];

      // The redelivery: the order writer recorded the attempt, so the write may exist (mayExist true).
      await newCustomerOrder(0, 'dropped@example.com', { mayExist: true });

      expect(operations).toEqual(['findCustomer', 'upsertCustomer', 'upsertSalesOrder']);
      expect(sim.vendor.customers().filter((c) => c.email === 'dropped@example.com')).toEqual([
        expect.objectContaining({ writeCount: 2 }),
      ]);
      expect(sim.vendor.orders().filter((o) => o.externalId === '5200')).toEqual([
        expect.objectContaining({ writeCount: 2 }),
      ]);
    });
  });

  describe('refunds', () => {
    it('records a refund as one credit memo created from the order, idempotently', async () => {
      const order = await tba.upsertSalesOrder(orderDraft('1019'), customer);
      const first = await tba.createRefund(refundDraft('555', '1019'), order);
      const again = await tba.createRefund(refundDraft('555', '1019'), order);
      expect(again.erpId).toBe(first.erpId);
      expect(sim.vendor.creditMemos()).toEqual([
        { externalId: 'shopify-refund-555', internalId: first.erpId, createdFrom: order.erpId, lines: 2 },
      ]);
    });

    it('waits (Transient) for an order NetSuite does not have yet', async () => {
      const error = await rejection(tba.createRefund(refundDraft('556', '9999'), { erpId: '', externalId: '9999' }));
      expect(error.kind).toBe(ErrorKind.Transient);
      expect(error.code).toBe('ORDER_NOT_FOUND');
    });
  });

  describe('returns', () => {
    it('records an approved return as one return authorization from the order (no money, no-restock lines closed) and its exchange order, idempotently', async () => {
      const draft = orderDraft('1019');
      const order = await tba.upsertSalesOrder(draft, customer);
      const first = await tba.createReturn(returnDraft(draft, '7001', true), order);
      const again = await tba.createReturn(returnDraft(draft, '7001', true), order);
      expect(again.erpId).toBe(first.erpId);
      expect(again.exchangeOrder?.erpId).toBe(first.exchangeOrder?.erpId);
      const [authorization, ...others] = sim.vendor.returnAuthorizations();
      expect(others).toEqual([]);
      expect(authorization).toMatchObject({
        externalId: 'shopify-return-7001',
        internalId: first.erpId,
        createdFrom: order.erpId,
        orderStatus: 'B',
      });
      expect(authorization?.lines.map((l) => [l.quantity, l.rate, l.isClosed])).toEqual([
        [1, 0, false],
        [1, 0, true],
      ]);
      expect(sim.vendor.orders().filter((o) => o.externalId === '1019-exchange-7001')).toHaveLength(1);
    });

    it('waits (Transient) for an order NetSuite does not have yet', async () => {
      const error = await rejection(
        tba.createReturn(returnDraft(orderDraft('9998'), '7002', false), { erpId: '', externalId: '9998' }),
      );
      expect(error.kind).toBe(ErrorKind.Transient);
      expect(sim.vendor.returnAuthorizations()).toEqual([]);
    });
  });

  describe('sales order listing (gap report)', () => {
    const window = { from: '2026-10-05T00:00:00Z', to: '2026-10-06T00:00:00Z' };
    const wanted = (id: string): { externalId: string; reference: string } => ({
      externalId: id,
      reference: `#${id.slice(-4)}`,
    });

    it('lists by external id and, without one, by otherrefnum within the window: one SuiteQL statement, limit 1000 from offset 0', async () => {
      const first = await tba.upsertSalesOrder(orderDraft('7000001'), customer);
      const second = await tba.upsertSalesOrder(orderDraft('7000002'), customer);
      const copy = sim.vendor.copySalesOrderWithoutExternalId('7000001');
      // Another order's document with the same name but our external id of that order: not matched by reference.
      await tba.upsertSalesOrder(orderDraft('8000001'), customer);

      const { result, fetches } = await fetchesDuring(() =>
        tba.listSalesOrders({ orders: ['7000001', '7000002', '7000003'].map(wanted), ...window }),
      );

      expect(fetches.map(requestLine)).toEqual(['POST /services/rest/query/v1/suiteql?limit=1000&offset=0']);
      const q = (JSON.parse(fetches[0]?.body ?? '{}') as { q: string }).q;
      expect(q).toMatch(
        /^SELECT t\.id, t\.tranid, t\.externalid, t\.otherrefnum, .* t\.foreigntotal, t\.currency FROM transaction t/,
      );
      expect(q).toContain("WHERE t.type = 'SalesOrd' AND (t.externalid IN ('7000001', '7000002', '7000003')");
      expect(q).toContain("OR (t.externalid IS NULL AND t.otherrefnum IN ('#0001', '#0002', '#0003')");
      // The window widened by a day each side, in the account's time zone (the simulator's: UTC).
      expect(q).toContain(
        "t.trandate >= TO_TIMESTAMP('2026-10-04 00:00:00', 'YYYY-MM-DD HH24:MI:SS') AND " +
          "t.trandate < TO_TIMESTAMP('2026-10-07 00:00:00', 'YYYY-MM-DD HH24:MI:SS')",
      );
      expect(q).toMatch(/ORDER BY t\.id$/);
      const total = sim.vendor.orders().find((o) => o.externalId === '7000001')?.total;
      expect(result).toEqual([
        {
          erpId: first.erpId,
          documentNumber: `SO${first.erpId}`,
          externalId: '7000001',
          matchedBy: 'externalId',
          orderDate: '2026-10-05',
          total,
        },
        {
          erpId: second.erpId,
          documentNumber: `SO${second.erpId}`,
          externalId: '7000002',
          matchedBy: 'externalId',
          orderDate: '2026-10-05',
          total,
        },
        {
          erpId: copy,
          documentNumber: `SO${copy}`,
          externalId: '7000001',
          matchedBy: 'reference',
          orderDate: '2026-10-05',
          total,
        },
      ]);
    });

    it('pages a statement past 1,000 rows by offset, and sends 200 orders a statement', async () => {
      await tba.upsertSalesOrder(orderDraft('7000001'), customer);
      for (let i = 0; i < 1_000; i++) {
        sim.vendor.copySalesOrderWithoutExternalId('7000001');
      }
      const orders = ['7000001', ...Array.from({ length: 200 }, (_, i) => String(7_100_000 + i))].map(wanted);

      const { result, fetches } = await fetchesDuring(() => tba.listSalesOrders({ orders, ...window }));

      expect(fetches.map(requestLine)).toEqual([
        'POST /services/rest/query/v1/suiteql?limit=1000&offset=0',
        'POST /services/rest/query/v1/suiteql?limit=1000&offset=1000',
        'POST /services/rest/query/v1/suiteql?limit=1000&offset=0',
      ]);
      expect(fetches.map((f) => (f.body?.match(/'\d{7}'/g) ?? []).length)).toEqual([200, 200, 1]);
      expect(result).toHaveLength(1_001);
      expect(new Set(result.map((document) => document.externalId))).toEqual(new Set(['7000001']));
    });
  });

  describe('delta reads', () => {
    const watermark = (): string => sim.server.catalog.listItems().at(-1)?.lastModified ?? '';
    const nextSecond = async (): Promise<void> => sleep(1_050 - (Date.now() % 1_000));

    it('reads a price, cost and barcode change as an item delta', async () => {
      const since = watermark();
      await nextSecond();
      sim.server.catalog.apply({
        items: [{ sku: 'SKU-0007', price: '99.90', cost: '12.34', barcode: '0123456789012' }],
      });
      const { records } = await readAll((q) => tba.readItemChanges(q), { since, pageSize: 1_000 });
      const changed = records.find((r) => r.sku === 'SKU-0007');
      expect(changed).toEqual({
        erpItemId: sim.server.catalog.item('SKU-0007')?.internalId,
        sku: 'SKU-0007',
        name: 'Item 7',
        price: '99.90',
        cost: '12.34',
        barcode: '0123456789012',
        active: true,
        lastModified: `${sim.server.catalog.item('SKU-0007')?.lastModified.slice(0, 19)}.000Z`,
      });
      const times = records.map((r) => r.lastModified);
      expect([...times].sort()).toEqual(times);
      expect(records.every((r) => r.lastModified >= `${since.slice(0, 19)}.000Z`)).toBe(true);
    });

    it('reads the weight, and the compare-at price from the configured price level only', async () => {
      const since = watermark();
      await nextSecond();
      sim.server.catalog.apply({
        items: [
          { sku: 'SKU-0008', compareAtPrice: '59.00', weight: { value: '1.25', unit: 'KILOGRAMS' } },
          { sku: 'SKU-0009', weight: { value: '12', unit: 'OUNCES' } },
        ],
      });
      const fetchSpy = jest.spyOn(global, 'fetch');
      try {
        const compareAt = new NetsuiteConnector(
          { ...sim.connectorOptions(baseUrl, 'tba'), compareAtPriceLevelId: SIM_COMPARE_AT_PRICE_LEVEL },
          context,
        );
        const { records } = await readAll((q) => compareAt.readItemChanges(q), { since, pageSize: 1_000 });
        const bodies = fetchSpy.mock.calls
          .filter(([url]) => (url instanceof Request ? url.url : url.toString()).includes('/query/v1/suiteql'))
          .map(([, init]) => JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { q: string });
        expect(bodies.at(-1)?.q).toContain('item.weight, item.weightunit');
        expect(bodies.at(-1)?.q).toContain(
          `LEFT JOIN pricing compareat ON compareat.item = item.id AND compareat.pricelevel = ${SIM_COMPARE_AT_PRICE_LEVEL}`,
        );
        expect(records.find((r) => r.sku === 'SKU-0008')).toMatchObject({
          price: '18.00',
          compareAtPrice: '59.00',
          weight: { value: '1.25', unit: 'KILOGRAMS' },
        });
        const ounces = records.find((r) => r.sku === 'SKU-0009');
        expect(ounces?.weight).toEqual({ value: '12', unit: 'OUNCES' });
        expect(ounces).not.toHaveProperty('compareAtPrice');
      } finally {
        fetchSpy.mockRestore();
      }
      // Without a compare-at price level nothing is read as compare-at; the weight still is.
      const { records } = await readAll((q) => tba.readItemChanges(q), { since, pageSize: 1_000 });
      expect(records.find((r) => r.sku === 'SKU-0008')).not.toHaveProperty('compareAtPrice');
      expect(records.find((r) => r.sku === 'SKU-0008')?.weight).toEqual({ value: '1.25', unit: 'KILOGRAMS' });
    });

    it('pages through every item with an opaque cursor', async () => {
      const { records, pages } = await readAll((q) => tba.readItemChanges(q), { pageSize: 120 });
      expect(pages).toBe(5);
      expect(new Set(records.map((r) => r.sku)).size).toBe(500);
    });

    it('restarts from the last modification time instead of paging past the row cap', async () => {
      const capped = createNetsuiteSimulator({ config: BASE_CONFIG, suiteQlMaxRows: 100 });
      const url = `http://127.0.0.1:${await capped.server.listen()}`;
      try {
        // Start after the second of the catalog's initial stamps, so that each batch below owns its second.
        const last = Date.parse(capped.server.catalog.listItems().at(-1)?.lastModified ?? '');
        const since = new Date(Math.floor(last / 1_000) * 1_000 + 1_000).toISOString();
        await sleep(Math.max(0, Date.parse(since) - Date.now()));
        for (const batch of [0, 1, 2]) {
          await nextSecond();
          capped.server.catalog.apply({
            items: Array.from({ length: 60 }, (_, i) => ({
              sku: `SKU-${String(batch * 60 + i + 1).padStart(4, '0')}`,
              price: '1.00',
            })),
          });
        }
        const connector = new NetsuiteConnector(capped.connectorOptions(url), context);
        const { records } = await readAll((q) => connector.readItemChanges(q), { since, pageSize: 40 });
        const skus = new Set(records.map((r) => r.sku));
        for (let i = 1; i <= 180; i++) {
          expect(skus.has(`SKU-${String(i).padStart(4, '0')}`)).toBe(true);
        }
      } finally {
        await capped.server.close();
      }
    });

    it('reads a stock change per item and location', async () => {
      const since = sim.server.catalog.listStock().at(-1)?.lastModified ?? '';
      await nextSecond();
      sim.server.catalog.apply({ stock: [{ sku: 'SKU-0010', locationCode: 'EAST', onHand: 42, committed: 2 }] });
      const { records } = await readAll((q) => tba.readInventoryLevels(q), { since, pageSize: 1_000 });
      expect(records.find((r) => r.sku === 'SKU-0010' && r.erpLocationId === '2')).toEqual({
        erpItemId: sim.server.catalog.item('SKU-0010')?.internalId,
        sku: 'SKU-0010',
        erpLocationId: '2',
        locationName: 'East warehouse',
        onHand: 42,
        available: 40,
        committed: 2,
        lastModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/),
      });
    });

    it('reads shipments of Shopify orders with tracking numbers, ship method and lines', async () => {
      await tba.upsertSalesOrder(orderDraft('2001'), customer);
      sim.server.catalog.apply({
        shipments: [
          {
            orderExternalId: '2001',
            trackingNumbers: ['1Z999AA10123456784', '1Z999AA10123456785'],
            carrier: 'UPS Ground',
            trackingUrl: null,
            lines: [
              { sku: 'SKU-0001', quantity: 2 },
              { sku: 'SKU-0002', quantity: 1 },
            ],
          },
        ],
      });
      const { records } = await readAll((q) => tba.readShipments(q), { pageSize: 10 });
      expect(records).toEqual([
        {
          erpShipmentId: expect.any(String),
          orderExternalId: '2001',
          trackingNumbers: ['1Z999AA10123456784', '1Z999AA10123456785'],
          carrier: 'UPS Ground',
          shippedAt: expect.any(String),
          lines: [
            { sku: 'SKU-0001', quantity: 2 },
            { sku: 'SKU-0002', quantity: 1 },
          ],
          lastModified: expect.any(String),
        },
      ]);
    });
  });

  describe('push', () => {
    const body = Buffer.from(JSON.stringify({ streams: ['inventory', 'shipments'] }));

    it('wakes the listed streams for a correctly signed push', () => {
      const headers = signNetsuitePush(body, 'push-secret');
      expect(tba.verifyPush({ headers, query: {}, rawBody: body }, 'push-secret')).toEqual({
        kind: 'wake',
        streams: ['inventory', 'shipments'],
      });
    });

    it('rejects a push signed with another secret, a stale one and unknown streams', () => {
      const wrong = signNetsuitePush(body, 'other-secret');
      expect(tba.verifyPush({ headers: wrong, query: {}, rawBody: body }, 'push-secret').kind).toBe('rejected');
      const stale = signNetsuitePush(body, 'push-secret', Date.now() - 6 * 60_000);
      expect(tba.verifyPush({ headers: stale, query: {}, rawBody: body }, 'push-secret').kind).toBe('rejected');
      const odd = Buffer.from(JSON.stringify({ streams: ['orders'] }));
      const oddHeaders = signNetsuitePush(odd, 'push-secret');
      expect(tba.verifyPush({ headers: oddHeaders, query: {}, rawBody: odd }, 'push-secret').kind).toBe('rejected');
    });

    it('needs no subscription', async () => {
      await expect(tba.ensurePushSubscriptions()).resolves.toBeUndefined();
    });
  });

  describe('faults', () => {
    it('reports throttling as Throttled with the Retry-After', async () => {
      sim.server.configure({ concurrencyLimit: 1, latencyMs: 300, retryAfterSeconds: 2 });
      const bare = new NetsuiteConnector(sim.connectorOptions(baseUrl), bareContext);
      const results = await Promise.allSettled([1, 2, 3].map(() => bare.checkConnection()));
      const throttled = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ErpError] : []));
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled[0]).toMatchObject({
        kind: ErrorKind.Throttled,
        details: { httpStatus: 429, retryAfterMs: 2_000 },
      });
    });

    it('completes every write through the gate when NetSuite throttles', async () => {
      sim.server.configure({ concurrencyLimit: 2, latencyMs: 50, retryAfterSeconds: 1 });
      const before = sim.server.state().stats.retryAfter;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => tba.upsertSalesOrder(orderDraft(String(3000 + i)), customer)),
      );
      expect(sim.vendor.orders()).toHaveLength(8);
      expect(sim.server.state().stats.counters.throttled).toBeGreaterThan(0);
      // Nothing reached NetSuite inside a Retry-After it gave (beyond the simulator's grace for requests already on
      // their way), not even one that was waiting for a permit of the shared limit meanwhile. (The simulator's
      // early-retry count matches requests by content, and these orders' identical item lookups would match.)
      const after = sim.server.state().stats.retryAfter;
      expect(after.earlyRequests - before.earlyRequests).toBe(0);
    });

    it('reports maintenance (503) and a refused connection as Transient', async () => {
      const bare = new NetsuiteConnector(sim.connectorOptions(baseUrl), bareContext);
      sim.server.configure({ maintenance: '503' });
      expect(await rejection(bare.checkConnection())).toMatchObject({
        kind: ErrorKind.Transient,
        details: { httpStatus: 503 },
      });
      sim.server.configure({ maintenance: 'refuse' });
      expect((await rejection(bare.checkConnection())).kind).toBe(ErrorKind.Transient);
    });

    it('reports a request that outlives the timeout as Transient', async () => {
      const bare = new NetsuiteConnector(sim.connectorOptions(baseUrl), { ...bareContext, requestTimeoutMs: 200 });
      sim.server.configure({ maintenance: 'hang' });
      expect(await rejection(bare.checkConnection())).toMatchObject({ kind: ErrorKind.Transient, code: 'TIMEOUT' });
    });

    it('reports wrong TBA secrets as Auth, refused by the simulator', async () => {
      for (const wrong of [{ consumerSecret: 'wrong' }, { tokenSecret: 'wrong' }]) {
        const options = sim.connectorOptions(baseUrl, 'tba');
        const bad = new NetsuiteConnector({ ...options, auth: { ...options.auth, ...wrong } }, bareContext);
        expect(await rejection(bad.checkConnection())).toMatchObject({
          kind: ErrorKind.Auth,
          code: 'INVALID_LOGIN_ATTEMPT',
          details: { httpStatus: 401 },
        });
      }
      expect(sim.server.state().stats.counters.unauthorized).toBe(2);
    });

    it('reports an OAuth 2.0 assertion signed with another key as Auth, refused by the simulator', async () => {
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const options = sim.connectorOptions(baseUrl, 'oauth2-m2m');
      const bad = new NetsuiteConnector(
        { ...options, auth: { ...options.auth, privateKeyPem: otherKey } as typeof options.auth },
        bareContext,
      );
      const error = await rejection(bad.checkConnection());
      expect(error.kind).toBe(ErrorKind.Auth);
      expect(error.message).not.toContain(otherKey.slice(40, 80));
      expect(sim.vendor.tokenStats.refused).toBe(1);
    });

    it('reports revoked credentials (rejectAuth) as Auth', async () => {
      sim.server.configure({ rejectAuth: true });
      const bare = new NetsuiteConnector(sim.connectorOptions(baseUrl), bareContext);
      expect((await rejection(bare.checkConnection())).kind).toBe(ErrorKind.Auth);
    });

    it('fetches a new OAuth 2.0 token once when NetSuite refuses the cached one', async () => {
      const connector = new NetsuiteConnector(sim.connectorOptions(baseUrl, 'oauth2-m2m'), bareContext);
      await connector.checkConnection();
      sim.vendor.expireTokens();
      await connector.checkConnection();
      expect(sim.vendor.tokenStats.issued).toBe(2);
    });

    it('leaves one order each when a slow NetSuite loses the answers of committed writes and all run again', async () => {
      // The e2e slow-ERP scenario (S4) on this vendor: every write of a concurrent batch commits, its answer is lost
      // after 100 ms, and the redelivered writes go through the gate again.
      sim.server.configure({ latencyMs: 100, commitThenDropRate: 1 });
      const drafts = Array.from({ length: 6 }, (_, i) => orderDraft(String(4100 + i)));
      const lost = await Promise.allSettled(drafts.map((draft) => tba.upsertSalesOrder(draft, customer)));
      expect(lost.map((r) => (r.status === 'rejected' ? (r.reason as ErpError).kind : 'answered'))).toEqual(
        drafts.map(() => ErrorKind.Transient),
      );
      sim.server.configure({ commitThenDropRate: 0 });
      await Promise.all(drafts.map((draft) => tba.upsertSalesOrder(draft, customer)));
      for (const draft of drafts) {
        expect(sim.vendor.orders().filter((o) => o.externalId === draft.externalId)).toHaveLength(1);
      }
    });

    it('leaves exactly one order when a committed write loses its answer and is run again', async () => {
      const bare = new NetsuiteConnector(sim.connectorOptions(baseUrl), bareContext);
      sim.server.configure({ commitThenDropRate: 1 });
      const error = await rejection(bare.upsertSalesOrder(orderDraft('4001'), customer));
      expect(error.kind).toBe(ErrorKind.Transient);
      sim.server.configure({ commitThenDropRate: 0 });
      await bare.upsertSalesOrder(orderDraft('4001'), customer);
      expect(sim.vendor.orders().filter((o) => o.externalId === '4001')).toHaveLength(1);
      expect(
        sim.server
          .ledgerEntries()
          .filter((e) => e.externalId === '4001')
          .map((e) => e.responseDropped),
      ).toEqual([true, false]);
    });
  });
  describe('B2B orders', () => {
    const b2b = (): ReturnType<typeof moneyTableDrafts> =>
      moneyTableDrafts().filter(({ customer: buyer }) => buyer.parentCompany !== undefined);
    let terms: NetsuiteConnector;

    beforeEach(() => {
      sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
      terms = new NetsuiteConnector(
        { ...sim.connectorOptions(baseUrl, 'tba'), paymentTermsMap: { 'Net 30': '2', 'Net 60': '3' } },
        context,
      );
    });

    it('writes each company location as a sub-customer of its company, matched on our key, never by e-mail', async () => {
      const [first] = b2b();
      const location = first.customer;
      // The buyer is also a consumer with an account of their own under the same e-mail.
      const consumer = await terms.upsertCustomer(customerDraft({ externalId: '7002', email: first.salesOrder.email }));
      const otherLocation = { ...location, externalId: 'company-location-424242' };
      const ref = await terms.upsertCustomer(location);
      await terms.upsertCustomer(location);
      const otherRef = await terms.upsertCustomer(otherLocation);

      const byKey = new Map(sim.vendor.customers().map((c) => [c.externalId, c]));
      const company = byKey.get(location.parentCompany!.externalId);
      expect(company).toMatchObject({ name: 'Acme Retail Ltd' });
      expect(company).not.toHaveProperty('parentInternalId');
      expect(byKey.get(location.externalId)).toMatchObject({
        internalId: ref.erpId,
        name: 'Acme Retail Ltd',
        email: null,
        parentInternalId: company!.internalId,
        writeCount: 2,
      });
      expect(byKey.get('company-location-424242')).toMatchObject({
        internalId: otherRef.erpId,
        parentInternalId: company!.internalId,
      });
      expect(new Set([ref.erpId, otherRef.erpId, consumer.erpId, company!.internalId]).size).toBe(4);
      expect(byKey.get('7002')?.writeCount).toBe(1);
    });

    it('puts the PO number in otherRefNum and the mapped payment terms in terms', async () => {
      for (const { customer: buyer, salesOrder } of b2b()) {
        await terms.upsertSalesOrder(salesOrder, await terms.upsertCustomer(buyer));
      }
      const views = new Map(sim.vendor.orders().map((order) => [order.externalId, order]));
      const written = b2b().map(({ salesOrder }) => ({
        po: views.get(salesOrder.externalId)?.purchaseOrderNumber,
        terms: views.get(salesOrder.externalId)?.paymentTerms,
      }));
      // Net 15 is not in the map: NetSuite applies the customer's terms.
      expect(written).toEqual([
        { po: 'PO-44781', terms: '2' },
        { po: 'ACME-2026-117', terms: '3' },
        { po: 'BESTELLUNG-9931', terms: undefined },
        // No PO number: the order name, as on a consumer order.
        { po: b2b()[3]?.salesOrder.reference, terms: undefined },
      ]);
      // The two locations of company 4501 are sub-customers of one company customer.
      const byKey = new Map(sim.vendor.customers().map((c) => [c.externalId, c]));
      const parent = byKey.get('company-4501')?.internalId;
      expect(parent).toBeDefined();
      expect(byKey.get('company-location-88001')?.parentInternalId).toBe(parent);
      expect(byKey.get('company-location-88002')?.parentInternalId).toBe(parent);
    });

    it('previews the company, the location under it and the order with its PO and terms', async () => {
      const [{ customer: buyer, salesOrder }] = b2b() as [ReturnType<typeof moneyTableDrafts>[number]];
      const preview = await terms.previewOrderWrite(buyer, salesOrder, { mayExist: false });
      expect(preview.requests.map((request) => [request.method, request.path.split('?')[0]])).toEqual([
        ['PUT', `/services/rest/record/v1/customer/eid:${buyer.parentCompany!.externalId}`],
        ['PUT', `/services/rest/record/v1/customer/eid:${buyer.externalId}`],
        ['PUT', `/services/rest/record/v1/salesOrder/eid:${salesOrder.externalId}`],
      ]);
      expect(preview.requests[0]?.body).toMatchObject({ isPerson: false, companyName: 'Acme Retail Ltd' });
      expect(preview.requests[1]?.body).toMatchObject({
        isPerson: false,
        companyName: 'Acme Retail Ltd',
        parent: { id: '<company customer id>' },
      });
      expect(preview.requests[1]?.body).not.toHaveProperty('email');
      expect(preview.requests[2]?.body).toMatchObject({
        otherRefNum: 'PO-44781',
        terms: { id: '2' },
        memo: `Shopify order ${salesOrder.reference}`,
      });
    });

    it('is refused by NetSuite when the map names a term the account lacks', async () => {
      const wrong = new NetsuiteConnector(
        { ...sim.connectorOptions(baseUrl, 'tba'), paymentTermsMap: { 'Net 30': '99' } },
        context,
      );
      const [{ customer: buyer, salesOrder }] = b2b() as [ReturnType<typeof moneyTableDrafts>[number]];
      const error = await rejection(wrong.upsertSalesOrder(salesOrder, await wrong.upsertCustomer(buyer)));
      expect(error.kind).toBe(ErrorKind.Permanent);
      expect(error.message).toContain('terms');
    });
  });

  describe('tenders', () => {
    it('records the gift card tenders of the money table as customer deposits against their orders, once each', async () => {
      sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
      const cases = giftCardTenderDrafts({ gift_card: '8' });
      expect(cases.length).toBeGreaterThanOrEqual(3);
      for (const { customer: buyer, salesOrder, payments } of cases) {
        const buyerRef = await tba.upsertCustomer(buyer);
        const order = await tba.upsertSalesOrder(salesOrder, buyerRef);
        const first = await tba.recordPayments(payments, order, buyerRef);
        // A redelivery sends them again: the same deposits, upserted by external id.
        const again = await tba.recordPayments(payments, order, buyerRef);
        expect(again).toEqual(first);
        expect(sim.vendor.customerDeposits().filter((d) => d.salesOrder === order.erpId)).toEqual(
          payments.map((p, i) => ({
            externalId: `shopify-tx-${p.externalId}`,
            internalId: first[i]?.erpId,
            salesOrder: order.erpId,
            customer: buyerRef.erpId,
            payment: Number(p.amount),
            paymentMethod: '8',
            writeCount: 2,
          })),
        );
      }
      expect(sim.vendor.customerDeposits()).toHaveLength(cases.length);
      // A deposit is not a sales document: the orders' listing is unchanged.
      expect(sim.vendor.orders()).toHaveLength(cases.length);
    });

    it('refuses a payment method NetSuite does not have as Permanent, writing no deposit', async () => {
      sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
      const [{ customer: buyer, salesOrder, payments }] = giftCardTenderDrafts({ gift_card: '999' }) as [
        ReturnType<typeof giftCardTenderDrafts>[number],
      ];
      const buyerRef = await tba.upsertCustomer(buyer);
      const order = await tba.upsertSalesOrder(salesOrder, buyerRef);
      const error = await rejection(tba.recordPayments(payments, order, buyerRef));
      expect(error.kind).toBe(ErrorKind.Permanent);
      expect(sim.vendor.customerDeposits()).toEqual([]);
    });
  });

  describe('the money fixture table', () => {
    it('writes every order so that the document adds up to Shopify total (before the tax NetSuite adds)', async () => {
      sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
      const drafts = moneyTableDrafts();
      for (const { customer: buyer, salesOrder } of drafts) {
        await tba.upsertSalesOrder(salesOrder, await tba.upsertCustomer(buyer));
      }
      const totals = new Map(sim.vendor.orders().map((order) => [order.externalId, order.total]));
      const mismatches = drafts
        .filter(({ salesOrder }) => totals.get(salesOrder.externalId) !== shopifyTotalBeforeAddedTax(salesOrder))
        .map(({ name, salesOrder }) => `${name}: ${totals.get(salesOrder.externalId)} vs ${salesOrder.total}`);
      expect(mismatches).toEqual([]);
      expect(
        drafts.every(({ salesOrder }) => netOfAddedTax(salesOrder) === shopifyTotalBeforeAddedTax(salesOrder)),
      ).toBe(true);
    });

    it('carries the presentment currency and the exchange rate of Markets orders', async () => {
      sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
      const currencyIds = { USD: '1', GBP: '2', CAD: '3', EUR: '4', AUD: '5', CHF: '6' };
      const withCurrencies = new NetsuiteConnector({ ...sim.connectorOptions(baseUrl, 'tba'), currencyIds }, context);
      const markets = moneyTableDrafts().filter(
        ({ salesOrder }) => salesOrder.currencies?.presentmentCurrency !== salesOrder.currencies?.shopCurrency,
      );
      expect(markets.length).toBeGreaterThanOrEqual(10);
      for (const { customer: buyer, salesOrder } of markets) {
        await withCurrencies.upsertSalesOrder(salesOrder, await withCurrencies.upsertCustomer(buyer));
      }
      const views = new Map(sim.vendor.orders().map((order) => [order.externalId, order]));
      for (const { salesOrder } of markets) {
        const currencies = salesOrder.currencies;
        expect(views.get(salesOrder.externalId)).toMatchObject({
          currency: currencyIds[currencies?.presentmentCurrency as keyof typeof currencyIds],
          exchangeRate: Number(currencies?.exchangeRate),
          total: shopifyTotalBeforeAddedTax(salesOrder),
        });
      }
    });
  });
  describe('deposits', () => {
    const BANK = '1';
    const CLEARING = '120';
    const FEES = '601';
    it('writes a payout as one deposit record (Other Deposits and Cash Back lines), the same one on a second call', async () => {
      const draft: ErpDepositDraft = {
        externalId: 'shopify-payout-90000001',
        payoutId: '90000001',
        depositDate: '2026-10-07T03:00:00Z',
        currency: 'USD',
        bankAccount: BANK,
        total: '118.77',
        memo: 'Shopify Payments payout 90000001',
        lines: [
          { kind: 'sales', account: CLEARING, amount: '160.10', memo: 'Shopify Payments charges less refunds' },
          { kind: 'fees', account: FEES, amount: '-20.83', memo: 'Shopify Payments fees' },
          { kind: 'disputes', account: CLEARING, amount: '-20.50', memo: 'Shopify Payments disputes' },
        ],
      };
      const first = await tba.createDeposit(draft);
      const again = await tba.createDeposit(draft);
      expect(again.erpId).toBe(first.erpId);
      expect(sim.vendor.deposits()).toEqual([
        {
          externalId: 'shopify-payout-90000001',
          internalId: first.erpId,
          account: BANK,
          writeCount: 2,
          other: [{ account: { id: CLEARING }, amount: 160.1, memo: 'Shopify Payments charges less refunds' }],
          cashBack: [
            { account: { id: FEES }, amount: 20.83, memo: 'Shopify Payments fees' },
            { account: { id: CLEARING }, amount: 20.5, memo: 'Shopify Payments disputes' },
          ],
        },
      ]);
    });
  });
});
