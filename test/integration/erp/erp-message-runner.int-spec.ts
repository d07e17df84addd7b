import Redis from 'ioredis';
import { Connection, type AsyncMessage, type Consumer, type Publisher } from 'rabbitmq-client';
import { ErrorKind } from 'src/common/errors/app-error';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import {
  DEAD_LETTER_QUEUE,
  MessageHeader,
  RETRY_DELAYS_MS,
  RETRY_EXCHANGE,
  RETRY_QUEUES,
  RETRY_TIERS_MS,
  WEBHOOK_EXCHANGE,
  declareTopology,
  orderQueueArguments,
  orderQueueName,
  retryQueueName,
} from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import type { AuditEntry, AuditWriter } from 'src/modules/audit';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { ErpMessageRunner, type MessageContext } from 'src/modules/erp/writer/erp-message-runner';
import { CuttableTcpProxy } from 'test/support/cuttable-tcp-proxy';
import { INTEGRATION_RESOURCES, jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.erpMessageRunner.database, 0);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(20);
  }
}

/** What a handler saw of one delivery. */
interface Delivery {
  resourceId: string;
  attempt: number;
  redelivered: boolean;
  deliveryCount: unknown;
  at: number;
}

/**
 * The runner on the real broker (the topology on this worker's vhost), consuming an order partition as the order
 * consumer does (one message at a time, single active consumer): what happens to the messages *behind* a failing
 * one, and to the failing one, when the handler has a bug, when our PostgreSQL is unreachable, and when a retry
 * cannot be routed.
 */
