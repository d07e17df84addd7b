import type { Socket } from 'node:net';
import { Connection } from 'rabbitmq-client';
import { corked } from 'src/modules/shopify/transport/webhook-event.publisher';
import { jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';

/** Counts the socket writes (`_writev` calls: one per uncork with frames waiting) of a connection. */
function countWrites(connection: Connection): () => number {
  const socket = (connection as unknown as { _socket: Socket & { _writev: (...args: unknown[]) => unknown } })._socket;
  const writev = socket._writev.bind(socket);
  let writes = 0;
  socket._writev = (...args: unknown[]) => {
    writes++;
    return writev(...args);
  };
  return () => writes;
}

describe('corked publishes (real broker)', () => {
  let rabbit: Connection;
  let queue: string;

  beforeAll(async () => {
    // INTEGRATION_RESOURCES.corkedPublish: an exclusive queue on the worker's vhost.
    rabbit = new Connection(testRabbitmqUrl(jestWorkerVhost()));
    await rabbit.onConnect(5_000);
    queue = (await rabbit.queueDeclare({ exclusive: true })).queue;
  });

  afterAll(async () => {
    await rabbit.close();
  });

  it('writes a burst of confirmed publishes in one syscall, where rabbitmq-client alone writes one per message', async () => {
    const publisher = rabbit.createPublisher({ confirm: true });
    await publisher.send({ routingKey: queue }, Buffer.from('{"warm":true}')); // opens the channel
    const writes = countWrites(rabbit);
    const burst = (): Promise<void[]> => {
      const sent: Array<Promise<void>> = [];
      for (let i = 0; i < 10; i++) {
        sent.push(publisher.send({ routingKey: queue, durable: true }, Buffer.from(JSON.stringify({ i }))));
      }
      return Promise.all(sent);
    };

    const alone = burst();
    expect(writes()).toBe(10);
    await alone;

    const before = writes();
    let together: Promise<void[]> = Promise.resolve([]);
    corked(rabbit, () => {
      together = burst();
    });
    expect(writes() - before).toBe(1);
    // Each message still gets its own confirm, and all arrive.
    await expect(together).resolves.toHaveLength(10);
    expect((await rabbit.queueDeclare({ queue, passive: true })).messageCount).toBe(21);
    await publisher.close();
  });
});
