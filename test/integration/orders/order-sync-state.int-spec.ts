import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import type { AuditWriter } from 'src/modules/audit';
import type {
  ErpCustomerDraft,
  ErpPort,
  ErpRecordRef,
  ErpSalesOrderDraft,
  ErpWriteGate,
  ErpWriteOptions,
  MessageContext,
} from 'src/modules/erp';
import type { MappingReader } from 'src/modules/mapping';
import type { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { noTenders } from 'test/support/order-tenders';
import { ensureDatabase } from 'test/support/services';
import { TEST_SHOP, serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const DB = INTEGRATION_RESOURCES.orderSyncState.database;

/** The order state and inbox writes of the ERP writer, on real PostgreSQL (no Redis or RabbitMQ needed). */
describe("OrderSyncStateRepository: the ERP writer's reads and writes in one statement each, and SyncOrderToErp's write marker on it", () => {
  const urls = serviceUrls(DB, 0);
  let dataSource: DataSource;
  let repository: OrderSyncStateRepository;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    repository = new OrderSyncStateRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const key = (orderId: string, delivery: string): InboxKey => ({
    shop: TEST_SHOP,
    topic: 'orders/updated',
    webhookId: `wh-${delivery}`,
    eventId: `ev-${delivery}`,
    resourceId: orderId,
  });
  const state = (updatedAt: string, erpId: string) => ({
    updatedAt,
    status: 'open' as const,
    erpId,
    customerErpId: 'cust-1',
    orderName: '#1001',
    customerExternalId: 'c-1',
  });

  it('stores the state and marks the delivery applied', async () => {
    await repository.recordApplied(key('o-1', 'a'), state('2026-12-01T10:00:00.000Z', 'SO-1'));

    expect(await repository.find(TEST_SHOP, 'o-1')).toEqual({
      lastAppliedUpdatedAt: new Date('2026-12-01T10:00:00.000Z'),
      status: 'open',
      erpId: 'SO-1',
      orderName: '#1001',
      customerExternalId: 'c-1',
      erpDocumentNumber: null,
    });
    expect(await repository.processedOutcome(key('o-1', 'a'))).toBe('applied');
  });

  it('moves the state forward only, but still marks an older delivery processed', async () => {
    await repository.recordApplied(key('o-2', 'new'), state('2026-12-01T12:00:00.000Z', 'SO-new'));
    await repository.recordApplied(key('o-2', 'old'), state('2026-12-01T11:00:00.000Z', 'SO-old'));

    const current = await repository.find(TEST_SHOP, 'o-2');
    expect(current?.erpId).toBe('SO-new');
    expect(current?.lastAppliedUpdatedAt).toEqual(new Date('2026-12-01T12:00:00.000Z'));
    expect(await repository.processedOutcome(key('o-2', 'old'))).toBe('applied');
  });

  it('treats a repeated delivery as a no-op for the inbox and writes nothing partial on a bad value', async () => {
    await repository.recordApplied(key('o-3', 'x'), state('2026-12-01T10:00:00.000Z', 'SO-3'));
    await repository.recordApplied(key('o-3', 'x'), state('2026-12-01T10:00:00.000Z', 'SO-3'));
    const rows = await dataSource.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM webhook_inbox WHERE resource_id = 'o-3'`,
    );
    expect(rows[0].count).toBe(1);

    // An unreadable timestamp fails the whole statement: neither the state nor the inbox row is written.
    await expect(repository.recordApplied(key('o-4', 'y'), state('not a date', 'SO-4'))).rejects.toThrow();
    expect(await repository.find(TEST_SHOP, 'o-4')).toBeNull();
    expect(await repository.processedOutcome(key('o-4', 'y'))).toBeNull();
  });

  it('finds a delivery: new or processed, with or without an applied state, in one query', async () => {
    expect(await repository.findDelivery(key('o-5', 'first'))).toEqual({
      processedOutcome: null,
      applied: null,
      hold: null,
      appliedPayload: null,
    });

    await repository.recordApplied(key('o-5', 'first'), state('2026-12-01T10:00:00.000Z', 'SO-5'));
    const applied = {
      lastAppliedUpdatedAt: new Date('2026-12-01T10:00:00.000Z'),
      status: 'open',
      erpId: 'SO-5',
      orderName: '#1001',
      customerExternalId: 'c-1',
      erpDocumentNumber: null,
    };
    expect(await repository.findDelivery(key('o-5', 'first'))).toEqual({
      processedOutcome: 'applied',
      applied,
      hold: null,
      appliedPayload: null,
    });
    // A new delivery of the same order: not processed, but the order's applied state is known.
    expect(await repository.findDelivery(key('o-5', 'second'))).toEqual({
      processedOutcome: null,
      applied,
      hold: null,
      appliedPayload: null,
    });
    // The same delivery seen only by its event id (a proxy changed the webhook id) is still a duplicate.
    expect(await repository.findDelivery({ ...key('o-5', 'first'), webhookId: 'wh-rewritten' })).toEqual({
      processedOutcome: 'applied',
      applied,
      hold: null,
      appliedPayload: null,
    });

    await repository.recordSkipped(key('o-6', 'stale'), 'stale');
    expect(await repository.findDelivery(key('o-6', 'stale'))).toEqual({
      processedOutcome: 'stale',
      applied: null,
      hold: null,
      appliedPayload: null,
    });
  });

  it("records the start of an order's first ERP write once: the next attempt finds it, the state applies over it", async () => {
    expect(await repository.recordWriteStarted(TEST_SHOP, 'o-7')).toBe(true);
    // A redelivery after a crash past this point, or a second writer racing: the write may have reached the ERP.
    expect(await repository.recordWriteStarted(TEST_SHOP, 'o-7')).toBe(false);
    expect(await repository.findDelivery(key('o-7', 'o7-first'))).toEqual({
      processedOutcome: null,
      applied: null,
      hold: null,
      appliedPayload: null,
    });
    expect(await repository.appliedVersions(TEST_SHOP, ['o-7'])).toEqual(new Map());

    await repository.recordApplied(key('o-7', 'o7-first'), state('2026-12-01T10:00:00.000Z', 'SO-7'));
    expect((await repository.find(TEST_SHOP, 'o-7'))?.erpId).toBe('SO-7');
    expect(await repository.recordWriteStarted(TEST_SHOP, 'o-7')).toBe(false);

    // An order applied before the marker existed (no marker, a state): not a first write either.
    await repository.recordApplied(key('o-8', 'o8-first'), state('2026-12-01T10:00:00.000Z', 'SO-8'));
    expect(await repository.recordWriteStarted(TEST_SHOP, 'o-8')).toBe(false);

    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => repository.recordWriteStarted(TEST_SHOP, 'o-9')),
    );
    expect(concurrent.filter(Boolean)).toHaveLength(1);
  });

  it('tells the connector the order may exist on the attempt after a crash that followed the marker', async () => {
    const options: Array<ErpWriteOptions | undefined> = [];
    let crash = true;
    const erp = {
      upsertCustomer: (draft: ErpCustomerDraft) => Promise.resolve({ erpId: 'C-1', externalId: draft.externalId }),
      upsertSalesOrder: (draft: ErpSalesOrderDraft, _customer: ErpRecordRef, writeOptions?: ErpWriteOptions) => {
        options.push(writeOptions);
        // The request went out and the process died before its answer: nothing of ours was recorded after it.
        return crash
          ? Promise.reject(new Error('process killed'))
          : Promise.resolve({ erpId: 'SO-10', externalId: draft.externalId });
      },
      orderMapping: { sections: [], fields: [] },
    } as unknown as ErpPort;
    const gate = { call: <T>(_operation: string, run: () => Promise<T>) => run() } as unknown as ErpWriteGate;
    const audit = { record: () => undefined } as unknown as AuditWriter;
    const mappings = {
      forOrders: () =>
        Promise.resolve({
          mapping: {
            version: 1,
            config: {
              paymentGateways: [],
              shippingMethods: [],
              taxes: [],
              locations: [],
              fields: [],
              skuOverrides: [],
            },
          },
          orderOwner: 'shopify',
        }),
    } as unknown as MappingReader;
    const shopErp = { for: () => Promise.resolve(erp) } as unknown as ShopErp;
    const sut = new SyncOrderToErp(
      shopErp,
      gate,
      repository,
      audit,
      new MetricsService(),
      mappings,
      noTenders(),
      new OrderEditConflictRepository(dataSource),
    );
    const order = buildShopifyOrder({}, { seed: 10 });
    const delivery: MessageContext = {
      eventId: 'ev-crash',
      webhookId: 'wh-crash',
      shop: TEST_SHOP,
      topic: 'orders/create',
      resourceId: String(order.id),
      attempt: 0, // a redelivery after a crash is not a counted attempt
    };

    await expect(sut.execute(delivery, Buffer.from(serialiseOrder(order)))).rejects.toThrow('process killed');
    crash = false;
    await sut.execute(delivery, Buffer.from(serialiseOrder(order)));

    expect(options).toEqual([{ mayExist: false }, { mayExist: true }]);
    expect((await repository.find(TEST_SHOP, String(order.id)))?.erpId).toBe('SO-10');
  });
});
