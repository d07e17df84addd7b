import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import type { ErpPort, ErpWriteGate, MessageContext } from 'src/modules/erp';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import type { MappingReader } from 'src/modules/mapping';
import { OrderReleaseGate } from 'src/modules/orders/application/order-release-gate';
import { ReadHeldOrders } from 'src/modules/orders/application/read-held-orders.query';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import { SettleOrderHold } from 'src/modules/orders/application/settle-order-hold.use-case';
import type { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderHoldRepository } from 'src/modules/orders/persistence/order-hold.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import type { OrderEventPublisher, SyntheticOrderEvent } from 'src/modules/orders/transport/order-event.publisher';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { LocalCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { buildShopifyOrder, serialiseOrder, type BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { ordersExtension } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { directErpContext } from 'test/support/direct-erp-context';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { noTenders } from 'test/support/order-tenders';
import { ensureDatabase } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.orderHold;

/**
 * The order trigger and the high-risk hold on the real PostgreSQL (order_hold, webhook_inbox, shops), with Shopify's
 * risk read through the real Admin client from the Shopify simulator, and the real order writer writing to the
 * sandbox ERP. The publisher of a release hands the event straight to the writer (the queue is the e2e's business).
 */
describe('order trigger and high-risk hold (real PostgreSQL, Shopify simulator, sandbox ERP)', () => {
  const urls = serviceUrls(DB, 0);
  const config = testConfig(DB, 0);
  const shopify = new ShopifySimulator({ shopDomain: TEST_SHOP, restoreRate: 20_000 });
  const area = ordersExtension(shopify.context);
  shopify.use(area.extension);
  const sandbox = new SandboxErpServer({ latencyMs: 0, latencyJitterMs: 0 });
  let dataSource: DataSource;
  let shops: TestShops;
  let audit: AuditWriter;
  let holds: OrderHoldRepository;
  let writer: SyncOrderToErp;
  let settle: SettleOrderHold;
  let read: ReadHeldOrders;
  /** What the release published; `failNextPublish` makes the next publish reject (RabbitMQ unreachable). */
  const published: SyntheticOrderEvent[] = [];
  let failNextPublish = false;
  let webhooks = 0;

  beforeAll(async () => {
    const shopifyUrl = await shopify.start();
    const erpUrl = `http://127.0.0.1:${await sandbox.listen(0)}`;
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    shops = new TestShops(dataSource, config);
    await shops.start();
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    holds = new OrderHoldRepository(dataSource);
    const client = new ShopifyAdminClient(
      { adminApiUrl: shopifyUrl, accessToken: shopify.accessToken },
      new LocalCostBucket(),
      new MetricsService(),
    );
    const clients = oneClientForEveryShop(client);
    const erp: ErpPort = new SandboxErpConnector({ baseUrl: erpUrl }, directErpContext(5_000));
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
    const state = new OrderSyncStateRepository(dataSource);
    writer = new SyncOrderToErp(
      { for: () => Promise.resolve(erp) } as unknown as ShopErp,
      { call: <T>(_operation: string, run: () => Promise<T>) => run() } as unknown as ErpWriteGate,
      state,
      audit,
      new MetricsService(),
      mappings,
      noTenders(),
      new OrderEditConflictRepository(dataSource),
      new OrderReleaseGate(shops.directory, clients, holds),
    );
    const publisher: OrderEventPublisher = {
      publish: async (event) => {
        if (failNextPublish) {
          failNextPublish = false;
          throw new Error('RabbitMQ unreachable');
        }
        published.push(event);
        await writer.execute(
          {
            eventId: event.eventId,
            webhookId: event.eventId,
            shop: event.shop,
            topic: event.topic,
            resourceId: event.resourceId,
            attempt: 0,
            ...(event.force === true ? { forced: true as const } : {}),
          },
          event.body,
        );
      },
    };
    settle = new SettleOrderHold(
      holds,
      new ReplayOrders(clients, shops.directory, publisher, config, state, audit),
      audit,
    );
    read = new ReadHeldOrders(holds);
  });

  afterAll(async () => {
    await audit?.flush();
    await shopify.stop();
    await sandbox.close();
    await dataSource?.destroy();
  });

  const inErp = (order: BuiltShopifyOrder): number =>
    sandbox.snapshot().salesOrders.find((o) => o.externalId === String(order.id))?.writeCount ?? 0;

  async function deliver(
    order: BuiltShopifyOrder,
    topic: string,
    attempt = 0,
  ): Promise<Awaited<ReturnType<SyncOrderToErp['execute']>>> {
    webhooks += 1;
    const context: MessageContext = {
      eventId: `ev-${webhooks}`,
      webhookId: `wh-${webhooks}`,
      shop: TEST_SHOP,
      topic,
      resourceId: String(order.id),
      attempt,
    };
    return writer.execute(context, Buffer.from(serialiseOrder(order)));
  }

  function seeded(seed: number, overrides: Parameters<typeof buildShopifyOrder>[0] = {}): BuiltShopifyOrder {
    const order = buildShopifyOrder({ updated_at: '2026-12-01T10:00:00Z', ...overrides }, { seed });
    area.state.seedOrder(order as unknown as Record<string, unknown>);
    return order;
  }

  it('with the trigger paid: an unpaid order waits (audited), the orders/paid event writes it once', async () => {
    await shops.update(TEST_SHOP, { orderTrigger: 'paid', holdHighRiskOrders: false });
    const order = seeded(7001, { financial_status: 'pending' });
    expect(await deliver(order, 'orders/create')).toEqual({ outcome: 'skipped', reason: 'waiting' });
    expect(inErp(order)).toBe(0);
    const paid = { ...order, financial_status: 'paid', updated_at: '2026-12-01T10:05:00Z' };
    expect(await deliver(paid, 'orders/paid')).toMatchObject({ outcome: 'succeeded' });
    expect(inErp(order)).toBe(1);
    await audit.flush();
    const reasons: Array<{ reason: string }> = await dataSource.query(
      `SELECT reason FROM sync_audit_log WHERE shopify_id = $1 AND status = 'skipped'`,
      [String(order.id)],
    );
    expect(reasons.map((r) => r.reason)).toEqual(['waiting for trigger paid: financial_status pending']);

    // Cancelled before it was ever paid: never written.
    const cancelled = seeded(7002, { financial_status: 'pending', cancelled_at: '2026-12-01T10:01:00Z' });
    expect(await deliver(cancelled, 'orders/cancelled')).toEqual({ outcome: 'skipped', reason: 'cancelled-unwritten' });
    expect(inErp(cancelled)).toBe(0);
  });

  it('holds a high-risk order (nothing written), keeps its latest payload, and releases it into the ERP once', async () => {
    await shops.update(TEST_SHOP, { orderTrigger: 'created', holdHighRiskOrders: true });
    const order = seeded(7101);
    area.state.setRisk(`gid://shopify/Order/${order.id}`, { recommendation: 'INVESTIGATE', levels: ['HIGH'] });
    expect(await deliver(order, 'orders/create')).toEqual({ outcome: 'skipped', reason: 'held' });
    expect(inErp(order)).toBe(0);
    expect(await holds.find(TEST_SHOP, String(order.id))).toMatchObject({
      status: 'held',
      reason: 'high risk: risk level HIGH',
      riskLevel: 'HIGH',
      riskRecommendation: 'INVESTIGATE',
      orderName: order.name,
    });

    // A later webhook does not bypass the hold; its payload replaces the one kept. An older one does not.
    const later = { ...order, note: 'address checked', updated_at: '2026-12-01T10:10:00Z' };
    expect(await deliver(later, 'orders/updated')).toEqual({ outcome: 'skipped', reason: 'held' });
    expect(await deliver(order, 'orders/updated')).toEqual({ outcome: 'skipped', reason: 'held' });
    expect(inErp(order)).toBe(0);
    expect(await holds.payloadOf(TEST_SHOP, String(order.id))).toMatchObject({ note: 'address checked' });
    const page = await read.execute({ shop: TEST_SHOP, first: 10 });
    expect(page?.holds.map((h) => [h.orderId, h.topic])).toEqual([[String(order.id), 'orders/updated']]);

    // A publish that fails leaves the order held: the release can be asked again.
    failNextPublish = true;
    await expect(
      settle.execute({ shop: TEST_SHOP, orderId: String(order.id), action: 'release', actor: 'alice' }),
    ).rejects.toThrow('RabbitMQ unreachable');
    expect(await holds.find(TEST_SHOP, String(order.id))).toMatchObject({ status: 'held', settledBy: null });

    const released = await settle.execute({
      shop: TEST_SHOP,
      orderId: `gid://shopify/Order/${order.id}`,
      action: 'release',
      actor: 'alice',
      note: 'customer called',
    });
    expect(released).toMatchObject({ outcome: 'released', hold: { status: 'released', settledBy: 'alice' } });
    expect(published).toHaveLength(1);
    expect(inErp(order)).toBe(1);
    // Released once: a second decision is refused, the next webhook is written as any other.
    expect(
      await settle.execute({ shop: TEST_SHOP, orderId: String(order.id), action: 'cancel', actor: 'bob' }),
    ).toMatchObject({ outcome: 'already_settled', hold: { status: 'released', settledBy: 'alice' } });
    expect((await read.execute({ shop: TEST_SHOP, first: 10 }))?.holds).toEqual([]);
    await audit.flush();
    const trail: Array<{ reason: string }> = await dataSource.query(
      `SELECT reason FROM sync_audit_log WHERE shopify_id = $1 AND status = 'replayed'`,
      [String(order.id)],
    );
    expect(trail.map((r) => r.reason)).toEqual(['hold released by alice: customer called: sent to the order pipeline']);
  });

  it('keeps a cancelled hold out of the ERP, even for later webhooks, and audits who cancelled it', async () => {
    await shops.update(TEST_SHOP, { orderTrigger: 'created', holdHighRiskOrders: true });
    const order = seeded(7201);
    area.state.setRisk(`gid://shopify/Order/${order.id}`, { recommendation: 'CANCEL', levels: ['MEDIUM'] });
    expect(await deliver(order, 'orders/create')).toEqual({ outcome: 'skipped', reason: 'held' });
    expect(
      await settle.execute({ shop: TEST_SHOP, orderId: String(order.id), action: 'cancel', actor: 'bob' }),
    ).toMatchObject({ outcome: 'cancelled', hold: { status: 'cancelled', settledBy: 'bob' } });
    const later = { ...order, updated_at: '2026-12-01T11:00:00Z' };
    expect(await deliver(later, 'orders/updated')).toEqual({ outcome: 'skipped', reason: 'hold-cancelled' });
    expect(inErp(order)).toBe(0);
    expect((await read.execute({ shop: TEST_SHOP, status: 'cancelled', first: 10 }))?.holds).toHaveLength(1);
    expect(await settle.execute({ shop: TEST_SHOP, orderId: '999', action: 'release', actor: 'bob' })).toEqual({
      outcome: 'not_found',
    });
  });

  it('asks again while the risk is pending (a transient error), and writes once the retries are spent', async () => {
    await shops.update(TEST_SHOP, { orderTrigger: 'created', holdHighRiskOrders: true });
    const order = seeded(7301);
    area.state.setRisk(`gid://shopify/Order/${order.id}`, { recommendation: 'NONE', levels: ['PENDING'] });
    await expect(deliver(order, 'orders/create')).rejects.toMatchObject({ code: OrderErrorCode.RiskPending });
    expect(inErp(order)).toBe(0);
    // The same delivery, back from the retry queues after its last counted retry.
    webhooks -= 1;
    expect(await deliver(order, 'orders/create', 4)).toMatchObject({ outcome: 'succeeded' });
    expect(inErp(order)).toBe(1);
  });
});