describe('ErpMessageRunner (real RabbitMQ and PostgreSQL)', () => {
  let rabbit: Connection;
  let publisher: Publisher;
  let redis: Redis;
  let proxy: CuttableTcpProxy;
  let dataSource: DataSource;
  let runner: ErpMessageRunner;
  let consumer: Consumer | undefined;
  const deliveries: Delivery[] = [];
  const audit: AuditEntry[] = [];

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    rabbit = new Connection(testRabbitmqUrl(jestWorkerVhost()));
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
    publisher = rabbit.createPublisher({ confirm: true });
    // Only PINGed (the runner's Redis probe).
    redis = new Redis('redis://127.0.0.1:6379');
    // The handlers' and the probe's PostgreSQL, behind a proxy the test can cut: "unreachable" without touching the
    // PostgreSQL every other suite uses.
    proxy = new CuttableTcpProxy(5432);
    const port = await proxy.open();
    const url = new URL(DATABASE_URL);
    url.port = String(port);
    dataSource = createDataSource(url.toString());
    await dataSource.initialize();
    runner = new ErpMessageRunner(
      new MandatoryPublisher(publisher),
      { record: (entry: AuditEntry) => void audit.push(entry) } as unknown as AuditWriter,
      new MetricsService(),
      dataSource,
      redis,
      {
        pause: { minProbeIntervalMs: 50, maxProbeIntervalMs: 200, probeTimeoutMs: 1_000 },
        republishBudgetMs: 1_000,
        republishBackoffMs: 100,
        republishMaxBackoffMs: 300,
      },
    );
  });

  afterEach(async () => {
    await consumer?.close();
    consumer = undefined;
    deliveries.length = 0;
    audit.length = 0;
  });

  afterAll(async () => {
    runner?.beforeApplicationShutdown();
    await publisher?.close();
    await rabbit?.close();
    await dataSource?.destroy();
    await proxy?.cut();
    redis?.disconnect();
  });

  async function purge(...queues: string[]): Promise<void> {
    for (const queue of [...queues, ...RETRY_QUEUES, DEAD_LETTER_QUEUE]) {
      await rabbit.queuePurge({ queue });
    }
  }

  async function publish(partition: string, resourceId: string): Promise<void> {
    await publisher.send(
      {
        exchange: WEBHOOK_EXCHANGE,
        routingKey: partition,
        messageId: `m-${resourceId}`,
        durable: true,
        contentType: 'application/json',
        headers: {
          [MessageHeader.EventId]: `ev-${resourceId}`,
          [MessageHeader.Shop]: 's.myshopify.com',
          [MessageHeader.Topic]: 'orders/create',
          [MessageHeader.ResourceId]: resourceId,
        },
      },
      Buffer.from(JSON.stringify({ id: resourceId })),
    );
  }

  /** Consumes `partition` as OrderEventsConsumer does, through the runner, with `handle` as the use case. */
  function consume(partition: string, handle: (context: MessageContext) => Promise<void>): void {
    consumer = rabbit.createConsumer(
      {
        queue: partition,
        queueOptions: { queue: partition, durable: true, arguments: orderQueueArguments },
        concurrency: 1,
        qos: { prefetchCount: 2 },
        requeue: true,
      },
      (message: AsyncMessage) =>
        runner.run(message, 'order', (context) => {
          deliveries.push({
            resourceId: context.resourceId,
            attempt: context.attempt,
            redelivered: message.redelivered,
            deliveryCount: message.headers?.[MessageHeader.DeliveryCount],
            at: Date.now(),
          });
          return handle(context);
        }),
    );
  }

  it('a handler bug (RangeError) is dead-lettered with its stack after 3 attempts, while the orders behind it flow', async () => {
    const partition = orderQueueName(7);
    await purge(partition);
    const bug = (): never => {
      throw new RangeError('Invalid money amount: "12.345,6"');
    };
    consume(partition, (context) => (context.resourceId === 'bug' ? Promise.resolve().then(bug) : Promise.resolve()));
    const started = Date.now();
    await publish(partition, 'bug');
    for (let i = 1; i <= 5; i++) {
      await publish(partition, `ok-${i}`);
    }

    // The partition is not held: the five orders behind the bug are done long before its retries are.
    await until(
      'the orders behind the failing one',
      () => deliveries.filter((d) => d.resourceId !== 'bug').length === 5,
    );
    expect(Date.now() - started).toBeLessThan(3_000);

    const dead = await (async () => {
      for (const deadline = Date.now() + 12_000; Date.now() < deadline; await sleep(100)) {
        const message = await rabbit.basicGet({ queue: DEAD_LETTER_QUEUE, noAck: true });
        if (message !== undefined) {
          return message;
        }
      }
      throw new Error('no dead letter');
    })();
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(deliveries.filter((d) => d.resourceId === 'bug')).toHaveLength(3);
    expect(dead.messageId).toBe('m-bug');
    expect(dead.headers?.[MessageHeader.DeadLetterAttempts]).toBe(3);
    expect(String(dead.headers?.[MessageHeader.DeadLetterReason])).toMatch(
      /^unexpected error after 3 attempts: RangeError: Invalid money amount: "12\.345,6"\n\s+at bug \(/,
    );
    // The dead letter is published before its audit entry is written: wait for the entry.
    await until('the dead letter audited', () => audit.length >= 3, 5_000);
    expect(audit.map((e) => e.status)).toEqual(['retry_scheduled', 'retry_scheduled', 'dead_lettered']);
  }, 20_000);

  it('PostgreSQL unreachable: the consumer pauses until a probe answers; no message is re-run or requeued meanwhile', async () => {
    const partition = orderQueueName(8);
    await purge(partition);
    consume(partition, async () => {
      await dataSource.query('SELECT 1');
    });
    await proxy.cut();
    try {
      await publish(partition, 'first');
      await publish(partition, 'second');
      await until('the first delivery to fail and pause consumption', () => deliveries.length === 1 && runner.paused);
      // A second of outage: the probe runs (every 50–200 ms) but no handler does, the first message is not tried
      // again and the second is not started; both stay unacknowledged, neither is requeued.
      await sleep(1_000);
      expect(deliveries.map((d) => d.resourceId)).toEqual(['first']);
      expect(runner.paused).toBe(true);
      expect((await rabbit.queueDeclare({ queue: partition, passive: true })).messageCount).toBe(0);
    } finally {
      await proxy.open();
    }
    await until('both messages to be processed', () => deliveries.length === 3);
    expect(deliveries.map((d) => d.resourceId)).toEqual(['first', 'first', 'second']);
    // Each was delivered once: nothing was nacked, so no delivery count was spent.
    expect(deliveries.every((d) => !d.redelivered && d.deliveryCount === undefined)).toBe(true);
    expect(runner.paused).toBe(false);
    expect(audit).toEqual([]);
    for (const queue of RETRY_QUEUES) {
      expect((await rabbit.queueDeclare({ queue, passive: true })).messageCount).toBe(0);
    }
  }, 15_000);

  it('a retry that no queue takes (a retry tier unbound) is not acked: the message is kept and retried once routable', async () => {
    const partition = orderQueueName(9);
    await purge(partition);
    // The first tier's three jittered queues lose their bindings: a first transient failure cannot be routed.
    const firstTier = RETRY_DELAYS_MS.filter((delay) => Math.abs(delay - (RETRY_TIERS_MS[0] ?? 0)) <= 200);
    expect(firstTier).toHaveLength(3);
    const bind = (delay: number) => ({
      queue: retryQueueName(delay),
      exchange: RETRY_EXCHANGE,
      arguments: { 'x-match': 'all', [MessageHeader.RetryDelay]: String(delay) },
    });
    for (const delay of firstTier) {
      await rabbit.queueUnbind(bind(delay));
    }
    try {
      // Fails until it comes back through a retry queue (attempt 1).
      consume(partition, (context) =>
        context.attempt === 0 ? Promise.reject(new ErpError(ErrorKind.Transient, 'HTTP 502')) : Promise.resolve(),
      );
      await publish(partition, 'order');
      // The retry publish is returned; after the runner's budget (1 s) the message goes back to its queue, with
      // backoff, and is delivered again: it was never acked.
      await until('a redelivery of the unacked original', () => deliveries.some((d) => d.redelivered), 8_000);
      for (const queue of RETRY_QUEUES) {
        expect((await rabbit.queueDeclare({ queue, passive: true })).messageCount).toBe(0);
      }
      expect(audit).toEqual([]);
    } finally {
      await declareTopology(rabbit);
    }
    await until('the message to come back through its retry queue and succeed', () =>
      deliveries.some((d) => d.attempt === 1),
    );
    expect(deliveries.filter((d) => d.attempt === 1)).toHaveLength(1);
    expect(audit.map((e) => e.status)).toEqual(['retry_scheduled']);
  }, 20_000);
});
