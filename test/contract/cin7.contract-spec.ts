import Redis from 'ioredis';
import { ErrorKind } from 'src/common/errors/app-error';
import {
  CIN7_DEFAULT_LIMITS,
  Cin7Connector,
  type Cin7ConnectorOptions,
} from 'src/modules/erp/connectors/cin7/cin7.connector';
import type { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ERP_CUSTOMER_NOT_FOUND, ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpCustomerDraft,
  ErpInventoryLevel,
  ErpItemChange,
  ErpRecordRef,
  ErpRefundDraft,
  ErpSalesOrderDraft,
  ErpShipment,
} from 'src/modules/erp/port/erp.types';
import { RedisKeyedLock } from 'src/modules/erp/writer/redis-keyed-lock';
import { withFreshCustomer } from 'src/modules/erp/writer/with-fresh-customer';
import { giftCardTenderDrafts, moneyTableDrafts, NON_PRODUCT_ITEMS } from 'test/contract/money-table';
import { returnDraft } from 'test/contract/return-drafts';
import { createCin7Simulator } from 'test/simulators/cin7/cin7-simulator';
import { cin7WebhookDelivery } from 'test/simulators/cin7/cin7-webhooks';
import type { SimulatorConfigPatch } from 'test/simulators/common/erp-simulator';
import { SIM_COMPARE_AT_PRICE_TIER } from 'test/simulators/common/simulated-catalog';
import { createErpTestContext, wipeRedisKeys } from 'test/support/erp-test-context';
import { fetchesDuring, requestLine } from 'test/support/fetch-recorder';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

/**
 * Every port operation of the real Cin7 connector, over HTTP, against the Cin7 simulation, on the real gate, lock
 * and SKU cross-reference (Redis, PostgreSQL).
 */

const BASE_CONFIG: SimulatorConfigPatch = {
  concurrencyLimit: 5,
  requestsPerMinute: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  maintenance: 'off',
  commitThenDropRate: 0,
  errorRate: 0,
  rejectAuth: false,
};

/** Values the simulator core draws for commit-then-drop (a write is dropped when the value < the drop rate). */
const draws: number[] = [];
const sim = createCin7Simulator({ config: BASE_CONFIG, random: () => draws.shift() ?? 0.99 });

let baseUrl: string;
let context: ErpConnectorContext;
let closeContext: () => Promise<void>;
let doubts: ErpCreateDoubtRepository;
let connector: Cin7Connector;
let seq = 0;

function newConnector(
  overrides: Partial<ErpConnectorContext> = {},
  credentials?: { applicationKey: string },
  options: Partial<Cin7ConnectorOptions> = {},
) {
  return new Cin7Connector(
    { ...sim.connectorOptions(baseUrl), ...credentials, ...options },
    { ...context, ...overrides },
  );
}

/** A gate that sends at once, so that the connector's own classification is what a test sees. */
const passthroughGate = { request: <T>(_operation: string, send: () => Promise<T>): Promise<T> => send() };

function customer(overrides: Partial<ErpCustomerDraft> = {}): ErpCustomerDraft {
  seq++;
  return {
    externalId: `cust-${seq}-${Date.now()}`,
    email: `buyer${seq}.${Date.now()}@example.com`,
    firstName: 'Ana',
    lastName: `Diaz ${seq}`,
    phone: '+34600000000',
    currency: 'USD',
    billingAddress: { line1: 'Calle 1', city: 'Madrid', postalCode: '28001', countryCode: 'ES' },
    ...overrides,
  };
}

function order(overrides: Partial<ErpSalesOrderDraft> = {}): ErpSalesOrderDraft {
  seq++;
  return {
    externalId: `${6_000_000_000_000 + seq}${Date.now() % 1000}`,
    reference: `#${1000 + seq}`,
    orderDate: '2026-10-05T10:00:00Z',
    sourceUpdatedAt: '2026-10-05T10:00:01Z',
    currency: 'USD',
    taxesIncluded: false,
    status: 'open',
    customerExternalId: 'c',
    email: 'buyer@example.com',
    shippingAddress: { name: 'Ana Diaz', line1: 'Main St 1', city: 'New York', region: 'NY', countryCode: 'US' },
    lines: [
      {
        externalLineId: 'l1',
        sku: 'SKU-0001',
        description: 'Item 1',
        quantity: 2,
        unitPrice: '11.00',
        discountAmount: '2.00',
        taxAmount: '1.60',
        lineTotal: '20.00',
        taxLines: [{ title: 'Tax', rate: 0.08, amount: '1.60' }],
      },
    ],
    shippingLines: [
      { code: 'STD', description: 'Standard', amount: '5.00', discountAmount: '0.00', taxAmount: '0.00' },
    ],
    discountCodes: [],
    subtotal: '20.00',
    discountTotal: '2.00',
    shippingTotal: '5.00',
    taxTotal: '1.60',
    total: '26.60',
    ...overrides,
  };
}

function refund(salesOrder: ErpSalesOrderDraft, overrides: Partial<ErpRefundDraft> = {}): ErpRefundDraft {
  return {
    externalId: `refund-${salesOrder.externalId}`,
    orderExternalId: salesOrder.externalId,
    orderReference: salesOrder.reference,
    customerExternalId: 'c',
    refundDate: '2026-10-06T10:00:00Z',
    currency: 'USD',
    lines: [
      {
        externalLineId: 'rl1',
        orderLineExternalId: 'l1',
        sku: 'SKU-0001',
        description: 'Item 1',
        quantity: 1,
        amount: '10.00',
        taxAmount: '0.80',
        restock: true,
      },
    ],
    shippingAmount: '0.00',
    adjustmentAmount: '0.00',
    taxTotal: '0.80',
    total: '10.80',
    ...overrides,
  };
}

async function expectErpError(promise: Promise<unknown>, kind: ErrorKind, code?: string): Promise<ErpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ErpError);
  expect((error as ErpError).kind).toBe(kind);
  if (code !== undefined) {
    expect((error as ErpError).code).toBe(code);
  }
  return error as ErpError;
}

/** The requests the simulated API answered while `work` ran, per `METHOD endpoint`. */
async function callsDuring<T>(work: () => Promise<T>): Promise<{ result: T; calls: Record<string, number> }> {
  const before = sim.vendor.requestCounts();
  const result = await work();
  const calls: Record<string, number> = {};
  for (const [route, count] of Object.entries(sim.vendor.requestCounts())) {
    if (count > (before[route] ?? 0)) {
      calls[route] = count - (before[route] ?? 0);
    }
  }
  return { result, calls };
}

/**
 * The real lock with its own settle time for creates in doubt (ERP_CREATE_SETTLE_SECONDS), on its own Redis client:
 * `twin()` is the same lock as another worker process builds it; `wipe()` deletes all it keeps in Redis (a FLUSHDB).
 */
function settlingLock(
  createSettleMs: number,
  leaseMs = 15_000,
): { lock: RedisKeyedLock; twin: () => RedisKeyedLock; wipe: () => Promise<number>; close: () => Promise<unknown> } {
  const redis = new Redis(serviceUrls('unused', INTEGRATION_RESOURCES.erpContracts.redisDb).REDIS_URL);
  const prefix = `cin7-contract-settle:${process.pid}:${Date.now()}`;
  const twin = (): RedisKeyedLock => new RedisKeyedLock(redis, doubts, leaseMs, prefix, { createSettleMs });
  return { lock: twin(), twin, wipe: () => wipeRedisKeys(redis, prefix), close: () => redis.quit() };
}

