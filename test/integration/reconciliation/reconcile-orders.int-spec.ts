import Redis from 'ioredis';
import { Connection, type AsyncMessage } from 'rabbitmq-client';
import { ErrorKind } from 'src/common/errors/app-error';
import { orderRoutingKey } from 'src/common/messaging/partition';
import { MessageHeader, ORDER_QUEUES, declareTopology } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { ReconcileOrders } from 'src/modules/orders/application/reconcile-orders.use-case';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { OrderReconciliationRepository } from 'src/modules/orders/persistence/order-reconciliation.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { RabbitOrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { ShopifyAdminError, ShopifyAdminErrorCode } from 'src/modules/shopify/admin/shopify-admin.errors';
import type { ShopifyAdminPort } from 'src/modules/shopify/admin/shopify-admin.port';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { buildShopifyOrder } from 'test/factories/shopify-order.factory';
import { ordersExtension } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { INTEGRATION_RESOURCES, jestWorkerVhost } from 'test/support/integration-resources';
import { ensureDatabase, purgeQueues } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.reconcileOrders;

/**
 * The reconciliation on the real PostgreSQL, Redis and RabbitMQ (on its jest worker's vhost),
 * through the real Admin client against the Shopify simulator: paged reads, only never-applied versions published
 * onto their order's partition with the webhook's headers, and a watermark that moves only after a complete read.
 */
