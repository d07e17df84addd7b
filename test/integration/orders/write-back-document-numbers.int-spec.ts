import Bull from 'bull';
import Redis from 'ioredis';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { WriteBackDocumentNumbers } from 'src/modules/orders/application/write-back-document-numbers.use-case';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';
import { WriteBackDocumentNumbersProcessor } from 'src/modules/orders/transport/write-back-document-numbers.processor';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { buildShopifyOrder } from 'test/factories/shopify-order.factory';
import { ordersExtension, type SimOrder } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.orderWriteBack;
const { redisDb: REDIS_DB } = INTEGRATION_RESOURCES.erpContracts;
/** Every Redis key of this run (Bull's queue, the cost bucket) is under it: the db is shared. */
const PREFIX = `it-write-back-${process.pid}`;

/**
 * The ERP document number → the Shopify order, through the real Bull queue on Redis, the real Admin client (cost
 * bucket in Redis) and the Shopify simulator (documents validated against the 2026-10 schema): an order the ERP
 * writer recorded with its number gets the tag and the metafield once — across runs, a redelivery of the ERP write
 * and a changed number.
 */
describe('WriteBackDocumentNumbers (Bull on Redis, Shopify simulator, real PostgreSQL)', () => {
  const urls = serviceUrls(DB, REDIS_DB);
  const config = testConfig(DB, REDIS_DB);
  const sim = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const orders = ordersExtension(sim.context);
  let dataSource: DataSource;
  let redis: Redis;
  let audit: AuditWriter;
  let state: OrderSyncStateRepository;
  let queue: Bull.Queue;
  let seq = 0;

  beforeAll(async () => {
    sim.use(orders.extension);
    const url = await sim.start();
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    redis = new Redis(urls.REDIS_URL);
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    state = new OrderSyncStateRepository(dataSource);
    const shops = new TestShops(dataSource, config);
    await shops.start();
    const client = new ShopifyAdminClient(
      { adminApiUrl: url, accessToken: sim.accessToken },
      new RedisCostBucket(redis, `${PREFIX}.${TEST_SHOP}`),
      new MetricsService(),
    );
    const sut = new WriteBackDocumentNumbers(
      oneClientForEveryShop(client),
      shops.directory,
      config,
      state,
      audit,
      new AdvisoryLocks(dataSource),
    );
    queue = new Bull(QueueName.ShopifyOrderWriteBack, urls.REDIS_URL, { prefix: PREFIX });
    const processor = new WriteBackDocumentNumbersProcessor(sut, queue);
    void queue.process(JobName.WriteBackDocumentNumbers, () => processor.run());
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await audit.flush();
    await sim.stop();
    const keys = await redis.keys(`*${PREFIX}*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
    await redis.quit();
    await dataSource.destroy();
  });

  function seed(tags?: string): SimOrder {
    const payload = buildShopifyOrder(tags === undefined ? {} : { tags });
    return orders.state.seedOrder(payload as unknown as Record<string, unknown>);
  }

  /** What the ERP writer records after a write whose answer carried the number. */
  async function applied(order: SimOrder, documentNumber: string, updatedAt = new Date().toISOString()): Promise<void> {
    seq++;
    const id = order.gid.replace('gid://shopify/Order/', '');
    const key: InboxKey = {
      shop: TEST_SHOP,
      topic: 'orders/updated',
      webhookId: `wh-${seq}`,
      eventId: `ev-${seq}`,
      resourceId: id,
    };
    await state.recordApplied(key, {
      updatedAt,
      status: 'open',
      erpId: `erp-${id}`,
      customerErpId: 'cust-1',
      orderName: '#1001',
      customerExternalId: 'c-1',
      erpDocumentNumber: documentNumber,
    });
  }

  /** Runs the job through Bull and waits for its result. */
  async function run(): Promise<Record<string, number | boolean>> {
    const job = await queue.add(JobName.WriteBackDocumentNumbers, {}, { removeOnComplete: true, removeOnFail: true });
    return (await job.finished()) as Record<string, number | boolean>;
  }

  const tagsAdded = (order: SimOrder) => orders.state.tagWrites.filter((w) => w.orderGid === order.gid);
  const metafieldsSet = (order: SimOrder) => orders.state.metafieldWrites.filter((w) => w.orderGid === order.gid);
  const metafieldOf = (order: SimOrder) =>
    orders.state.orders
      .get(order.gid)
      ?.metafields.find((m) => m.namespace === 'erp_sync' && m.key === 'erp_document_number');

  it('writes the tag and the metafield once, however often the job runs or the ERP write is redelivered', async () => {
    const batch = [seed('vip'), seed(), seed()];
    for (const [i, order] of batch.entries()) {
      await applied(order, `SO${1000 + i}`);
    }

    expect(await run()).toMatchObject({ ran: true, considered: 3, written: 3, unchanged: 0, failed: 0, retried: 0 });
    for (const [i, order] of batch.entries()) {
      expect(order.tags).toContain(`ERP:SO${1000 + i}`);
      expect(metafieldOf(order)).toMatchObject({ type: 'single_line_text_field', value: `SO${1000 + i}` });
      expect(tagsAdded(order)).toHaveLength(1);
      expect(metafieldsSet(order)).toHaveLength(1);
    }
    expect(batch[0]?.tags).toEqual(['vip', 'ERP:SO1000']);

    // Nothing owed any more; a redelivered ERP write with the same number owes nothing either.
    await applied(batch[0], 'SO1000');
    expect(await run()).toMatchObject({ ran: true, considered: 0 });
    for (const order of batch) {
      expect(tagsAdded(order)).toHaveLength(1);
      expect(metafieldsSet(order)).toHaveLength(1);
    }
    expect(sim.ledger.appliedMutations('tagsAdd')).toHaveLength(3);
    expect(sim.ledger.appliedMutations('metafieldsSet')).toHaveLength(3);
  });

  it('sends nothing to an order that carries the number already (an answer lost after Shopify applied it)', async () => {
    const order = seed('ERP:SO2000');
    orders.state.orders.get(order.gid)?.metafields.push({
      id: 'gid://shopify/Metafield/1',
      namespace: 'erp_sync',
      key: 'erp_document_number',
      type: 'single_line_text_field',
      value: 'SO2000',
    });
    await applied(order, 'SO2000');
    expect(await run()).toMatchObject({ considered: 1, written: 1, unchanged: 1 });
    expect(tagsAdded(order)).toHaveLength(0);
    expect(metafieldsSet(order)).toHaveLength(0);
  });

  it('writes a number the ERP changed: the new tag, the metafield replaced', async () => {
    const order = seed();
    await applied(order, 'SO3000', '2026-12-01T10:00:00.000Z');
    await run();
    await applied(order, 'SO3001', '2026-12-01T11:00:00.000Z');
    expect(await run()).toMatchObject({ considered: 1, written: 1 });
    expect(order.tags).toEqual(['ERP:SO3000', 'ERP:SO3001']);
    expect(metafieldOf(order)?.value).toBe('SO3001');
    expect(metafieldsSet(order)).toHaveLength(2);
  });

  it('keeps the reason when Shopify has no such order, and does not try again', async () => {
    const ghost = { gid: 'gid://shopify/Order/999999999', tags: [] } as unknown as SimOrder;
    await applied(ghost, 'SO4000');
    expect(await run()).toMatchObject({ considered: 1, failed: 1 });
    expect(await run()).toMatchObject({ considered: 0 });
    const [row] = await dataSource.query(
      `SELECT write_back_due_at, write_back_error FROM order_sync_state WHERE shopify_order_id = '999999999'`,
    );
    expect(row).toMatchObject({ write_back_due_at: null, write_back_error: expect.stringContaining('999999999') });
  });
});
