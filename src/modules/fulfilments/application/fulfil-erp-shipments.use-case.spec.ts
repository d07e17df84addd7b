import type { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import type { AppConfig } from 'src/config/app-config';
import type { AuditEntry, AuditWriter } from 'src/modules/audit';
import { FulfilErpShipments } from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';
import type {
  FulfilmentPlan,
  FulfilmentTrackingInput,
  ShipmentToFulfil,
} from 'src/modules/fulfilments/domain/fulfilment.types';
import type {
  DueShipment,
  ShipmentFulfilmentRepository,
} from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';
import type { OrderShops } from 'src/modules/orders';
import { ShopifyAdminClients, type ShopifyDocument } from 'src/modules/shopify';
import type { ShopDirectory } from 'src/modules/shops';

const ORDER = 'gid://shopify/Order/1001';
const LOCATION = 'gid://shopify/Location/1';

/** In-memory stand-in for the repository: the states the use case moves a shipment through. */
class FakeRepository {
  status = new Map<string, string>();
  plans = new Map<string, FulfilmentPlan>();
  records = new Map<
    string,
    { fulfillmentGid: string | null; pendingAt: Date | null; tracking: FulfilmentTrackingInput | null }
  >();
  errors = new Map<string, string>();
  /** Shipments the ERP changed since they were fulfilled (due again). */
  changed = new Set<string>();
  constructor(readonly shipments: ShipmentToFulfil[]) {}

  due(): Promise<DueShipment[]> {
    return Promise.resolve(
      this.shipments
        .filter(
          (s) =>
            !['fulfilled', 'failed'].includes(this.status.get(s.erpShipmentId) ?? '') ||
            this.changed.has(s.erpShipmentId),
        )
        .map((shipment) => ({
          shipment,
          shop: null,
          status: (this.status.get(shipment.erpShipmentId) ?? null) as DueShipment['status'],
          plan: this.plans.get(shipment.erpShipmentId) ?? null,
          attempts: 0,
          records: new Map(
            [...this.records]
              .filter(([k]) => k.startsWith(`${shipment.erpShipmentId}@`))
              .map(([k, v]) => [k.split('@')[1] ?? '', v]),
          ),
        })),
    );
  }
  savePlan(_shop: string, _order: string, s: ShipmentToFulfil, plan: FulfilmentPlan): Promise<void> {
    this.plans.set(s.erpShipmentId, plan);
    this.status.set(s.erpShipmentId, 'planned');
    return Promise.resolve();
  }
  markPending(s: ShipmentToFulfil, location: string): Promise<Date> {
    this.records.set(`${s.erpShipmentId}@${location}`, { fulfillmentGid: null, pendingAt: new Date(), tracking: null });
    this.status.set(s.erpShipmentId, 'pending');
    return Promise.resolve(new Date());
  }
  recordFulfilment(
    s: ShipmentToFulfil,
    location: string,
    gid: string,
    tracking: FulfilmentTrackingInput,
  ): Promise<void> {
    this.records.set(`${s.erpShipmentId}@${location}`, { fulfillmentGid: gid, pendingAt: null, tracking });
    return Promise.resolve();
  }
  recordTracking(s: ShipmentToFulfil, location: string, tracking: FulfilmentTrackingInput): Promise<void> {
    const record = this.records.get(`${s.erpShipmentId}@${location}`);
    if (record !== undefined) {
      record.tracking = tracking;
    }
    return Promise.resolve();
  }
  markFulfilled(s: ShipmentToFulfil): Promise<void> {
    this.status.set(s.erpShipmentId, 'fulfilled');
    this.changed.delete(s.erpShipmentId);
    return Promise.resolve();
  }
  markRetry(_shop: string, _order: string, s: ShipmentToFulfil, error: string): Promise<void> {
    this.status.set(s.erpShipmentId, 'retry');
    this.errors.set(s.erpShipmentId, error);
    return Promise.resolve();
  }
  markFailed(_shop: string, _order: string, s: ShipmentToFulfil, error: string): Promise<void> {
    this.status.set(s.erpShipmentId, 'failed');
    this.errors.set(s.erpShipmentId, error);
    return Promise.resolve();
  }
  claimedFulfilments(): Promise<Set<string>> {
    return Promise.resolve(new Set());
  }
}

/** The advisory locks: free unless a test says another process holds them. */
class FakeLocks {
  keys: string[] = [];
  heldElsewhere = false;
  tryExclusive<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
    this.keys.push(key);
    return this.heldElsewhere ? Promise.resolve(undefined) : work();
  }
}

