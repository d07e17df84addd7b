import Bull from 'bull';
import Redis from 'ioredis';
import { Connection, type Publisher } from 'rabbitmq-client';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import {
  MessageHeader,
  ORDER_QUEUES,
  RETRY_QUEUES,
  WEBHOOK_EXCHANGE,
  declareTopology,
  orderQueueName,
} from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import type { AuditEntry, AuditWriter } from 'src/modules/audit';
import { ErpMessageRunner, type MessageContext } from 'src/modules/erp';
import { FLOW_PAUSES_MAX_AGE_MS, FlowPauses } from 'src/modules/flows/application/flow-pauses.service';
import { FlowSchedulesReader } from 'src/modules/flows/application/flow-schedules.reader';
import { FlowShops } from 'src/modules/flows/application/flow-shops';
import { ListFlows } from 'src/modules/flows/application/list-flows.query';
import { SetFlowPaused } from 'src/modules/flows/application/pause-flow.use-case';
import { Flow } from 'src/modules/flows/domain/flow';
import { FlowPauseRepository } from 'src/modules/flows/persistence/flow-pause.repository';
import type { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import type { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';
import type { SyncReturnToErp } from 'src/modules/orders/application/sync-return-to-erp.use-case';
import { OrderEventsConsumer } from 'src/modules/orders/transport/order-events.consumer';
import type { ShopDirectory } from 'src/modules/shops';
import { INTEGRATION_RESOURCES, jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.flows.database, 0);
/** The ERP contract specs' Redis db: nothing is flushed there, every key of this run is under its own prefix. */
const REDIS_URL = `redis://127.0.0.1:6379/${INTEGRATION_RESOURCES.erpContracts.redisDb}`;
const BULL_PREFIX = `it-flows-${process.pid}`;
const SHOP_A = 'paused-store.myshopify.com';
const SHOP_B = 'running-store.myshopify.com';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(25);
  }
}

/**
 * Pausing and resuming a shop's flow on the real services: the pause in PostgreSQL (`flow_pause`), the schedules as
 * Bull registered them in Redis, and the order consumer on the real broker keeping a paused shop's messages while
 * the other shop's, in the same partition, go on.
 */