describe('ReconcileOrders (Shopify simulator, real PostgreSQL, Redis and RabbitMQ)', () => {
  const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());
  const config = testConfig(DB, REDIS_DB, { RABBITMQ_URL: urls.RABBITMQ_URL });
  const sim = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const area = ordersExtension(sim.context);
  sim.use(area.extension);
  let dataSource: DataSource;
  let shops: TestShops;
  let redis: Redis;
  let rabbit: Connection;
  let audit: AuditWriter;
  let client: ShopifyAdminClient;
  let publisher: ReturnType<Connection['createPublisher']>;
  const now = new Date();
  const minutesAgo = (m: number): string => new Date(now.getTime() - m * 60_000).toISOString();

  beforeAll(async () => {
    const url = await sim.start();
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    shops = new TestShops(dataSource, config);
    await shops.start();
    redis = new Redis(urls.REDIS_URL);
    await redis.flushdb();
    rabbit = new Connection(urls.RABBITMQ_URL);
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
    await purgeQueues(urls.RABBITMQ_URL, ORDER_QUEUES);
    publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1 });
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    client = new ShopifyAdminClient(
      { adminApiUrl: url, accessToken: sim.accessToken },
      new RedisCostBucket(redis, TEST_SHOP),
      new MetricsService(),
    );
  });

  afterAll(async () => {
    await audit.flush();
    await publisher.close();
    await purgeQueues(urls.RABBITMQ_URL, ORDER_QUEUES);
    await rabbit.close();
    await sim.stop();
    await redis.quit();
    await dataSource.destroy();
  });

  function reconcilerWith(port: ShopifyAdminPort): ReconcileOrders {
    return new ReconcileOrders(
      oneClientForEveryShop(port),
      shops.directory,
      new RabbitOrderEventPublisher(publisher),
      config,
      new OrderSyncStateRepository(dataSource),
      new OrderReconciliationRepository(dataSource),
      audit,
      new AdvisoryLocks(dataSource),
    );
  }

  /** Every message on the order partitions, consumed (basic.get is refused by single-active-consumer queues). */
  async function drainOrderQueues(): Promise<AsyncMessage[]> {
    const messages: AsyncMessage[] = [];
    let last = Date.now();
    const consumers = ORDER_QUEUES.map((queue) =>
      rabbit.createConsumer({ queue, queueOptions: { queue, passive: true }, concurrency: 1 }, (message) => {
        messages.push(message);
        last = Date.now();
      }),
    );
    const started = Date.now();
    while (Date.now() - last < 750 || Date.now() - started < 1_500) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(consumers.map((consumer) => consumer.close()));
    return messages;
  }

  it('feeds each never-applied order once across a failed and a complete run; the watermark waits for the complete one', async () => {
    // 250 orders updated 30 minutes ago: three pages of 100.
    const batch = Array.from({ length: 250 }, (_, i) =>
      buildShopifyOrder(
        { created_at: minutesAgo(30), processed_at: minutesAgo(30), updated_at: minutesAgo(30) },
        { seed: 70_000 + i, lineCount: 1 + (i % 2) },
      ),
    );
    for (const order of batch) {
      area.state.seedOrder(order as unknown as Record<string, unknown>);
    }
    // The middleware applied 200 of them (their webhooks came); one of those at an older version.
    const applied = batch.slice(0, 200);
    for (const [i, order] of applied.entries()) {
      await dataSource.query(
        `INSERT INTO order_sync_state (shop, shopify_order_id, last_applied_updated_at, status, erp_id)
         VALUES ($1, $2, $3, 'open', $4)`,
        [TEST_SHOP, String(order.id), i === 0 ? minutesAgo(40) : order.updated_at, `SO-${i}`],
      );
    }
    const expected = new Set([String(batch[0]?.id), ...batch.slice(200).map((o) => String(o.id))]);

    // First run: Shopify fails on the second page.
    let pages = 0;
    const flaky: ShopifyAdminPort = {
      bulkQuery: (query, options) => client.bulkQuery(query, options),
      request: (document, variables, options) => {
        if (document.name === 'ReconcileOrdersPage' && ++pages === 2) {
          return Promise.reject(
            new ShopifyAdminError(ErrorKind.Transient, ShopifyAdminErrorCode.Unavailable, 'Shopify answered 503'),
          );
        }
        return client.request(document, variables, options);
      },
    };
    await expect(reconcilerWith(flaky).execute({ now })).rejects.toThrow('503');
    const watermarks = (): Promise<Array<{ watermark: Date | null; last_error: string | null }>> =>
      dataSource.query(`SELECT watermark, last_error FROM shopify_reconciliation_watermark WHERE shop = $1`, [
        TEST_SHOP,
      ]);
    expect(await watermarks()).toEqual([{ watermark: null, last_error: 'Shopify answered 503' }]);

    // Second run completes: together, each missing order once.
    const second = await reconcilerWith(client).execute({ now });
    expect(second.listed).toBe(250);
    const messages = await drainOrderQueues();
    const ids = messages.map((m) => String(m.headers?.[MessageHeader.ResourceId]));
    expect(ids.sort()).toEqual([...expected].sort());
    const [mark] = await watermarks();
    expect(mark?.last_error).toBeNull();
    expect(mark?.watermark?.toISOString()).toBe(second.to);

    // What was published is what the webhook would have carried, on the order's partition, with the webhook's headers.
    for (const message of messages) {
      const id = String(message.headers?.[MessageHeader.ResourceId]);
      expect(message.routingKey).toBe(orderRoutingKey(id));
      expect(message.headers?.[MessageHeader.Topic]).toBe(
        id === String(batch[0]?.id) ? 'orders/updated' : 'orders/create',
      );
      expect(message.headers?.[MessageHeader.EventId]).toMatch(new RegExp(`^reconcile:order:${id}:\\d+$`));
      const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body));
      const decoded = decodeOrderPayload(JSON.parse(body.toString('utf8')));
      const source = batch.find((o) => String(o.id) === id);
      expect(decoded.id).toBe(id);
      expect(decoded.total_price).toBe(source?.total_price);
      expect(decoded.line_items.map((l) => [l.sku, l.quantity])).toEqual(
        source?.line_items.map((l) => [l.sku, l.quantity]),
      );
    }

    // Third run: nothing new; the overlap re-reads the window without publishing again.
    const third = await reconcilerWith(client).execute({ now: new Date(now.getTime() + 60_000) });
    expect(third).toMatchObject({ ordersPublished: 0, refundsPublished: 0 });
    expect(await drainOrderQueues()).toEqual([]);
  });

  it('a later change to an order is fed again as orders/updated; recent changes wait for their webhooks', async () => {
    const order = buildShopifyOrder(
      { created_at: minutesAgo(20), processed_at: minutesAgo(20), updated_at: minutesAgo(20) },
      { seed: 71_000 },
    );
    const seeded = area.state.seedOrder(order as unknown as Record<string, unknown>);
    await dataSource.query(
      `INSERT INTO order_sync_state (shop, shopify_order_id, last_applied_updated_at, status, erp_id)
       VALUES ($1, $2, $3, 'open', 'SO-x')`,
      [TEST_SHOP, String(order.id), order.updated_at],
    );
    // Edited in Shopify just now: inside the grace period, left to its webhook.
    area.state.touch(seeded.gid, now.getTime() + 90_000);
    const run = await reconcilerWith(client).execute({ now: new Date(now.getTime() + 120_000) });
    expect(run.ordersPublished).toBe(0);
    // Its webhook never comes: the next run, past the grace period, feeds it.
    const later = await reconcilerWith(client).execute({ now: new Date(now.getTime() + 10 * 60_000) });
    expect(later.ordersPublished).toBe(1);
    const [message] = await drainOrderQueues();
    expect(message?.headers?.[MessageHeader.Topic]).toBe('orders/updated');
    expect(message?.headers?.[MessageHeader.ResourceId]).toBe(String(order.id));
  });
});