/** A hand-written Shopify port answering the three documents the use case sends. */
class FakeShopify {
  sent: Array<{ name: string; variables: unknown }> = [];
  createAnswer: () => unknown = () => ({
    fulfillmentCreate: { fulfillment: { id: 'gid://shopify/Fulfillment/9', status: 'SUCCESS' }, userErrors: [] },
  });

  request<TData, TVariables>(document: ShopifyDocument<TData, TVariables>, variables: TVariables) {
    this.sent.push({ name: document.name, variables });
    const data =
      document.name === 'OrderFulfillmentOrders'
        ? {
            order: {
              id: ORDER,
              fulfillmentOrders: {
                nodes: [
                  {
                    id: 'gid://shopify/FulfillmentOrder/1',
                    status: 'OPEN',
                    assignedLocation: { name: 'Main', location: { id: LOCATION } },
                    lineItems: {
                      nodes: [
                        {
                          id: 'gid://shopify/FulfillmentOrderLineItem/1',
                          remainingQuantity: 2,
                          lineItem: { id: 'gid://shopify/LineItem/1', sku: 'A' },
                        },
                      ],
                    },
                  },
                ],
              },
            },
          }
        : document.name === 'OrderFulfillments'
          ? { order: { id: ORDER, fulfillments: [] } }
          : document.name === 'FulfillmentTrackingInfoUpdate'
            ? { fulfillmentTrackingInfoUpdate: { fulfillment: { id: 'x', trackingInfo: [] }, userErrors: [] } }
            : this.createAnswer();
    return Promise.resolve({ data: data as TData });
  }
  bulkQuery(): AsyncIterable<Record<string, unknown>> {
    throw new Error('not used');
  }
}

const shipment: ShipmentToFulfil = {
  connector: 'netsuite',
  erpShipmentId: 'IF-1',
  orderExternalId: '1001',
  trackingNumbers: ['1Z1'],
  carrier: 'UPS',
  lines: [{ sku: 'A', quantity: 2 }],
  changedAt: new Date(),
};

function setup(shipments: ShipmentToFulfil[] = [shipment]) {
  const repository = new FakeRepository(shipments);
  const shopify = new FakeShopify();
  const locks = new FakeLocks();
  const audits: AuditEntry[] = [];
  const shop = { domain: 'shop.myshopify.com', adminApiUrl: 'https://shop.myshopify.com/admin', enabled: true };
  const sut = new FulfilErpShipments(
    new ShopifyAdminClients(
      () => shopify,
      () => Promise.resolve(shop),
    ),
    { enabled: () => Promise.resolve([shop]), bootstrapDomain: shop.domain } as unknown as ShopDirectory,
    { owners: () => Promise.resolve(new Map<string, string>()) } as unknown as OrderShops,
    {
      shopify: {
        shopDomain: 'shop.myshopify.com',
        trackingCompanyMap: { 'pallet 24': 'Palletways' },
        trackingUpdateNotifyCustomer: false,
      },
    } as unknown as AppConfig,
    repository as unknown as ShipmentFulfilmentRepository,
    { record: (entry: AuditEntry) => audits.push(entry) } as unknown as AuditWriter,
    locks as unknown as AdvisoryLocks,
  );
  return { sut, repository, shopify, audits, locks };
}

