import Redis from 'ioredis';
import { Connection, type AsyncMessage } from 'rabbitmq-client';
import { ORDER_QUEUES, declareTopology } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import type { AuditWriter } from 'src/modules/audit';
import type { ErpWriteGate, MessageContext } from 'src/modules/erp';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { messageContext } from 'src/modules/erp/writer/erp-message-runner';
import type { MappingReader } from 'src/modules/mapping';
import { ReplayMissingOrders } from 'src/modules/orders/application/replay-missing-orders.use-case';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import { ReportOrderGaps } from 'src/modules/orders/application/report-order-gaps.use-case';
import type { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { RabbitOrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { buildShopifyOrder, serialiseOrder, type BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { ordersExtension } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { directErpContext } from 'test/support/direct-erp-context';
import { INTEGRATION_RESOURCES, jestWorkerVhost } from 'test/support/integration-resources';
import { noTenders } from 'test/support/order-tenders';
import { ensureDatabase, purgeQueues } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.orderGapReport;
/** The ERP contract specs' Redis db: only the Shopify cost bucket, under this run's own key. */
const REDIS_DB = INTEGRATION_RESOURCES.erpContracts.redisDb;

/**
 * The gap report and its replay on the real PostgreSQL and RabbitMQ (its jest worker's vhost), through the real
 * Shopify Admin client against the Shopify simulator and the real sandbox connector against the sandbox ERP: the
 * orders are written by the order writer, then 20 are deleted from the ERP and 5 entered there a second time.
 */
describe('Gap report: Shopify orders of a window against the ERP’s documents, and the replay of the missing', () => {
  const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());
  const config = testConfig(DB, REDIS_DB, { RABBITMQ_URL: urls.RABBITMQ_URL });
  const shopify = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const area = ordersExtension(shopify.context);
  shopify.use(area.extension);
  const sandbox = new SandboxErpServer({ latencyMs: 0, concurrencyLimit: 20 });
  let dataSource: DataSource;
  let redis: Redis;
  let rabbit: Connection;
  let publisher: ReturnType<Connection['createPublisher']>;
  let state: OrderSyncStateRepository;
  let report: ReportOrderGaps;
  let replay: ReplayMissingOrders;
  let writer: SyncOrderToErp;
  const audited: Array<{ status: string; shopifyId?: string }> = [];
  const now = Date.now();
  const minutesAgo = (m: number): string => new Date(now - m * 60_000).toISOString();
  const window = { shop: TEST_SHOP, from: new Date(now - 60 * 60_000), to: new Date(now) };

  beforeAll(async () => {
    const shopifyUrl = await shopify.start();
    const erpUrl = `http://127.0.0.1:${await sandbox.listen()}`;
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    const shops = new TestShops(dataSource, config);
    await shops.start();
    redis = new Redis(urls.REDIS_URL);
    rabbit = new Connection(urls.RABBITMQ_URL);
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
    await purgeQueues(urls.RABBITMQ_URL, ORDER_QUEUES);
    publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1 });

    const client = new ShopifyAdminClient(
      { adminApiUrl: shopifyUrl, accessToken: shopify.accessToken },
      new RedisCostBucket(redis, `gap-report-it-${process.pid}-${now}.myshopify.com`),
      new MetricsService(),
    );
    const erp = new SandboxErpConnector({ baseUrl: erpUrl }, directErpContext(5_000));
    const shopErp = { for: () => Promise.resolve(erp) } as unknown as ShopErp;
    const audit = {
      record: (entry: { status: string; shopifyId?: string }) => void audited.push(entry),
    } as unknown as AuditWriter;
    state = new OrderSyncStateRepository(dataSource);
    report = new ReportOrderGaps(oneClientForEveryShop(client), shops.directory, shopErp);
    const replayOrders = new ReplayOrders(
      oneClientForEveryShop(client),
      shops.directory,
      new RabbitOrderEventPublisher(publisher),
      config,
      state,
      audit,
    );
    replay = new ReplayMissingOrders(report, state, replayOrders);
    const gate = { call: <T>(_operation: string, run: () => Promise<T>) => run() } as unknown as ErpWriteGate;
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
    writer = new SyncOrderToErp(
      shopErp,
      gate,
      state,
      audit,
      new MetricsService(),
      mappings,
      noTenders(),
      new OrderEditConflictRepository(dataSource),
    );
  });

  afterAll(async () => {
    await publisher.close();
    await purgeQueues(urls.RABBITMQ_URL, ORDER_QUEUES);
    await rabbit.close();
    await shopify.stop();
    await sandbox.close();
    await redis.quit();
    await dataSource.destroy();
  });

  /** Every message on the order partitions, consumed (basic.get is refused by single-active-consumer queues). */
  async function drainOrderQueues(expected: number): Promise<AsyncMessage[]> {
    const messages: AsyncMessage[] = [];
    const consumers = ORDER_QUEUES.map((queue) =>
      rabbit.createConsumer({ queue, queueOptions: { queue, passive: true }, concurrency: 1 }, (message) => {
        messages.push(message);
      }),
    );
    const deadline = Date.now() + 10_000;
    while (messages.length < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(consumers.map((consumer) => consumer.close()));
    return messages;
  }

  /** The sales orders the sandbox ERP holds per Shopify order id: ours by external id, copies by their name. */
  function erpDocumentsPerOrder(orders: readonly BuiltShopifyOrder[]): Map<string, number> {
    const byName = new Map(orders.map((order) => [order.name, String(order.id)]));
    const counts = new Map<string, number>();
    for (const record of sandbox.snapshot().salesOrders) {
      counts.set(record.externalId, (counts.get(record.externalId) ?? 0) + 1);
    }
    for (const copy of sandbox.copies()) {
      const id = byName.get(String(copy.tranId)) ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  it('names exactly the 20 deleted and the 5 duplicated orders; one call replays the 20, each then once', async () => {
    const inWindow = Array.from({ length: 60 }, (_, i) =>
      buildShopifyOrder(
        { created_at: minutesAgo(10 + i / 2), processed_at: minutesAgo(10 + i / 2), updated_at: minutesAgo(5) },
        { seed: 90_000 + i, lineCount: 1 + (i % 3) },
      ),
    );
    // Created two days ago: outside the window, deleted from the ERP too, and not reported.
    const older = Array.from({ length: 3 }, (_, i) =>
      buildShopifyOrder(
        { created_at: minutesAgo(2_880 + i), processed_at: minutesAgo(2_880 + i), updated_at: minutesAgo(2_800) },
        { seed: 91_000 + i, lineCount: 1 },
      ),
    );
    for (const order of [...inWindow, ...older]) {
      area.state.seedOrder(order as unknown as Record<string, unknown>);
      const delivery: MessageContext = {
        eventId: `ev-${order.id}`,
        webhookId: `wh-${order.id}`,
        shop: TEST_SHOP,
        topic: 'orders/create',
        resourceId: String(order.id),
        attempt: 0,
      };
      expect(await writer.execute(delivery, Buffer.from(serialiseOrder(order)))).toMatchObject({
        outcome: 'succeeded',
      });
    }
    const deleted = inWindow.filter((_, i) => i % 3 === 0).map((order) => String(order.id));
    const duplicated = inWindow.filter((_, i) => i % 3 === 1 && i < 15).map((order) => String(order.id));
    expect([deleted.length, duplicated.length]).toEqual([20, 5]);
    sandbox.deleteSalesOrders([...deleted, String(older[0]?.id)]);
    sandbox.copySalesOrders(duplicated);

    const found = await report.execute(window);
    if (found.outcome !== 'reported') {
      throw new Error(`no report: ${found.outcome}`);
    }
    expect(found.report.missing.map((order) => order.orderId).sort()).toEqual([...deleted].sort());
    expect(found.report.duplicated.map((order) => order.orderId).sort()).toEqual([...duplicated].sort());
    for (const order of found.report.duplicated) {
      expect(order.documents.map((document) => document.matchedBy).sort()).toEqual(['externalId', 'reference']);
    }
    expect(found.report.totalMismatches).toEqual([]);
    expect(found.report).toMatchObject({ orders: 60, documents: 45, erp: 'sandbox', tolerance: '0.05' });

    // One call replays the missing; the order writer then writes each once.
    const replayed = await replay.execute({ ...window, actor: 'operator-key' });
    expect(replayed).toMatchObject({ outcome: 'replayed', gone: [] });
    expect(replayed.outcome === 'replayed' ? [...replayed.replayed].sort() : []).toEqual([...deleted].sort());
    expect(
      audited
        .filter((entry) => entry.status === 'queued')
        .map((entry) => entry.shopifyId)
        .sort(),
    ).toEqual([...deleted].sort());
    const messages = await drainOrderQueues(deleted.length);
    expect(messages).toHaveLength(deleted.length);
    for (const message of messages) {
      const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body));
      expect(await writer.execute(messageContext(message), body)).toMatchObject({ outcome: 'succeeded' });
    }

    const counts = erpDocumentsPerOrder([...inWindow, ...older]);
    for (const id of deleted) {
      expect([id, counts.get(id)]).toEqual([id, 1]);
    }
    // Duplicates are reported, never deleted by us.
    for (const id of duplicated) {
      expect([id, counts.get(id)]).toEqual([id, 2]);
    }
    const after = await report.execute(window);
    expect(after).toMatchObject({ outcome: 'reported', report: { missing: [], totalMismatches: [] } });
    expect(after.outcome === 'reported' ? after.report.duplicated.length : -1).toBe(5);
  });

  it('reports a total the ERP holds beyond the rounding tolerance, and refuses a window over 31 days', async () => {
    const order = buildShopifyOrder(
      { created_at: minutesAgo(3), processed_at: minutesAgo(3), updated_at: minutesAgo(3) },
      { seed: 92_000, lineCount: 1 },
    );
    area.state.seedOrder(order as unknown as Record<string, unknown>);
    await writer.execute(
      {
        eventId: 'ev-total',
        webhookId: 'wh-total',
        shop: TEST_SHOP,
        topic: 'orders/create',
        resourceId: String(order.id),
        attempt: 0,
      },
      Buffer.from(serialiseOrder(order)),
    );
    sandbox.setSalesOrderTotal(String(order.id), 0.01);

    const found = await report.execute({ ...window, from: new Date(now - 5 * 60_000) });
    expect(found.outcome === 'reported' ? found.report.totalMismatches.map((m) => m.orderId) : []).toEqual([
      String(order.id),
    ]);
    expect(await report.execute({ ...window, from: new Date(now - 32 * 86_400_000) })).toEqual({
      outcome: 'invalid_window',
      reason: 'the window may span at most 31 days',
    });
  });
});
