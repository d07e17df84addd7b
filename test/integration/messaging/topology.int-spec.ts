import { Connection } from 'rabbitmq-client';
import {
  CATALOG_EVENTS_QUEUE,
  INVENTORY_EVENTS_QUEUE,
  MessageHeader,
  RETRY_DELAYS_MS,
  RETRY_EXCHANGE,
  RETRY_QUEUES,
  WEBHOOK_EXCHANGE,
  declareTopology,
  orderQueueName,
  retryQueueName,
} from 'src/common/messaging/topology';
import { jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('RabbitMQ topology (real broker)', () => {
  let rabbit: Connection;
  const partition = orderQueueName(9);

  beforeAll(async () => {
    // INTEGRATION_RESOURCES.messagingTopology: queues only, on the worker's vhost.
    rabbit = new Connection(testRabbitmqUrl(jestWorkerVhost()));
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
  });

  afterAll(async () => {
    await rabbit.queuePurge({ queue: partition });
    await rabbit.close();
  });

  it('can be declared again with identical arguments (what every process does on each reconnect)', async () => {
    await expect(declareTopology(rabbit)).resolves.toBeUndefined();
  });

  it('sends a delayed retry to exactly one TTL queue and back to its partition once, after the delay', async () => {
    await rabbit.queuePurge({ queue: partition });
    for (const queue of RETRY_QUEUES) {
      await rabbit.queuePurge({ queue });
    }
    const delay = RETRY_DELAYS_MS[0] ?? 800;
    const publisher = rabbit.createPublisher({ confirm: true });
    await publisher.send(
      {
        exchange: RETRY_EXCHANGE,
        routingKey: partition,
        durable: true,
        headers: { [MessageHeader.RetryDelay]: String(delay), [MessageHeader.Attempt]: 1 },
      },
      Buffer.from('{"id":1}'),
    );
    await publisher.close();
    const counts = await Promise.all(
      RETRY_QUEUES.map(async (queue) => (await rabbit.queueDeclare({ queue, passive: true })).messageCount),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await rabbit.queueDeclare({ queue: retryQueueName(delay), passive: true })).messageCount).toBe(1);
    expect((await rabbit.queueDeclare({ queue: partition, passive: true })).messageCount).toBe(0);
    await sleep(delay + 1_500);
    expect((await rabbit.queueDeclare({ queue: partition, passive: true })).messageCount).toBe(1);
    expect((await rabbit.queueDeclare({ queue: retryQueueName(delay), passive: true })).messageCount).toBe(0);
  });

  describe('catalog and inventory webhooks', () => {
    const depth = async (queue: string): Promise<number> =>
      (await rabbit.queueDeclare({ queue, passive: true })).messageCount;
    const publish = async (topic: string): Promise<void> => {
      const publisher = rabbit.createPublisher({ confirm: true });
      try {
        await publisher.send({ exchange: WEBHOOK_EXCHANGE, routingKey: topic, durable: true }, Buffer.from('{}'));
      } finally {
        await publisher.close();
      }
    };

    beforeEach(async () => {
      await rabbit.queuePurge({ queue: CATALOG_EVENTS_QUEUE });
      await rabbit.queuePurge({ queue: INVENTORY_EVENTS_QUEUE });
    });

    afterAll(async () => {
      await rabbit.queuePurge({ queue: CATALOG_EVENTS_QUEUE });
      await rabbit.queuePurge({ queue: INVENTORY_EVENTS_QUEUE });
    });

    it('routes products/update to the catalog queue and inventory_levels/update to the inventory queue, once each', async () => {
      await publish('products/update');
      await publish('inventory_levels/update');

      expect(await depth(CATALOG_EVENTS_QUEUE)).toBe(1);
      expect(await depth(INVENTORY_EVENTS_QUEUE)).toBe(1);
    });

    it("removes the catalog queue's earlier inventory binding when declared (a deployment upgraded in place)", async () => {
      await rabbit.queueBind({
        queue: CATALOG_EVENTS_QUEUE,
        exchange: WEBHOOK_EXCHANGE,
        routingKey: 'inventory_levels/update',
      });
      await publish('inventory_levels/update');
      expect(await depth(CATALOG_EVENTS_QUEUE)).toBe(1);
      await rabbit.queuePurge({ queue: CATALOG_EVENTS_QUEUE });
      await rabbit.queuePurge({ queue: INVENTORY_EVENTS_QUEUE });

      await declareTopology(rabbit);
      await publish('inventory_levels/update');

      expect(await depth(CATALOG_EVENTS_QUEUE)).toBe(0);
      expect(await depth(INVENTORY_EVENTS_QUEUE)).toBe(1);
    });
  });
});