/** Resolves once `check` holds (polled every 50 ms); fails after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
  }
}

/** Just after the catalog's newest change (the catalog stamps ahead of the clock when it changes many records). */
function afterNewestChange(): string {
  const newest = sim.server.catalog
    .listItems()
    .reduce((max, item) => (item.lastModified > max ? item.lastModified : max), '');
  return new Date(Math.max(Date.parse(newest) + 1, Date.now())).toISOString();
}

async function readAll<T>(
  read: (query: {
    since?: string;
    cursor?: string;
    pageSize: number;
  }) => Promise<{ records: T[]; nextCursor?: string }>,
  pageSize: number,
  since?: string,
): Promise<{ records: T[]; pages: number }> {
  const records: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read({ since, cursor, pageSize });
    records.push(...page.records);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 1_000);
  return { records, pages };
}

beforeAll(async () => {
  const port = await sim.server.listen();
  baseUrl = `http://127.0.0.1:${port}`;
  const built = await createErpTestContext({ connector: 'cin7', maxConcurrency: 2, requestTimeoutMs: 2_000 });
  context = built.context;
  doubts = built.doubts;
  closeContext = built.close;
  connector = newConnector();
});

afterAll(async () => {
  await closeContext();
  await sim.server.close();
});

beforeEach(() => {
  draws.length = 0;
  sim.server.reset(BASE_CONFIG);
  sim.vendor.setThrottleStatus(503);
  sim.vendor.setBatchesPerStockRow(1);
});

