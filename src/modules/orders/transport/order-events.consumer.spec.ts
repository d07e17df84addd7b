import type { AsyncMessage, Connection, ConsumerHandler, ConsumerProps } from 'rabbitmq-client';
import { ConsumerStatus } from 'rabbitmq-client';
import { MessageHeader, ORDER_PREFETCH, ORDERS_IN_FLIGHT_PER_PARTITION } from 'src/common/messaging/topology';
import type { ErpMessageRunner, MessageContext } from 'src/modules/erp';
import type { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import type { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';
import type { SyncReturnToErp } from 'src/modules/orders/application/sync-return-to-erp.use-case';
import { OrderEventsConsumer } from 'src/modules/orders/transport/order-events.consumer';

interface Held {
  name: string;
  release(): void;
}

/** The consumer under test with its queue handlers captured and use cases that hold each message until released. */
function setUp() {
  const handlers: ConsumerHandler[] = [];
  const props: ConsumerProps[] = [];
  const connection = {
    createConsumer: (p: ConsumerProps, handler: ConsumerHandler) => {
      props.push(p);
      handlers.push(handler);
      return { on: () => undefined, close: () => Promise.resolve() };
    },
  } as unknown as Connection;
  const runner = {
    run: async (message: AsyncMessage, _entity: string, handle: (context: MessageContext) => Promise<void>) => {
      await handle({ resourceId: String(message.headers?.[MessageHeader.ResourceId]) } as MessageContext);
      return ConsumerStatus.ACK;
    },
  } as unknown as ErpMessageRunner;
  const running: Held[] = [];
  const hold = (name: string): Promise<void> =>
    new Promise<void>((release) => {
      running.push({ name, release });
    });
  const syncOrder = {
    execute: (_c: MessageContext, body: Buffer) => hold(body.toString()),
  } as unknown as SyncOrderToErp;
  const syncRefund = {
    execute: (_c: MessageContext, body: Buffer) => hold(body.toString()),
  } as unknown as SyncRefundToErp;
  const syncReturn = {
    execute: (_c: MessageContext, body: Buffer) => hold(body.toString()),
  } as unknown as SyncReturnToErp;
  const sut = new OrderEventsConsumer(connection, runner, syncOrder, syncRefund, syncReturn);
  sut.onApplicationBootstrap();
  const deliver = (topic: string, resourceId: string, body: string): Promise<unknown> =>
    Promise.resolve(
      handlers[0](
        {
          headers: {
            [MessageHeader.Shop]: 'shop-1',
            [MessageHeader.Topic]: topic,
            [MessageHeader.ResourceId]: resourceId,
          },
          body: Buffer.from(body),
        } as unknown as AsyncMessage,
        (() => Promise.resolve()) as never,
      ),
    );
  return { props, running, deliver };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(OrderEventsConsumer.name, () => {
  it('takes several orders of a partition at once', () => {
    const { props } = setUp();
    expect(props.length).toBeGreaterThan(1);
    for (const p of props) {
      expect(p.concurrency).toBe(ORDERS_IN_FLIGHT_PER_PARTITION);
      expect(p.qos?.prefetchCount).toBe(ORDER_PREFETCH);
    }
    expect(ORDERS_IN_FLIGHT_PER_PARTITION).toBeGreaterThan(1);
  });

  it('writes different orders side by side and the events of one order one at a time, in delivery order', async () => {
    const { running, deliver } = setUp();
    const done = [
      deliver('orders/create', '1001', 'create 1001'),
      deliver('orders/updated', '1001', 'update 1001'),
      deliver('orders/create', '1002', 'create 1002'),
    ];
    await settle();
    expect(running.map((held) => held.name)).toEqual(['create 1001', 'create 1002']);
    running[0].release();
    await settle();
    expect(running.map((held) => held.name)).toEqual(['create 1001', 'create 1002', 'update 1001']);
    running[1].release();
    running[2].release();
    await expect(Promise.all(done)).resolves.toEqual([ConsumerStatus.ACK, ConsumerStatus.ACK, ConsumerStatus.ACK]);
  });

  it("holds a refund until its order's event before it is written (keyed by the refund's order_id)", async () => {
    const { running, deliver } = setUp();
    const done = [
      deliver('orders/updated', '9007199254740993', 'update'),
      deliver('refunds/create', '555', '{"id":555,"order_id":9007199254740993}'),
      deliver('refunds/create', '556', '{"id":556,"order_id":1002}'),
    ];
    await settle();
    expect(running.map((held) => held.name)).toEqual(['update', '{"id":556,"order_id":1002}']);
    running[0].release();
    await settle();
    expect(running.map((held) => held.name)).toContain('{"id":555,"order_id":9007199254740993}');
    running.forEach((held) => held.release());
    await Promise.all(done);
  });

  it("holds a return until its order's event before it is written (keyed by the return's order gid or order_id)", async () => {
    const { running, deliver } = setUp();
    const approve =
      '{"id":77,"admin_graphql_api_id":"gid://shopify/Return/77","order":{"id":9007199254740993,"admin_graphql_api_id":"gid://shopify/Order/9007199254740993"}}';
    const close = '{"id":78,"admin_graphql_api_id":"gid://shopify/Return/78","order_id":1002}';
    const done = [
      deliver('orders/updated', '9007199254740993', 'update'),
      deliver('returns/approve', '77', approve),
      deliver('returns/close', '78', close),
    ];
    await settle();
    expect(running.map((held) => held.name)).toEqual(['update', close]);
    running[0].release();
    await settle();
    expect(running.map((held) => held.name)).toContain(approve);
    running.forEach((held) => held.release());
    await Promise.all(done);
  });
});
