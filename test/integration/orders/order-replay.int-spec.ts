import Bull from 'bull';
import { Connection, type AsyncMessage, type Consumer } from 'rabbitmq-client';
import { ErrorKind } from 'src/common/errors/app-error';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { ORDER_QUEUES, declareTopology } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import type { ErpPort, ErpWriteGate } from 'src/modules/erp';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { messageContext } from 'src/modules/erp/writer/erp-message-runner';
import type { MappingReader } from 'src/modules/mapping';
import { ReadOrderReplay } from 'src/modules/orders/application/read-order-replay.query';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import { RunOrderReplay } from 'src/modules/orders/application/run-order-replay.use-case';
import type { ShopErp } from 'src/modules/orders/application/shop-erp';
import { StartOrderReplay } from 'src/modules/orders/application/start-order-replay.use-case';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderReplayRepository } from 'src/modules/orders/persistence/order-replay.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { RabbitOrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { ShopifyAdminError, ShopifyAdminErrorCode } from 'src/modules/shopify/admin/shopify-admin.errors';
import type { ShopifyAdminPort } from 'src/modules/shopify/admin/shopify-admin.port';
import { LocalCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
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

const { database: DB } = INTEGRATION_RESOURCES.orderReplay;
/** The ERP contract specs' Redis db: nothing is flushed there, every key of this run is under its own prefix. */
const REDIS_URL = `redis://127.0.0.1:6379/${INTEGRATION_RESOURCES.erpContracts.redisDb}`;
const BULL_PREFIX = `it-order-replay-${process.pid}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(50);
  }
}

/**
 * Operators' order replays on the real PostgreSQL and RabbitMQ (its jest worker's vhost), reading through the real
 * Admin client from the Shopify simulator and writing through the real order writer (SyncOrderToErp: inbox,
 * staleness guard, write marker) and the sandbox connector to the sandbox ERP: a date-range replay of 500 orders,
 * 300 of them already in the ERP, ends with each exactly once; a run that stops resumes after its last page; a forced
 * re-sync updates the one ERP document.
 */
describe('order replays (Shopify simulator → order pipeline → sandbox ERP, real PostgreSQL and RabbitMQ)', () => {
  const urls = serviceUrls(DB, 0, jestWorkerVhost());
  const config = testConfig(DB, 0, { RABBITMQ_URL: urls.RABBITMQ_URL });
  const shopify = new ShopifySimulator({ shopDomain: TEST_SHOP, restoreRate: 20_000 });
  const area = ordersExtension(shopify.context);
  shopify.use(area.extension);
  // Room for every consumer at once: the ERP's own limits are not what this spec is about.
  const sandbox = new SandboxErpServer({ concurrencyLimit: 200, latencyMs: 0, latencyJitterMs: 0 });
  let dataSource: DataSource;
  let shops: TestShops;
  let rabbit: Connection;
  let publisher: ReturnType<Connection['createPublisher']>;
  let consumers: Consumer[] = [];
  let audit: AuditWriter;
  let client: ShopifyAdminClient;
  let queue: Bull.Queue;
  let writer: SyncOrderToErp;
  let replays: OrderReplayRepository;
  let start: StartOrderReplay;
  /** Every order message the pipeline consumed, by order id. */
  const consumed = new Map<string, number>();

  beforeAll(async () => {
    const shopifyUrl = await shopify.start();
    const erpUrl = `http://127.0.0.1:${await sandbox.listen(0)}`;
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    shops = new TestShops(dataSource, config);
    await shops.start();
    rabbit = new Connection(urls.RABBITMQ_URL);
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
    await purgeQueues(urls.RABBITMQ_URL, ORDER_QUEUES);
    publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1 });
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    client = new ShopifyAdminClient(
      { adminApiUrl: shopifyUrl, accessToken: shopify.accessToken },
      new LocalCostBucket(),
      new MetricsService(),
    );
    queue = new Bull(QueueName.OrderReplay, REDIS_URL, { prefix: BULL_PREFIX });
    replays = new OrderReplayRepository(dataSource);
    start = new StartOrderReplay(replays, shops.directory, queue);

    // The order writer as the worker runs it, on the sandbox ERP through its real connector.
    const erp: ErpPort = new SandboxErpConnector({ baseUrl: erpUrl }, directErpContext(5_000));
    const shopErp = { for: () => Promise.resolve(erp) } as unknown as ShopErp;
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
      new OrderSyncStateRepository(dataSource),
      audit,
      new MetricsService(),
      mappings,
      noTenders(),
      new OrderEditConflictRepository(dataSource),
    );
    consumers = ORDER_QUEUES.map((name) =>
      rabbit.createConsumer(
        { queue: name, queueOptions: { queue: name, passive: true }, concurrency: 4 },
        async (message: AsyncMessage) => {
          const context = messageContext(message);
          consumed.set(context.resourceId, (consumed.get(context.resourceId) ?? 0) + 1);
          const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body));
          await writer.execute(context, body);
        },
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.close()));
    await audit?.flush();
    await publisher?.close();
    await purgeQueues(urls.RABBITMQ_URL, ORDER_QUEUES);
    await rabbit?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await shopify.stop();
    await sandbox.close();
    await dataSource?.destroy();
  });

  const replayOrdersWith = (port: ShopifyAdminPort): ReplayOrders =>
    new ReplayOrders(
      oneClientForEveryShop(port),
      shops.directory,
      new RabbitOrderEventPublisher(publisher),
      config,
      new OrderSyncStateRepository(dataSource),
      audit,
    );
  const runnerWith = (port: ShopifyAdminPort): RunOrderReplay =>
    new RunOrderReplay(
      replays,
      replayOrdersWith(port),
      oneClientForEveryShop(port),
      shops.directory,
      new AdvisoryLocks(dataSource),
    );
  const status = (id: string) => new ReadOrderReplay(replays).execute({ shop: TEST_SHOP, replayId: id });

  /** Seeds orders in Shopify created on `day` (UTC), one minute apart. */
  function seed(count: number, seedBase: number, day: string): BuiltShopifyOrder[] {
    return Array.from({ length: count }, (_, i) => {
      const at = new Date(Date.parse(`${day}T08:00:00Z`) + i * 60_000).toISOString();
      const order = buildShopifyOrder(
        { created_at: at, processed_at: at, updated_at: at },
        { seed: seedBase + i, lineCount: 1 + (i % 3) },
      );
      area.state.seedOrder(order as unknown as Record<string, unknown>);
      return order;
    });
  }

  /** The order reached the ERP through its webhook before: the writer applied that delivery. */
  async function applyWebhook(order: BuiltShopifyOrder): Promise<void> {
    const id = String(order.id);
    await writer.execute(
      {
        eventId: `wh-${id}`,
        webhookId: `wh-${id}`,
        shop: TEST_SHOP,
        topic: 'orders/create',
        resourceId: id,
        attempt: 0,
      },
      Buffer.from(serialiseOrder(order)),
    );
  }

  const erpOrders = (): Map<string, number> =>
    new Map(sandbox.snapshot().salesOrders.map((o) => [o.externalId, o.writeCount]));

  it('replays a date range of 500 orders, 300 already in the ERP: each ends in the ERP exactly once', async () => {
    const inRange = seed(500, 200_000, '2026-11-03');
    const before = seed(5, 201_000, '2026-11-01');
    const already = inRange.slice(0, 300);
    for (let i = 0; i < already.length; i += 25) {
      await Promise.all(already.slice(i, i + 25).map(applyWebhook));
    }
    expect(erpOrders().size).toBe(300);

    const started = await start.execute({
      shop: TEST_SHOP,
      createdFrom: new Date('2026-11-03T00:00:00Z'),
      createdTo: new Date('2026-11-03T23:59:59Z'),
      ratePerSecond: 100,
      actor: 'api-key:ops (#1)',
    });
    if (started.outcome !== 'queued') {
      throw new Error(`not queued: ${JSON.stringify(started)}`);
    }
    const id = started.replay.id;
    // The job the scheduler's processor runs is on the order-replay queue, naming the replay.
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.name).toBe(JobName.ReplayOrders);
    expect(job?.data).toEqual({ replayId: id });
    expect((await status(id))?.status).toBe('queued');

    const began = Date.now();
    expect(await runnerWith(client).execute(id)).toEqual({
      outcome: 'published',
      replayId: id,
      listed: 500,
      notFound: 0,
    });
    // Bounded: 500 orders at 100 per second take at least five seconds.
    expect(Date.now() - began).toBeGreaterThanOrEqual(4_900);
    await until('every replayed order processed', async () => (await status(id))?.status === 'done');

    expect(await status(id)).toMatchObject({
      status: 'done',
      listed: 500,
      published: 500,
      processed: 500,
      applied: 200,
      notFound: 0,
    });
    const erp = erpOrders();
    expect(erp.size).toBe(500);
    for (const order of inRange) {
      // Written once: the 300 by their webhook (the replay left them as they were), the 200 by the replay.
      expect([String(order.id), erp.get(String(order.id))]).toEqual([String(order.id), 1]);
    }
    for (const order of before) {
      expect(erp.has(String(order.id))).toBe(false);
    }
    expect(sandbox.snapshot().counts.salesOrders).toBe(500);
  }, 120_000);

  it('resumes a run that stopped on a Shopify outage after its last completed page: each order published once', async () => {
    const orders = seed(70, 210_000, '2026-11-10');
    consumed.clear();
    let pages = 0;
    const flaky: ShopifyAdminPort = {
      bulkQuery: (query, options) => client.bulkQuery(query, options),
      request: (document, variables, options) =>
        document.name === 'ReplayOrdersPage' && ++pages === 2
          ? Promise.reject(
              new ShopifyAdminError(ErrorKind.Transient, ShopifyAdminErrorCode.Unavailable, 'Shopify answered 503'),
            )
          : client.request(document, variables, options),
    };
    const replay = await replays.create({
      id: '00000000-0000-4000-8000-000000000002',
      shop: TEST_SHOP,
      createdFrom: new Date('2026-11-10T00:00:00Z'),
      createdTo: new Date('2026-11-10T23:59:59Z'),
      orderIds: null,
      force: false,
      ratePerSecond: 50,
      requestedBy: 'test',
    });
    await expect(runnerWith(flaky).execute(replay.id)).rejects.toThrow('503');
    expect(await status(replay.id)).toMatchObject({
      status: 'failed',
      error: 'Shopify answered 503',
      listed: 50,
      published: 50,
    });

    // The resume (Bull's retry, or resumeOrderReplay) goes on after page 1.
    await runnerWith(flaky).execute(replay.id);
    await until('the resumed replay processed', async () => (await status(replay.id))?.status === 'done');
    expect(await status(replay.id)).toMatchObject({ listed: 70, published: 70, processed: 70, applied: 70 });
    expect(orders.map((o) => consumed.get(String(o.id)))).toEqual(orders.map(() => 1));
    const erp = erpOrders();
    expect(orders.map((o) => erp.get(String(o.id)))).toEqual(orders.map(() => 1));
  }, 60_000);

  it('re-syncs one order by id: left as it is without force; forced, the same ERP document is written again', async () => {
    const [order] = seed(1, 220_000, '2026-11-20');
    if (order === undefined) {
      throw new Error('no order seeded');
    }
    const id = String(order.id);
    await applyWebhook(order);
    const replay = replayOrdersWith(client);
    const documents = () => sandbox.snapshot().salesOrders.filter((o) => o.externalId === id);

    const plain = await replay.execute({ shop: TEST_SHOP, orderIds: [id], actor: 'ops' });
    expect(plain).toMatchObject({
      outcome: 'replayed',
      orders: [{ orderId: id, outcome: 'published', topic: 'orders/updated' }],
    });
    const plainEvent =
      plain.outcome === 'replayed' && plain.orders[0]?.outcome === 'published' ? plain.orders[0].eventId : '';
    await until('the re-sync processed', async () => (await inboxOutcome(plainEvent)) !== undefined);
    expect(await inboxOutcome(plainEvent)).toBe('duplicate');
    expect(documents().map((d) => d.writeCount)).toEqual([1]);

    // After a mapping change, say: forced, twice (two operators), each one more write of the one document.
    for (const expected of [2, 3]) {
      const forced = await replay.execute({
        shop: TEST_SHOP,
        orderIds: [`gid://shopify/Order/${id}`],
        force: true,
        actor: 'ops',
      });
      const event =
        forced.outcome === 'replayed' && forced.orders[0]?.outcome === 'published' ? forced.orders[0].eventId : '';
      expect(event).toMatch(new RegExp(`^replay:order:${id}:\\d+:force:`));
      await until('the forced re-sync processed', async () => (await inboxOutcome(event)) !== undefined);
      expect(await inboxOutcome(event)).toBe('applied');
      expect(documents().map((d) => d.writeCount)).toEqual([expected]);
    }

    // An id Shopify does not have, and a malformed one: nothing published.
    expect(await replay.execute({ shop: TEST_SHOP, orderIds: ['999999999999', 'not-an-id'], actor: 'ops' })).toEqual({
      outcome: 'replayed',
      shop: TEST_SHOP,
      orders: [
        { orderId: '999999999999', outcome: 'not_found' },
        { orderId: 'not-an-id', outcome: 'not_found' },
      ],
    });
    expect(await replay.execute({ shop: 'nowhere.myshopify.com', orderIds: [id], actor: 'ops' })).toEqual({
      outcome: 'unknown_shop',
    });
  }, 60_000);

  it('refuses a replay without a target, with both, or with a reversed range; queues one by ids', async () => {
    const base = { shop: TEST_SHOP, actor: 'ops' };
    expect(await start.execute(base)).toEqual({ outcome: 'invalid', problem: 'empty' });
    expect(await start.execute({ ...base, orderIds: ['1'], createdFrom: new Date(), createdTo: new Date() })).toEqual({
      outcome: 'invalid',
      problem: 'range-and-ids',
    });
    expect(
      await start.execute({ ...base, createdFrom: new Date('2026-11-02'), createdTo: new Date('2026-11-01') }),
    ).toEqual({ outcome: 'invalid', problem: 'range-reversed' });
    expect(await start.execute({ ...base, shop: 'nowhere.myshopify.com', orderIds: ['1'] })).toEqual({
      outcome: 'unknown_shop',
    });
    const byIds = await start.execute({ ...base, orderIds: ['5', '5', 'gid://shopify/Order/6'] });
    expect(byIds).toMatchObject({
      outcome: 'queued',
      replay: { orderIds: ['5', 'gid://shopify/Order/6'], state: 'queued' },
    });
  });

  async function inboxOutcome(eventId: string): Promise<string | undefined> {
    const rows: Array<{ outcome: string }> = await dataSource.query(
      'SELECT outcome FROM webhook_inbox WHERE shop = $1 AND event_id = $2',
      [TEST_SHOP, eventId],
    );
    return rows[0]?.outcome;
  }
});