describe('Cin7 connector against the Cin7 simulator', () => {
  it('defaults to 60 calls a minute in the simulator and to Cin7 limits in the connector', () => {
    expect(createCin7Simulator().server.state().config.requestsPerMinute).toBe(60);
    expect(connector.defaultLimits).toEqual(CIN7_DEFAULT_LIMITS);
    expect(CIN7_DEFAULT_LIMITS).toEqual({ maxConcurrency: 2, maxRps: 1 });
  });

  it('checks the connection with an authenticated GET /me', async () => {
    await expect(connector.checkConnection()).resolves.toBeUndefined();
    await expect(
      connector.ensurePushSubscriptions('https://example.test/webhooks/erp/cin7', 's'),
    ).resolves.toBeUndefined();
  });

  describe('authentication', () => {
    it('reports a wrong application key as Auth, refused by the simulator', async () => {
      const wrong = newConnector({}, { applicationKey: 'not-the-key' });
      await expectErpError(wrong.checkConnection(), ErrorKind.Auth);
      expect(sim.server.state().stats.counters.unauthorized).toBe(1);
    });

    it('reports revoked credentials (rejectAuth) as Auth', async () => {
      sim.server.configure({ rejectAuth: true });
      const error = await expectErpError(connector.checkConnection(), ErrorKind.Auth);
      expect(error.details.httpStatus).toBe(403);
      expect(error.message).not.toContain(sim.credentials.applicationKey);
    });
  });

  describe('customers', () => {
    it('creates a new customer with the account defaults', async () => {
      const draft = customer();
      const ref = await connector.upsertCustomer(draft);
      expect(ref.externalId).toBe(draft.externalId);
      expect(sim.vendor.customers()).toEqual([
        {
          internalId: ref.erpId,
          externalId: draft.externalId,
          email: draft.email,
          writeCount: 1,
          name: `Ana ${draft.lastName} [${draft.externalId}]`,
        },
      ]);
    });

    it('matches an existing customer by email, whatever its external id', async () => {
      const draft = customer();
      const first = await connector.upsertCustomer(draft);
      const second = await connector.upsertCustomer({
        ...draft,
        externalId: 'another-shopify-id',
        email: draft.email?.toUpperCase(),
      });
      expect(second.erpId).toBe(first.erpId);
      expect(sim.vendor.customers()).toHaveLength(1);
      expect(sim.vendor.customers()[0]?.writeCount).toBe(1);
    });

    it('matches a customer without email by its external id and updates a changed phone', async () => {
      const draft = customer({ email: undefined });
      const first = await connector.upsertCustomer(draft);
      const again = await connector.upsertCustomer({ ...draft, phone: '+34999999999' });
      expect(again.erpId).toBe(first.erpId);
      expect(sim.vendor.customers()).toHaveLength(1);
    });

    it('updates the contact of a customer found by email when the phone changed', async () => {
      const draft = customer();
      await connector.upsertCustomer(draft);
      await connector.upsertCustomer({ ...draft, phone: '+34611111111' });
      expect(sim.vendor.customers()[0]?.writeCount).toBe(2);
    });

    it('creates one customer when the same customer arrives concurrently', async () => {
      const draft = customer();
      const refs = await Promise.all([1, 2, 3, 4].map(() => newConnector().upsertCustomer(draft)));
      expect(new Set(refs.map((ref) => ref.erpId)).size).toBe(1);
      expect(sim.vendor.customers()).toHaveLength(1);
    });

    it('leaves one customer after a create whose answer was dropped', async () => {
      const draft = customer();
      sim.server.configure({ commitThenDropRate: 1 });
      await expectErpError(connector.upsertCustomer(draft), ErrorKind.Transient);
      sim.server.configure({ commitThenDropRate: 0 });
      const ref = await connector.upsertCustomer(draft);
      expect(sim.vendor.customers()).toEqual([expect.objectContaining({ internalId: ref.erpId })]);
    });
  });

  describe('sales orders', () => {
    let customerRef: ErpRecordRef;

    beforeEach(async () => {
      customerRef = await connector.upsertCustomer(customer());
    });

    it('creates a sale with its order, lines, total and Shopify updated_at', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      // Cin7's order number, from the answer of POST /sale/order (written back to the Shopify order).
      expect(ref.documentNumber).toMatch(/^SO-\d+$/);
      expect(sim.vendor.orders()).toEqual([
        {
          externalId: draft.externalId,
          internalId: ref.erpId,
          status: 'open',
          sourceUpdatedAt: draft.sourceUpdatedAt,
          total: '26.60',
          writeCount: 2,
          lines: [{ sku: 'SKU-0001', quantity: 2 }],
          // CustomerReference: a consumer order's is Shopify's order name.
          purchaseOrderNumber: draft.reference,
        },
      ]);
    });

    it('updates the same sale (header and order) on a newer version', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      const newer = order({
        externalId: draft.externalId,
        reference: draft.reference,
        sourceUpdatedAt: '2026-10-05T11:00:00Z',
        lines: [{ ...draft.lines[0], quantity: 3, discountAmount: '0.00', lineTotal: '33.00' }],
        subtotal: '33.00',
        total: '39.60',
      });
      const again = await connector.upsertSalesOrder(newer, customerRef);
      expect(again.erpId).toBe(ref.erpId);
      expect(again.documentNumber).toBe(ref.documentNumber);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({
          internalId: ref.erpId,
          sourceUpdatedAt: '2026-10-05T11:00:00Z',
          total: '39.60',
          lines: [{ sku: 'SKU-0001', quantity: 3 }],
        }),
      ]);
    });

    it('makes no second sale on redelivery', async () => {
      const draft = order();
      const first = await connector.upsertSalesOrder(draft, customerRef);
      const second = await connector.upsertSalesOrder(draft, customerRef);
      expect(second.erpId).toBe(first.erpId);
      expect(sim.vendor.orders()).toHaveLength(1);
      // The cheap counts the harness polls agree with the full views.
      expect(sim.vendor.counts()).toEqual({
        customers: sim.vendor.customers().length,
        salesOrders: sim.vendor.orders().length,
      });
    });

    it('makes one sale when two callers create the same order at once', async () => {
      const draft = order();
      const refs = await Promise.all(
        [newConnector(), newConnector()].map((c) => c.upsertSalesOrder(draft, customerRef)),
      );
      expect(refs[0]?.erpId).toBe(refs[1]?.erpId);
      expect(sim.vendor.orders().filter((o) => o.externalId === draft.externalId)).toHaveLength(1);
    });

    it('fails Transient when the header answer is dropped, and completes the same sale on re-run', async () => {
      const draft = order();
      sim.server.configure({ commitThenDropRate: 1 });
      await expectErpError(connector.upsertSalesOrder(draft, customerRef), ErrorKind.Transient);
      expect(sim.vendor.orders()).toEqual([expect.objectContaining({ lines: [], sourceUpdatedAt: null })]);
      sim.server.configure({ commitThenDropRate: 0 });
      await connector.upsertSalesOrder(draft, customerRef);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({ externalId: draft.externalId, lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
      ]);
    });

    it('leaves one sale when the order step committed but its answer was dropped', async () => {
      const draft = order();
      sim.server.configure({ commitThenDropRate: 0.5 });
      draws.push(0.9, 0.1); // POST /sale answered, POST /sale/order committed then dropped
      await expectErpError(connector.upsertSalesOrder(draft, customerRef), ErrorKind.Transient);
      await connector.upsertSalesOrder(draft, customerRef);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({ externalId: draft.externalId, sourceUpdatedAt: draft.sourceUpdatedAt }),
      ]);
    });

    it('voids a sale on cancel, and a repeated cancel changes nothing', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      const cancelled = order({
        ...draft,
        status: 'cancelled',
        cancelReason: 'customer',
        sourceUpdatedAt: '2026-10-05T12:00:00Z',
      });
      expect((await connector.cancelSalesOrder(cancelled, customerRef)).erpId).toBe(ref.erpId);
      expect((await connector.cancelSalesOrder(cancelled, customerRef)).erpId).toBe(ref.erpId);
      expect(sim.vendor.orders()).toEqual([expect.objectContaining({ internalId: ref.erpId, status: 'cancelled' })]);
    });

    it('ends cancelled when the cancel overtook the create', async () => {
      const draft = order({ status: 'cancelled' });
      await connector.cancelSalesOrder(draft, customerRef);
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({
          externalId: draft.externalId,
          status: 'cancelled',
          lines: [{ sku: 'SKU-0001', quantity: 2 }],
        }),
      ]);
      await connector.upsertSalesOrder(draft, customerRef).catch(() => undefined);
      expect(sim.vendor.orders()).toHaveLength(1);
    });

    it('rejects an unknown SKU as Permanent UNKNOWN_SKU before writing anything', async () => {
      const draft = order({ lines: [{ ...order().lines[0], sku: 'NO-SUCH-SKU' }] });
      const error = await expectErpError(
        connector.upsertSalesOrder(draft, customerRef),
        ErrorKind.Permanent,
        'UNKNOWN_SKU',
      );
      expect(error.message).toContain('NO-SUCH-SKU');
      expect(sim.vendor.orders()).toHaveLength(0);
    });

    it('forgets a stale cross-referenced product id and looks the SKU up again', async () => {
      await context.items.remember('SKU-0002', '00000000-0000-4000-8000-999999999999');
      const draft = order({ lines: [{ ...order().lines[0], sku: 'SKU-0002' }] });
      await connector.upsertSalesOrder(draft, customerRef);
      expect(await context.items.find('SKU-0002')).toBe('00000000-0000-4000-8000-000000001002');
      expect(sim.vendor.orders()).toEqual([expect.objectContaining({ lines: [{ sku: 'SKU-0002', quantity: 2 }] })]);
    });

    it('lands the next order once when a product was re-created in Cin7 with a new ID for the same SKU', async () => {
      const withSku = (sku: string) => order({ lines: [{ ...order().lines[0], sku }] });
      await connector.upsertSalesOrder(withSku('SKU-0013'), customerRef);
      const cached = await context.items.find('SKU-0013');
      const recreated = sim.server.catalog.recreateItem('SKU-0013');
      const draft = withSku('SKU-0013');
      await connector.upsertSalesOrder(draft, customerRef);
      expect(sim.vendor.orders().filter((o) => o.externalId === draft.externalId)).toEqual([
        expect.objectContaining({ lines: [{ sku: 'SKU-0013', quantity: 2 }] }),
      ]);
      const now = await context.items.find('SKU-0013');
      expect(now).not.toBe(cached);
      expect(now).toBe(`00000000-0000-4000-8000-${recreated.internalId.padStart(12, '0')}`);
    });

    it.each([
      ['merged into another customer: the order lands on the survivor, found by e-mail', true],
      ['deleted: the customer is created again', false],
    ])('lands the next order once when the cached customer was %s', async (_name, merged) => {
      const ana = customer();
      const cached = await connector.upsertCustomer(ana);
      const survivor = await connector.upsertCustomer(customer({ email: undefined, lastName: 'Diaz (shop)' }));
      sim.vendor.mergeCustomer(cached.erpId, merged ? survivor.erpId : undefined);
      const draft = order();
      await expectErpError(connector.upsertSalesOrder(draft, cached), ErrorKind.Permanent, ERP_CUSTOMER_NOT_FOUND);
      await expectErpError(
        connector.cancelSalesOrder({ ...draft, status: 'cancelled' }, cached),
        ErrorKind.Permanent,
        ERP_CUSTOMER_NOT_FOUND,
      );
      expect(sim.vendor.orders().filter((o) => o.externalId === draft.externalId)).toHaveLength(0);
      // What the order writer does then: the customer once more, the write once more.
      const landed = await withFreshCustomer(
        cached,
        () => connector.upsertCustomer(ana),
        (ref) => connector.upsertSalesOrder(draft, ref),
      );
      if (merged) {
        expect(landed.customer.erpId).toBe(survivor.erpId);
      } else {
        expect([cached.erpId, survivor.erpId]).not.toContain(landed.customer.erpId);
      }
      expect(sim.vendor.orders().filter((o) => o.externalId === draft.externalId)).toHaveLength(1);
    });

    it('records a refund as one credit note, idempotently', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      const first = await connector.createRefund(refund(draft), ref);
      const second = await connector.createRefund(refund(draft), ref);
      expect(second.erpId).toBe(first.erpId);
      expect(sim.vendor.creditNotes()).toEqual([
        expect.objectContaining({ TaskID: first.erpId, SaleID: ref.erpId, Total: 10.8 }),
      ]);
    });

    it('records an approved return as one DRAFT credit note at price 0 (restock per line) and its exchange sale, idempotently', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      const first = await connector.createReturn(returnDraft(draft, '7001', true), ref);
      const second = await connector.createReturn(returnDraft(draft, '7001', true), ref);
      expect(second.erpId).toBe(first.erpId);
      expect(second.exchangeOrder?.erpId).toBe(first.exchangeOrder?.erpId);
      const notes = sim.vendor.creditNotes();
      expect(notes).toEqual([
        expect.objectContaining({ TaskID: first.erpId, SaleID: ref.erpId, Status: 'DRAFT', Total: 0 }),
      ]);
      expect(notes[0]?.Lines?.map((l) => [l.SKU, l.Quantity, l.Price, l.Comment])).toEqual([
        ['SKU-0001', 1, 0, 'Restock (size_too_small)'],
        ['SKU-0001', 1, 0, 'No restock (defective)'],
      ]);
      expect(sim.vendor.orders().filter((o) => o.externalId === `${draft.externalId}-exchange-7001`)).toHaveLength(1);
    });

    it('keeps the return apart from the refund: one credit note each', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      await connector.createRefund(refund(draft), ref);
      await connector.createReturn(returnDraft(draft, '7003', false), ref);
      await connector.createRefund(refund(draft), ref);
      expect(sim.vendor.creditNotes().map((n) => [n.Status, n.Total])).toEqual([
        ['AUTHORISED', 10.8],
        ['DRAFT', 0],
      ]);
    });

    it('leaves one credit note when its answer was dropped', async () => {
      const draft = order();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      sim.server.configure({ commitThenDropRate: 1 });
      await expectErpError(connector.createRefund(refund(draft), ref), ErrorKind.Transient);
      sim.server.configure({ commitThenDropRate: 0 });
      await connector.createRefund(refund(draft), ref);
      expect(sim.vendor.creditNotes()).toHaveLength(1);
    });
  });

  describe('order edits after import', () => {
    let customerRef: ErpRecordRef;

    beforeEach(async () => {
      customerRef = await connector.upsertCustomer(customer());
    });

    /** Two lines first (SKU-0001 × 2, SKU-0002 × 1), then: SKU-0001 → 3, SKU-0002 removed, SKU-0003 added, shipping 5 → 9. */
    const twoLines = (): ErpSalesOrderDraft => {
      const draft = order();
      return {
        ...draft,
        lines: [
          ...draft.lines,
          { ...draft.lines[0], externalLineId: 'l2', sku: 'SKU-0002', quantity: 1, lineTotal: '9.00' },
        ],
      };
    };
    const edited = (draft: ErpSalesOrderDraft): ErpSalesOrderDraft => ({
      ...draft,
      sourceUpdatedAt: '2026-10-05T12:00:00Z',
      lines: [
        { ...draft.lines[0], quantity: 3, lineTotal: '31.00' },
        {
          ...draft.lines[0],
          externalLineId: 'l3',
          sku: 'SKU-0003',
          description: 'Item 3',
          quantity: 1,
          lineTotal: '9.00',
        },
      ],
      shippingLines: [{ ...draft.shippingLines[0], amount: '9.00' }],
    });

    it('applies an edit of a sale with nothing shipped: the order is replaced, with no request more', async () => {
      const draft = twoLines();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      const before = sim.server.state().stats.requests;
      const result = await connector.editSalesOrder(edited(draft), customerRef);
      // saleList look-up, header PUT, POST /sale/order, and the new SKU's product look-up: as the upsert would.
      expect(sim.server.state().stats.requests - before).toBe(4);
      expect(result).toEqual({ outcome: 'applied', ref: expect.objectContaining({ erpId: ref.erpId }) });
      expect(sim.vendor.orders()).toEqual([
        expect.objectContaining({
          internalId: ref.erpId,
          sourceUpdatedAt: '2026-10-05T12:00:00Z',
          lines: [
            { sku: 'SKU-0001', quantity: 3 },
            { sku: 'SKU-0003', quantity: 1 },
          ],
        }),
      ]);
    });

    it('refuses an edit of a shipped sale: locked, the sale unchanged', async () => {
      const draft = twoLines();
      const ref = await connector.upsertSalesOrder(draft, customerRef);
      sim.server.catalog.apply({
        shipments: [
          {
            orderExternalId: draft.externalId,
            trackingNumbers: ['1Z999AA10123456784'],
            carrier: 'UPS',
            trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
            lines: [{ sku: 'SKU-0001', quantity: 2 }],
          },
        ],
      });
      const before = sim.vendor.orders();
      const result = await connector.editSalesOrder(edited(draft), customerRef);
      expect(result).toEqual({
        outcome: 'locked',
        erpId: ref.erpId,
        erpState: expect.stringContaining('CombinedShippingStatus SHIPPED'),
      });
      expect(sim.vendor.orders()).toEqual(before);
    });
  });

  describe('calls per order (issue #15)', () => {
    const salesOf = (externalId: string) => sim.vendor.orders().filter((o) => o.externalId === externalId);

    beforeEach(async () => {
      // The SKU cross-reference is warm in production; warm it here too.
      await connector.upsertSalesOrder(order(), await connector.upsertCustomer(customer()));
    });

    it("costs a new customer's order on its first attempt 3 requests (customer, sale, order) and its share of a look-up, and a returning customer's 2", async () => {
      const draft = order();
      const fresh = await callsDuring(async () =>
        connector.upsertSalesOrder(draft, await connector.upsertCustomer(customer()), { mayExist: false }),
      );
      expect(fresh.calls).toEqual({ 'GET customer': 1, 'POST customer': 1, 'POST sale': 1, 'POST sale/order': 1 });
      expect(salesOf(draft.externalId)).toEqual([
        expect.objectContaining({ internalId: fresh.result.erpId, lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
      ]);
      // A returning customer is resolved by the order writer's own cache: the sale and its order alone.
      const customerRef = await connector.upsertCustomer(customer());
      const returning = order();
      const again = await callsDuring(() => connector.upsertSalesOrder(returning, customerRef, { mayExist: false }));
      expect(again.calls).toEqual({ 'POST sale': 1, 'POST sale/order': 1 });
      expect(salesOf(returning.externalId)).toEqual([
        expect.objectContaining({ sourceUpdatedAt: returning.sourceUpdatedAt }),
      ]);
      // A cancel that overtook its create, first attempt: sale, DRAFT order, void.
      const cancelled = order({ status: 'cancelled' });
      const cancel = await callsDuring(() => connector.cancelSalesOrder(cancelled, customerRef, { mayExist: false }));
      expect(cancel.calls).toEqual({ 'DELETE sale': 1, 'POST sale': 1, 'POST sale/order': 1 });
      expect(salesOf(cancelled.externalId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    });

    it("answers the e-mail look-ups of concurrent new customers with one request (customers changed since the newest it holds), the merchant's own customer matched", async () => {
      // A window long enough for all ten to reach the look-up (each takes its lock and reads the cross-reference first).
      const batching = newConnector({}, undefined, { lookupBatchWindowMs: 1_500 });
      await batching.upsertCustomer(customer()); // its first look-up reads every customer once
      // A customer the merchant made in Cin7 itself, after that read: the next look-ups must see it.
      const merchants = customer();
      const made = await newConnector().upsertCustomer({ ...merchants, externalId: 'made-in-cin7' });
      const drafts = [...Array.from({ length: 9 }, () => customer()), merchants];
      const { result, calls } = await callsDuring(() =>
        Promise.all(drafts.map((draft) => batching.upsertCustomer(draft))),
      );
      expect(calls).toEqual({ 'GET customer': 1, 'POST customer': 9 });
      expect(result[9]?.erpId).toBe(made.erpId);
      expect(new Set(result.map((ref) => ref.erpId)).size).toBe(10);
    });

    it('looks the customer up again on a retry after a commit-then-drop of its create, and duplicates nothing', async () => {
      const draft = customer();
      sim.server.configure({ commitThenDropRate: 1 });
      const first = await callsDuring(() => expectErpError(connector.upsertCustomer(draft), ErrorKind.Transient));
      sim.server.configure({ commitThenDropRate: 0 });
      expect(first.calls).toEqual({ 'GET customer': 1, 'POST customer': 1 });
      const retry = await callsDuring(() => connector.upsertCustomer(draft));
      // The refresh lists the customer the lost create made; nothing is created again.
      expect(retry.calls).toEqual({ 'GET customer': 1 });
      expect(sim.vendor.customers().filter((c) => c.externalId === draft.externalId)).toEqual([
        expect.objectContaining({ internalId: retry.result.erpId }),
      ]);
    });

    it('finds a customer whose e-mail changed by the id our cross-reference holds, in one look-up', async () => {
      const draft = customer();
      const created = await connector.upsertCustomer(draft);
      const moved = { ...draft, email: `new.${draft.email!}` };
      const { result, calls } = await callsDuring(() => connector.upsertCustomer(moved));
      expect(result.erpId).toBe(created.erpId);
      // By ID, then the new contact e-mail written onto it; no look-up by e-mail or Name token.
      expect(calls).toEqual({ 'GET customer': 1, 'PUT customer': 1 });
      expect(sim.vendor.customers()).toHaveLength(2); // the warm-up's customer and this one
    });

    it('looks the sale up on a retry after a commit-then-drop of its first attempt, and completes that sale', async () => {
      const draft = order();
      const customerRef = await connector.upsertCustomer(customer());
      sim.server.configure({ commitThenDropRate: 1 });
      draws.push(0);
      const first = await callsDuring(() =>
        expectErpError(connector.upsertSalesOrder(draft, customerRef, { mayExist: false }), ErrorKind.Transient),
      );
      expect(first.calls).toEqual({ 'POST sale': 1 });
      sim.server.configure({ commitThenDropRate: 0 });
      // The order writer recorded the first attempt: the retry says the sale may exist.
      const retry = await callsDuring(() => connector.upsertSalesOrder(draft, customerRef, { mayExist: true }));
      expect(retry.calls).toEqual({ 'GET salelist': 1, 'POST sale/order': 1, 'PUT sale': 1 });
      expect(salesOf(draft.externalId)).toEqual([
        expect.objectContaining({ internalId: retry.result.erpId, lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
      ]);
    });

    it('looks up before creating when a create of the sale is in doubt, even when told it cannot exist', async () => {
      // A sale Cin7 commits 2 s after the connector gave up at 1 s: in doubt for the lock's 3 s settle time.
      const { lock, close } = settlingLock(3_000);
      try {
        const slow = newConnector({ locks: lock, requestTimeoutMs: 1_000 });
        const draft = order();
        const customerRef = await connector.upsertCustomer(customer());
        sim.server.configure({ commitDelayMs: 2_000 });
        await expectErpError(
          slow.upsertSalesOrder(draft, customerRef, { mayExist: false }),
          ErrorKind.Transient,
          'TIMEOUT',
        );
        sim.server.configure({ commitDelayMs: 0 });
        await until('the late sale to commit', () => salesOf(draft.externalId).length === 1, 5_000);
        // The lock holds the create back until the first has settled; the run it repeats looks up and completes
        // the sale the first one made.
        const { result, calls } = await callsDuring(() =>
          slow.upsertSalesOrder(draft, customerRef, { mayExist: false }),
        );
        expect(calls).toEqual({ 'GET salelist': 1, 'POST sale/order': 1, 'PUT sale': 1 });
        expect(salesOf(draft.externalId)).toEqual([
          expect.objectContaining({ internalId: result.erpId, lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
        ]);
      } finally {
        await close();
      }
    }, 20_000);
  });

  describe('a Redis wipe (issue #14)', () => {
    const salesOf = (externalId: string) => sim.vendor.orders().filter((o) => o.externalId === externalId);

    it('makes no second sale when Redis is wiped between a create in doubt and its retry', async () => {
      // Cin7 commits the sale 3 s after it arrived, 2 s after the connector gave up at 1 s. Before the order writer's
      // retry, Redis loses what the lock kept there (FLUSHDB, a failover to an empty replica, a restart without
      // persistence); the retry's look-up comes before the late commit.
      // A lease of 2.5 s outlives the 1 s request and keeps the wait for lost holders after the wipe short.
      const { lock, wipe, close } = settlingLock(5_000, 2_500);
      try {
        const slow = newConnector({ locks: lock, requestTimeoutMs: 1_000 });
        const draft = order();
        const customerRef = await connector.upsertCustomer(customer());
        sim.server.configure({ commitDelayMs: 3_000 });
        await expectErpError(
          slow.upsertSalesOrder(draft, customerRef, { mayExist: false }),
          ErrorKind.Transient,
          'TIMEOUT',
        );
        expect(await wipe()).toBeGreaterThan(0);
        sim.server.configure({ commitDelayMs: 0 });
        // The order writer recorded the first attempt: the retry says the sale may exist.
        const ref = await slow.upsertSalesOrder(draft, customerRef, { mayExist: true });
        await until('the late sale to commit', () => sim.server.state().stats.inFlight === 0, 10_000);
        expect(salesOf(draft.externalId)).toEqual([
          expect.objectContaining({ internalId: ref.erpId, lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
        ]);
      } finally {
        await close();
      }
    }, 30_000);

    it("makes no second sale when a wipe hands the lock to a second writer while the first one's create is on its way", async () => {
      // Writer A's sale reaches Cin7, which commits and answers 3 s later. Meanwhile Redis is wiped (A's lock with
      // it) and writer B (another worker with the same order: a redelivery) takes the key at once.
      const { lock, twin, wipe, close } = settlingLock(5_000, 1_500);
      try {
        const writerA = newConnector({ locks: lock, requestTimeoutMs: 5_000 });
        const writerB = newConnector({ locks: twin(), requestTimeoutMs: 5_000 });
        const draft = order();
        const customerRef = await connector.upsertCustomer(customer());
        sim.server.configure({ commitDelayMs: 3_000 });
        const delayed = sim.server.state().stats.counters.delayedCommits;
        const first = expectErpError(
          writerA.upsertSalesOrder(draft, customerRef, { mayExist: false }),
          ErrorKind.Transient,
          'LOCK_LOST',
        );
        await until("A's sale to reach Cin7", () => sim.server.state().stats.counters.delayedCommits > delayed, 5_000);
        await wipe();
        sim.server.configure({ commitDelayMs: 0 });
        const second = await writerB.upsertSalesOrder(draft, customerRef, { mayExist: true });
        await first;
        await until('every create to commit', () => sim.server.state().stats.inFlight === 0, 10_000);
        expect(salesOf(draft.externalId)).toEqual([
          expect.objectContaining({ internalId: second.erpId, lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
        ]);
      } finally {
        await close();
      }
    }, 30_000);
  });

  describe('delta reads', () => {
    it('reads price, cost and barcode changes of items modified since a watermark', async () => {
      const since = afterNewestChange();
      sim.server.catalog.apply({
        items: [{ sku: 'SKU-0003', price: '99.95', cost: '40.10', barcode: '4006381333931' }],
      });
      const page = await connector.readItemChanges({ since, pageSize: 100 });
      expect(page.nextCursor).toBeUndefined();
      expect(page.records).toEqual([
        expect.objectContaining<Partial<ErpItemChange>>({
          erpItemId: '00000000-0000-4000-8000-000000001003',
          sku: 'SKU-0003',
          price: '99.95',
          cost: '40.10',
          barcode: '4006381333931',
          active: true,
        }),
      ]);
    });

    it('reads Weight in WeightUnits, and the compare-at price from the configured PriceTier only', async () => {
      const since = afterNewestChange();
      sim.server.catalog.apply({
        items: [
          { sku: 'SKU-0004', compareAtPrice: '74.50', weight: { value: '2.5', unit: 'POUNDS' } },
          { sku: 'SKU-0005', weight: { value: '300', unit: 'GRAMS' } },
        ],
      });
      const fetchSpy = jest.spyOn(global, 'fetch');
      try {
        const compareAt = newConnector({}, undefined, { compareAtPriceTier: SIM_COMPARE_AT_PRICE_TIER });
        const page = await compareAt.readItemChanges({ since, pageSize: 100 });
        const productCalls = fetchSpy.mock.calls
          .map(([url]) => new URL(url instanceof Request ? url.url : url))
          .filter((u) => u.pathname.endsWith('/product'));
        expect(productCalls.at(-1)?.searchParams.get('ModifiedSince')).not.toBeNull();
        expect(page.records.find((r) => r.sku === 'SKU-0004')).toMatchObject({
          compareAtPrice: '74.50',
          weight: { value: '2.5', unit: 'POUNDS' },
        });
        const grams = page.records.find((r) => r.sku === 'SKU-0005');
        expect(grams?.weight).toEqual({ value: '300', unit: 'GRAMS' });
        // Its tier is 0 in Cin7 (no price there): no compare-at price.
        expect(grams).not.toHaveProperty('compareAtPrice');
      } finally {
        fetchSpy.mockRestore();
      }
      const plain = await connector.readItemChanges({ since, pageSize: 100 });
      expect(plain.records.find((r) => r.sku === 'SKU-0004')).not.toHaveProperty('compareAtPrice');
    });

    it('pages through every item, oldest first within pages', async () => {
      const { records, pages } = await readAll((q) => connector.readItemChanges(q), 200);
      expect(pages).toBe(3);
      expect(new Set(records.map((r) => r.sku)).size).toBe(500);
      const sorted = [...records].sort((a, b) => a.lastModified.localeCompare(b.lastModified));
      expect(records.map((r) => r.sku)).toEqual(sorted.map((r) => r.sku));
    });

    it('reads product families as parents with options, and deactivations', async () => {
      const since = afterNewestChange();
      sim.server.catalog.apply({
        items: [
          { sku: 'TEE-M', name: 'Tee M', parentSku: 'TEE', options: { Size: 'M' }, price: '20.00' },
          { sku: 'TEE-L', name: 'Tee L', parentSku: 'TEE', options: { Size: 'L' }, price: '20.00' },
          { sku: 'SKU-0010', active: false },
        ],
      });
      const { records } = await readAll((q) => connector.readItemChanges(q), 100, since);
      const tees = records.filter((r) => r.sku.startsWith('TEE-'));
      expect(tees).toHaveLength(2);
      expect(tees[0]?.parentErpItemId).toBeDefined();
      expect(tees[0]?.parentErpItemId).toBe(tees[1]?.parentErpItemId);
      expect(tees.map((t) => t.options)).toEqual([{ Size: 'M' }, { Size: 'L' }]);
      expect(records.find((r) => r.sku === 'SKU-0010')?.active).toBe(false);
    });

    it('reads every stock level, summing batches across page boundaries', async () => {
      sim.vendor.setBatchesPerStockRow(2);
      sim.server.catalog.apply({
        stock: [
          { sku: 'SKU-0004', locationCode: 'MAIN', onHand: 37, committed: 5 },
          { sku: 'SKU-0004', locationCode: 'EAST', onHand: 8 },
        ],
      });
      // 501 levels × 2 batch rows; a page size of 7 splits many products' rows across pages.
      const { records, pages } = await readAll((q) => connector.readInventoryLevels(q), 7);
      expect(pages).toBe(Math.ceil((501 * 2) / 7));
      const keys = records.map((r) => `${r.sku}@${r.erpLocationId}`);
      expect(new Set(keys).size).toBe(501);
      expect(records.filter((r) => r.sku === 'SKU-0004')).toEqual(
        expect.arrayContaining<ErpInventoryLevel>([
          expect.objectContaining({ erpLocationId: 'Main warehouse', onHand: 37, available: 32, committed: 5 }),
          expect.objectContaining({ erpLocationId: 'East warehouse', onHand: 8, available: 8 }),
        ]),
      );
      expect(records.reduce((sum, r) => sum + r.onHand, 0)).toBe(499 * 100 + 37 + 8);
    });

    it('reads a quantity change (all levels are returned: Cin7 cannot filter stock by time)', async () => {
      const since = afterNewestChange();
      sim.server.catalog.apply({ stock: [{ sku: 'SKU-0005', locationCode: 'MAIN', onHand: 3 }] });
      const { records } = await readAll((q) => connector.readInventoryLevels(q), 1000, since);
      expect(records).toHaveLength(500);
      expect(records.find((r) => r.sku === 'SKU-0005')).toMatchObject({ onHand: 3, available: 3 });
    });

    it('reads tracking of shipped Shopify sales and fetches only shipped sales in full', async () => {
      const customerRef = await connector.upsertCustomer(customer());
      const shippedOrder = order();
      const quietOrder = order();
      await connector.upsertSalesOrder(shippedOrder, customerRef);
      await connector.upsertSalesOrder(quietOrder, customerRef);
      const since = new Date(Date.now() - 60_000).toISOString();
      sim.server.catalog.apply({
        shipments: [
          {
            orderExternalId: shippedOrder.externalId,
            trackingNumbers: ['1Z999AA10123456784'],
            carrier: 'UPS',
            trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
            lines: [{ sku: 'SKU-0001', quantity: 2 }],
          },
        ],
      });
      const before = sim.server.state().stats.requests;
      const page = await connector.readShipments({ since, pageSize: 100 });
      expect(sim.server.state().stats.requests - before).toBe(2); // saleList + one GET /sale
      expect(page.records).toEqual([
        expect.objectContaining<Partial<ErpShipment>>({
          orderExternalId: shippedOrder.externalId,
          trackingNumbers: ['1Z999AA10123456784'],
          carrier: 'UPS',
          trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
          lines: [{ sku: 'SKU-0001', quantity: 2 }],
        }),
      ]);
    });
  });

  describe('push verification', () => {
    const secret = 'cin7-shared-secret';

    it.each([
      ['Product/Updated', ['items']],
      ['Stock/AvailableStockLevelChanged', ['inventory']],
      ['Sale/ShipmentTrackingNumberChanged', ['shipments']],
      ['Sale/QuoteAuthorised', []],
    ])('wakes the right streams for %s with the right secret', (event, streams) => {
      expect(connector.verifyPush(cin7WebhookDelivery(event, { mode: 'header', secret }), secret)).toEqual({
        kind: 'wake',
        streams,
      });
      expect(
        connector.verifyPush(cin7WebhookDelivery(event, { mode: 'basic', username: 'cin7', password: secret }), secret)
          .kind,
      ).toBe('wake');
    });

    it('rejects a wrong or missing secret', () => {
      expect(
        connector.verifyPush(cin7WebhookDelivery('Product/Updated', { mode: 'header', secret: 'x' }), secret).kind,
      ).toBe('rejected');
      expect(connector.verifyPush(cin7WebhookDelivery('Product/Updated', { mode: 'none' }), secret).kind).toBe(
        'rejected',
      );
    });
  });

  describe('limits and outages', () => {
    it('classifies the 60 calls per minute answer (503) as Throttled with a wait', async () => {
      sim.server.configure({ requestsPerMinute: 2 });
      const raw = newConnector({ gate: passthroughGate });
      await raw.checkConnection();
      await raw.checkConnection();
      const error = await expectErpError(raw.checkConnection(), ErrorKind.Throttled);
      expect(error.details).toMatchObject({ httpStatus: 503, retryAfterMs: 5_000 });
      expect(sim.server.state().stats.counters.throttled).toBe(1);
    });

    it('classifies a 429 throttle (as some accounts see) as Throttled', async () => {
      sim.vendor.setThrottleStatus(429);
      sim.server.configure({ requestsPerMinute: 1 });
      const raw = newConnector({ gate: passthroughGate });
      await raw.checkConnection();
      const error = await expectErpError(raw.checkConnection(), ErrorKind.Throttled);
      expect(error.details.httpStatus).toBe(429);
    });

    it('lets the gate wait out a throttle and re-send, after the wait the connector gives Cin7', async () => {
      sim.server.configure({ concurrencyLimit: 1, latencyMs: 300 });
      const started = Date.now();
      await Promise.all([connector.checkConnection(), connector.checkConnection()]);
      const { counters } = sim.server.state().stats;
      expect(counters.ok).toBe(2);
      expect(counters.throttled).toBeGreaterThan(0);
      // Cin7's limit answer carries no Retry-After: the throttled call was re-sent after the connector's own 5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    }, 30_000);

    it('leaves one sale each when a slow Cin7 loses the answers of committed sale headers and all run again', async () => {
      // The e2e slow-ERP scenario (S4) on this vendor: each POST /sale of a concurrent batch commits and its answer
      // is lost after 100 ms; the redelivered writes find the sale (under the lock) and complete it.
      const customerRef = await connector.upsertCustomer(customer());
      sim.server.configure({ latencyMs: 100, commitThenDropRate: 1 });
      const drafts = Array.from({ length: 4 }, () => order());
      const lost = await Promise.allSettled(drafts.map((draft) => connector.upsertSalesOrder(draft, customerRef)));
      expect(lost.map((r) => (r.status === 'rejected' ? (r.reason as ErpError).kind : 'answered'))).toEqual(
        drafts.map(() => ErrorKind.Transient),
      );
      sim.server.configure({ commitThenDropRate: 0 });
      await Promise.all(drafts.map((draft) => connector.upsertSalesOrder(draft, customerRef)));
      for (const draft of drafts) {
        expect(sim.vendor.orders().filter((o) => o.externalId === draft.externalId)).toEqual([
          expect.objectContaining({ lines: [{ sku: 'SKU-0001', quantity: 2 }] }),
        ]);
      }
    });

    it('classifies maintenance (503 page), refused connections and 500s as Transient', async () => {
      sim.server.configure({ maintenance: '503' });
      const maintenance = await expectErpError(connector.checkConnection(), ErrorKind.Transient);
      expect(maintenance.details.httpStatus).toBe(503);
      sim.server.configure({ maintenance: 'refuse' });
      await expectErpError(connector.checkConnection(), ErrorKind.Transient);
      sim.server.configure({ maintenance: 'off', errorRate: 1 });
      await expectErpError(connector.checkConnection(), ErrorKind.Transient);
    });

    it('times out a hanging Cin7 as Transient', async () => {
      sim.server.configure({ maintenance: 'hang' });
      await expectErpError(connector.checkConnection(), ErrorKind.Transient, 'TIMEOUT');
    });
  });
});

describe('the money fixture table on Cin7', () => {
  it('writes every order with Shopify total as the sale total and the exchange rate of a Markets order', async () => {
    sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
    const drafts = moneyTableDrafts();
    for (const { customer: buyer, salesOrder } of drafts) {
      await connector.upsertSalesOrder(salesOrder, await connector.upsertCustomer(buyer));
    }
    const totals = new Map(sim.vendor.orders().map((order) => [order.externalId, order.total]));
    const mismatches = drafts
      .filter(({ salesOrder }) => totals.get(salesOrder.externalId) !== salesOrder.total)
      .map(({ name, salesOrder }) => `${name}: ${totals.get(salesOrder.externalId)} vs ${salesOrder.total}`);
    expect(mismatches).toEqual([]);
    const views = new Map(sim.vendor.orders().map((order) => [order.externalId, order]));
    const markets = drafts.filter(({ salesOrder }) => salesOrder.currency !== salesOrder.currencies?.shopCurrency);
    expect(markets.length).toBeGreaterThanOrEqual(10);
    for (const { salesOrder } of markets) {
      expect(views.get(salesOrder.externalId)).toMatchObject({
        currency: salesOrder.currencies?.presentmentCurrency,
        exchangeRate: Number(salesOrder.currencies?.exchangeRate),
      });
    }
  });
});

describe('tenders on Cin7', () => {
  it('records the gift card tenders of the money table as sale prepayments, once each, in one read per order', async () => {
    sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
    const cases = giftCardTenderDrafts({ gift_card: '1250' });
    expect(cases.length).toBeGreaterThanOrEqual(3);
    for (const { customer: buyer, salesOrder, payments } of cases) {
      const buyerRef = await connector.upsertCustomer(buyer);
      const order = await connector.upsertSalesOrder(salesOrder, buyerRef);
      const before = sim.vendor.requestCounts();
      const first = await connector.recordPayments(payments, order);
      const again = await connector.recordPayments(payments, order);
      expect(again).toEqual(first);
      const after = sim.vendor.requestCounts();
      // Two reads (one per call) and one create per tender: the second call found them all.
      expect((after['GET sale/payment'] ?? 0) - (before['GET sale/payment'] ?? 0)).toBe(2);
      expect((after['POST sale/payment'] ?? 0) - (before['POST sale/payment'] ?? 0)).toBe(payments.length);
      expect(sim.vendor.salePayments().filter((p) => p.SaleID === order.erpId)).toEqual(
        payments.map((p, i) =>
          expect.objectContaining({
            ID: first[i]?.erpId,
            TaskID: order.erpId,
            Type: 'PREPAYMENT',
            Reference: `shopify-tx-${p.externalId}`,
            Amount: Number(p.amount),
            Account: '1250',
          }),
        ),
      );
    }
    expect(sim.vendor.salePayments()).toHaveLength(cases.length);
  });

  it('refuses a prepayment against a voided sale as Permanent', async () => {
    sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
    const [{ customer: buyer, salesOrder, payments }] = giftCardTenderDrafts({ gift_card: '' }) as [
      ReturnType<typeof giftCardTenderDrafts>[number],
    ];
    const buyerRef = await connector.upsertCustomer(buyer);
    const order = await connector.cancelSalesOrder({ ...salesOrder, status: 'cancelled' }, buyerRef);
    const error = (await connector.recordPayments(payments, order).catch((e: unknown) => e)) as ErpError;
    expect(error).toBeInstanceOf(ErpError);
    expect(error.kind).toBe(ErrorKind.Permanent);
    expect(sim.vendor.salePayments()).toEqual([]);
  });
});

describe('Cin7 sales order listing (gap report)', () => {
  it('asks saleList for 1,000 a page from a day before the window (CreatedSince), then GETs each live sale of the orders for its total', async () => {
    const window = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    const ref = await connector.upsertCustomer(customer());
    const [a, b, voided] = [order(), order(), order()];
    const first = await connector.upsertSalesOrder(a, ref);
    // A second sale for the same order: created without a look-up, as a duplicate would be.
    const second = await connector.upsertSalesOrder(a, ref, { mayExist: false });
    const other = await connector.upsertSalesOrder(b, ref);
    await connector.upsertSalesOrder(voided, ref);
    await connector.cancelSalesOrder(voided, ref);
    // Not one of the listed orders.
    await connector.upsertSalesOrder(order(), ref);

    const { result, fetches } = await fetchesDuring(() =>
      connector.listSalesOrders({
        orders: [a, b, voided].map((draft) => ({ externalId: draft.externalId, reference: draft.reference })),
        ...window,
      }),
    );

    const createdSince = new Date(Date.parse(window.from) - 86_400_000).toISOString().slice(0, 23);
    expect(fetches.map(requestLine)).toEqual([
      `GET /ExternalApi/v2/saleList?Page=1&Limit=1000&CreatedSince=${encodeURIComponent(createdSince)}`,
      ...[first.erpId, second.erpId, other.erpId].map((id) => `GET /ExternalApi/v2/sale?ID=${id}`),
    ]);
    const total = (id: string): string | null | undefined =>
      sim.vendor.orders().find((o) => o.internalId === id)?.total;
    expect(result.map((d) => [d.erpId, d.externalId, d.matchedBy, d.total])).toEqual([
      [first.erpId, a.externalId, 'externalId', total(first.erpId)],
      [second.erpId, a.externalId, 'externalId', total(second.erpId)],
      [other.erpId, b.externalId, 'externalId', total(other.erpId)],
    ]);
    expect(first.erpId).not.toBe(second.erpId);
  });
});

describe('B2B orders on Cin7', () => {
  const b2b = (): ReturnType<typeof moneyTableDrafts> =>
    moneyTableDrafts().filter(({ customer: buyer }) => buyer.parentCompany !== undefined);
  type Drafts = ReturnType<typeof moneyTableDrafts>;

  beforeEach(() => {
    sim.server.catalog.apply({ items: NON_PRODUCT_ITEMS });
  });

  it('makes one customer per company location, found again by our key and never by the buyer e-mail', async () => {
    const cin7 = newConnector();
    const [{ customer: location, salesOrder }] = b2b() as [Drafts[number]];
    const consumer = await cin7.upsertCustomer(customer({ email: salesOrder.email }));
    const first = await cin7.upsertCustomer(location);
    const again = await cin7.upsertCustomer(location);
    expect(again.erpId).toBe(first.erpId);
    expect(first.erpId).not.toBe(consumer.erpId);
    const created = sim.vendor.customers().find((c) => c.internalId === first.erpId);
    expect(created).toMatchObject({
      externalId: location.externalId,
      name: `Acme Retail Ltd [${location.externalId}]`,
      email: null,
      writeCount: 1,
    });
  });

  it('puts the PO number in CustomerReference and the mapped payment term in Terms', async () => {
    const cin7 = newConnector({}, undefined, { paymentTermsMap: { 'Net 30': '30 days', 'Net 60': '60 days' } });
    const drafts = b2b();
    for (const { customer: buyer, salesOrder } of drafts) {
      await cin7.upsertSalesOrder(salesOrder, await cin7.upsertCustomer(buyer));
    }
    const views = new Map(sim.vendor.orders().map((order) => [order.externalId, order]));
    expect(
      drafts.map(({ salesOrder }) => ({
        po: views.get(salesOrder.externalId)?.purchaseOrderNumber,
        terms: views.get(salesOrder.externalId)?.paymentTerms,
      })),
    ).toEqual([
      { po: 'PO-44781', terms: '30 days' },
      { po: 'ACME-2026-117', terms: '60 days' },
      // Net 15 is not in the map: Cin7 applies the customer's payment term.
      { po: 'BESTELLUNG-9931', terms: undefined },
      // No PO number: Shopify's order name, as on a consumer order.
      { po: drafts[3]?.salesOrder.reference, terms: undefined },
    ]);
  });

  it('previews the sale header with CustomerReference and Terms', async () => {
    const cin7 = newConnector({}, undefined, { paymentTermsMap: { 'Net 30': '30 days' } });
    const [{ customer: buyer, salesOrder }] = b2b() as [Drafts[number]];
    const preview = await cin7.previewOrderWrite(buyer, salesOrder, { mayExist: false });
    const header = preview.requests.find((request) => request.path === 'sale')?.body;
    expect(header).toMatchObject({ CustomerReference: 'PO-44781', Terms: '30 days' });
    const newCustomer = preview.requests.find((request) => request.path === 'customer')?.body;
    expect(newCustomer).toMatchObject({ Name: `Acme Retail Ltd [${buyer.externalId}]` });
  });

  it('is refused by Cin7 when the map names a payment term the account lacks', async () => {
    const cin7 = newConnector({}, undefined, { paymentTermsMap: { 'Net 30': 'Net 30 days' } });
    const [{ customer: buyer, salesOrder }] = b2b() as [Drafts[number]];
    const error = await expectErpError(
      cin7.upsertSalesOrder(salesOrder, await cin7.upsertCustomer(buyer)),
      ErrorKind.Permanent,
    );
    expect(error.message).toContain("Payment term 'Net 30 days' not found");
  });
});

describe('Cin7 Core payouts', () => {
  it('says deposits are unsupported (no bank deposit or journal endpoint) and refuses one as Permanent, sending nothing', async () => {
    const cin7 = newConnector();
    expect(cin7.depositsUnsupported).toContain('Cin7 Core API v2 has no bank deposit');
    await expect(
      cin7.createDeposit({
        externalId: 'shopify-payout-1',
        payoutId: '1',
        depositDate: '2026-10-07',
        currency: 'USD',
        bankAccount: '1000',
        total: '1.00',
        memo: 'Shopify Payments payout 1',
        lines: [{ kind: 'sales', account: '1200', amount: '1.00', memo: 'Shopify Payments charges less refunds' }],
      }),
    ).rejects.toMatchObject({ kind: ErrorKind.Permanent, code: 'NOT_SUPPORTED' });
  });
});