describe('flows: pause and resume per shop (real PostgreSQL, Redis and RabbitMQ)', () => {
  let dataSource: DataSource;
  let queues: Bull.Queue[];
  let setPaused: SetFlowPaused;
  let list: ListFlows;
  /** Another process's view (a worker's): it never hears of a change but through the table. */
  let worker: FlowPauses;

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    const shops = new FlowShops({
      find: (domain: string) => Promise.resolve([SHOP_A, SHOP_B].includes(domain) ? { domain } : undefined),
    } as unknown as ShopDirectory);
    const repository = new FlowPauseRepository(dataSource);
    queues = [
      QueueName.ShopifyProducts,
      QueueName.ShopifyInventory,
      QueueName.ShopifyFulfilments,
      QueueName.OrderReconciliation,
      QueueName.ShopifyPayouts,
    ].map((name) => new Bull(name, REDIS_URL, { prefix: BULL_PREFIX }));
    const [products, inventory, fulfilments, reconciliation, payouts] = queues;
    list = new ListFlows(
      shops,
      repository,
      new FlowSchedulesReader(products, inventory, fulfilments, reconciliation, payouts),
    );
    setPaused = new SetFlowPaused(shops, repository, new FlowPauses(repository), list);
    worker = new FlowPauses(new FlowPauseRepository(dataSource));
  });

  afterAll(async () => {
    for (const queue of queues ?? []) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await dataSource?.destroy();
  });

  it('lists every flow of a shop with the schedules the scheduler registered; an unknown shop is not found', async () => {
    const [, inventory, , reconciliation] = queues;
    await reconciliation.add(JobName.ReconcileOrders, {}, { repeat: { cron: '*/10 * * * *' }, jobId: 'reconcile' });
    await inventory.add(JobName.InventoryPushDelta, {}, { repeat: { every: 60_000 }, jobId: 'push' });

    const listed = await list.execute({ shop: ' Paused-Store.myshopify.com ' });
    if (listed.outcome !== 'listed') {
      throw new Error('not listed');
    }
    expect(listed.flows.map((f) => [f.flow, f.trigger, f.paused])).toEqual([
      ['orders', 'continuous', false],
      ['refunds', 'continuous', false],
      ['products', 'scheduled', false],
      ['inventory', 'scheduled', false],
      ['fulfilments', 'scheduled', false],
      ['order-reconciliation', 'scheduled', false],
      ['payouts', 'scheduled', false],
    ]);
    const schedule = (flow: Flow) => listed.flows.find((f) => f.flow === flow)?.schedule;
    expect(schedule(Flow.OrderReconciliation)).toEqual([
      { job: JobName.ReconcileOrders, cron: '*/10 * * * *', everyMs: null, nextRunAt: expect.any(Date) },
    ]);
    expect(schedule(Flow.Inventory)).toEqual([
      { job: JobName.InventoryPushDelta, cron: null, everyMs: 60_000, nextRunAt: expect.any(Date) },
    ]);
    expect(schedule(Flow.Products)).toEqual([]);
    expect(await list.execute({ shop: 'nowhere.myshopify.com' })).toEqual({ outcome: 'unknown_shop' });
    expect(
      await setPaused.execute({ shop: 'nowhere.myshopify.com', flow: Flow.Orders, paused: true, actor: 'ops' }),
    ).toEqual({ outcome: 'unknown_shop' });
  });

  it("a pause is the shop's and the flow's only, kept with who paused it first, and seen by another process within seconds", async () => {
    expect(await worker.isPaused(SHOP_A, Flow.Fulfilments)).toBe(false);
    const paused = await setPaused.execute({
      shop: SHOP_A,
      flow: Flow.Fulfilments,
      paused: true,
      actor: 'api-key:first (#1)',
      reason: 'carrier outage',
    });
    const changedAt = Date.now();
    expect(paused).toMatchObject({
      outcome: 'changed',
      state: {
        shop: SHOP_A,
        flow: 'fulfilments',
        paused: true,
        pausedBy: 'api-key:first (#1)',
        reason: 'carrier outage',
      },
    });
    // Pausing again changes nothing: the first pause stays, with its author.
    const again = await setPaused.execute({ shop: SHOP_A, flow: Flow.Fulfilments, paused: true, actor: 'other' });
    expect(again).toMatchObject({ state: { paused: true, pausedBy: 'api-key:first (#1)' } });

    await until('the worker sees the pause', () => worker.isPaused(SHOP_A, Flow.Fulfilments));
    expect(Date.now() - changedAt).toBeLessThanOrEqual(FLOW_PAUSES_MAX_AGE_MS + 500);
    expect(await worker.isPaused(SHOP_B, Flow.Fulfilments)).toBe(false);
    expect(await worker.isPaused(SHOP_A, Flow.Products)).toBe(false);

    const resumed = await setPaused.execute({ shop: SHOP_A, flow: Flow.Fulfilments, paused: false, actor: 'ops' });
    expect(resumed).toMatchObject({ state: { paused: false, pausedAt: null, pausedBy: null, reason: null } });
    await until('the worker sees the resume', async () => !(await worker.isPaused(SHOP_A, Flow.Fulfilments)));
    expect(await dataSource.query('SELECT 1 FROM flow_pause')).toEqual([]);
  });

  describe('the order consumer', () => {
    let rabbit: Connection;
    let publisher: Publisher;
    let redis: Redis;
    let consumer: OrderEventsConsumer;
    let metrics: MetricsService;
    const handled: Array<{ shop: string; topic: string; resourceId: string; attempt: number }> = [];

    beforeAll(async () => {
      rabbit = new Connection(testRabbitmqUrl(jestWorkerVhost()));
      await rabbit.onConnect(5_000);
      await declareTopology(rabbit);
      for (const queue of [...ORDER_QUEUES, ...RETRY_QUEUES]) {
        await rabbit.queuePurge({ queue });
      }
      publisher = rabbit.createPublisher({ confirm: true });
      redis = new Redis(REDIS_URL);
      metrics = new MetricsService();
      const audit: AuditEntry[] = [];
      const runner = new ErpMessageRunner(
        new MandatoryPublisher(publisher),
        { record: (entry: AuditEntry) => void audit.push(entry) } as unknown as AuditWriter,
        metrics,
        dataSource,
        redis,
      );
      const record = (context: MessageContext): Promise<void> => {
        handled.push({
          shop: context.shop,
          topic: context.topic,
          resourceId: context.resourceId,
          attempt: context.attempt,
        });
        return Promise.resolve();
      };
      consumer = new OrderEventsConsumer(
        rabbit,
        runner,
        { execute: record } as unknown as SyncOrderToErp,
        { execute: record } as unknown as SyncRefundToErp,
        { execute: record } as unknown as SyncReturnToErp,
        worker,
      );
      consumer.onApplicationBootstrap();
    });

    afterAll(async () => {
      await consumer?.onApplicationShutdown();
      await publisher?.close();
      await rabbit?.close();
      redis?.disconnect();
    });

    async function publish(shop: string, topic: string, resourceId: string): Promise<void> {
      await publisher.send(
        {
          exchange: WEBHOOK_EXCHANGE,
          routingKey: orderQueueName(3),
          messageId: `m-${shop}-${resourceId}`,
          durable: true,
          contentType: 'application/json',
          headers: {
            [MessageHeader.EventId]: `ev-${shop}-${resourceId}`,
            [MessageHeader.Shop]: shop,
            [MessageHeader.Topic]: topic,
            [MessageHeader.ResourceId]: resourceId,
          },
        },
        Buffer.from(JSON.stringify({ id: resourceId, order_id: resourceId })),
      );
    }

    const keptWhilePaused = async (): Promise<number> =>
      (await metrics.messagesProcessed.get()).values.find((v) => v.labels.outcome === 'paused')?.value ?? 0;

    it("keeps a paused shop's orders, uncounted, while its refunds and the other shop's orders in the partition go on; a resume processes them once", async () => {
      await setPaused.execute({ shop: SHOP_A, flow: Flow.Orders, paused: true, actor: 'ops' });
      await until('the consumer sees the pause', () => worker.isPaused(SHOP_A, Flow.Orders));

      await publish(SHOP_A, 'orders/create', '101');
      await publish(SHOP_B, 'orders/create', '201');
      await publish(SHOP_A, 'refunds/create', '102');
      await publish(SHOP_B, 'orders/updated', '202');

      await until('the running flows are processed', () => handled.length === 3);
      expect(handled.map((h) => `${h.shop} ${h.topic} ${h.resourceId}`)).toEqual([
        `${SHOP_B} orders/create 201`,
        `${SHOP_A} refunds/create 102`,
        `${SHOP_B} orders/updated 202`,
      ]);
      // The paused order comes back from its short retry tier and is kept again: never handled, never counted.
      await until('the paused order kept twice', async () => (await keptWhilePaused()) >= 2, 20_000);
      expect(handled).toHaveLength(3);

      await setPaused.execute({ shop: SHOP_A, flow: Flow.Orders, paused: false, actor: 'ops' });
      await until('the kept order is processed after the resume', () => handled.length === 4, 20_000);
      expect(handled[3]).toEqual({ shop: SHOP_A, topic: 'orders/create', resourceId: '101', attempt: 0 });
      // Once: nothing of it is left in the partition or the retry queues.
      for (const queue of [orderQueueName(3), ...RETRY_QUEUES]) {
        expect(await rabbit.queueDeclare({ queue, passive: true })).toMatchObject({ queue, messageCount: 0 });
      }
      expect(handled).toHaveLength(4);
    }, 60_000);
  });
});