describe(FulfilErpShipments.name, () => {
  it('reads the fulfilment orders, creates one fulfilment with tracking and notifyCustomer, and records it', async () => {
    const { sut, repository, shopify, audits } = setup();
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ created: 1, fulfilled: 1 });
    expect(shopify.sent.map((s) => s.name)).toEqual(['OrderFulfillmentOrders', 'FulfillmentCreate']);
    expect(shopify.sent[1]?.variables).toEqual({
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1',
            fulfillmentOrderLineItems: [{ id: 'gid://shopify/FulfillmentOrderLineItem/1', quantity: 2 }],
          },
        ],
        notifyCustomer: true,
        trackingInfo: { company: 'UPS', number: '1Z1' },
      },
    });
    expect(repository.records.get(`IF-1@${LOCATION}`)?.fulfillmentGid).toBe('gid://shopify/Fulfillment/9');
    expect(audits.map((a) => a.status)).toEqual(['received', 'succeeded']);
  });

  it('does nothing while another process runs the fulfilment writer of the connector (its advisory lock)', async () => {
    const { sut, repository, shopify, locks } = setup();
    locks.heldElsewhere = true;
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ ran: false, considered: 0 });
    expect(locks.keys).toEqual(['fulfilments:netsuite']);
    expect(shopify.sent).toEqual([]);
    expect(repository.status.size).toBe(0);
  });

  it('keeps userErrors as a permanent failure with Shopify’s message', async () => {
    const { sut, repository, shopify, audits } = setup();
    shopify.createAnswer = () => ({
      fulfillmentCreate: { fulfillment: null, userErrors: [{ field: ['fulfillment'], message: 'Invalid quantity' }] },
    });
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ failed: 1, created: 0 });
    expect(repository.status.get('IF-1')).toBe('failed');
    expect(repository.errors.get('IF-1')).toContain('Invalid quantity');
    expect(audits.at(-1)?.status).toBe('dead_lettered');
  });

  it('treats an answer with neither a fulfilment nor an error as permanent (an operator must look)', async () => {
    const { sut, repository, shopify } = setup();
    shopify.createAnswer = () => ({ fulfillmentCreate: { fulfillment: null, userErrors: [] } });
    await sut.execute({ connector: 'netsuite' });
    expect(repository.status.get('IF-1')).toBe('failed');
  });

  it('retries a thrown (unknown-outcome) error and, next time, looks for the fulfilment before creating', async () => {
    const { sut, repository, shopify } = setup();
    shopify.createAnswer = () => {
      throw new Error('socket hang up');
    };
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ retried: 1 });
    expect(repository.status.get('IF-1')).toBe('retry');
    shopify.sent = [];
    shopify.createAnswer = () => ({
      fulfillmentCreate: { fulfillment: { id: 'gid://shopify/Fulfillment/10', status: 'SUCCESS' }, userErrors: [] },
    });
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ created: 1 });
    // The frozen plan is reused (no second planning read); the order's fulfilments are checked first.
    expect(shopify.sent.map((s) => s.name)).toEqual(['OrderFulfillments', 'FulfillmentCreate']);
  });

  it('sends a later ERP change of carrier or tracking as fulfillmentTrackingInfoUpdate, never a second fulfilment', async () => {
    const { sut, repository, shopify, audits } = setup();
    await sut.execute({ connector: 'netsuite' });
    // The ERP changes the shipment's ship method and tracking number after it was fulfilled.
    repository.shipments[0] = { ...shipment, trackingNumbers: ['1Z2'], carrier: 'Pallet 24' };
    repository.changed.add('IF-1');
    shopify.sent = [];
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({
      created: 0,
      fulfilled: 0,
      trackingUpdated: 1,
    });
    expect(shopify.sent).toEqual([
      {
        name: 'FulfillmentTrackingInfoUpdate',
        variables: {
          fulfillmentId: 'gid://shopify/Fulfillment/9',
          trackingInfoInput: { company: 'Palletways', number: '1Z2' },
          notifyCustomer: false,
        },
      },
    ]);
    expect(repository.records.get(`IF-1@${LOCATION}`)?.tracking).toEqual({ company: 'Palletways', number: '1Z2' });
    expect(audits.at(-1)).toMatchObject({ topic: 'fulfillments/update', status: 'succeeded' });

    // Another ERP change that leaves the tracking as it is (a memo, a line) sends nothing.
    repository.changed.add('IF-1');
    shopify.sent = [];
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ trackingUpdated: 0 });
    expect(shopify.sent).toEqual([]);
    expect(repository.status.get('IF-1')).toBe('fulfilled');
  });

  it('takes the tracking of a fulfilment recorded before tracking was kept as sent (no update, no e-mail)', async () => {
    const { sut, repository, shopify } = setup();
    await sut.execute({ connector: 'netsuite' });
    const record = repository.records.get(`IF-1@${LOCATION}`);
    if (record !== undefined) {
      record.tracking = null;
    }
    repository.changed.add('IF-1');
    shopify.sent = [];
    await expect(sut.execute({ connector: 'netsuite' })).resolves.toMatchObject({ trackingUpdated: 0 });
    expect(shopify.sent).toEqual([]);
    expect(repository.records.get(`IF-1@${LOCATION}`)?.tracking).toEqual({ company: 'UPS', number: '1Z1' });
  });

  it('refuses an order id that is not a Shopify id without calling Shopify', async () => {
    const { sut, repository, shopify } = setup([{ ...shipment, orderExternalId: 'SO-77' }]);
    await sut.execute({ connector: 'netsuite' });
    expect(repository.errors.get('IF-1')).toContain('is not a Shopify order id');
    expect(shopify.sent).toEqual([]);
  });
});
