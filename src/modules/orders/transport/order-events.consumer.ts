import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AsyncMessage, Connection, Consumer } from 'rabbitmq-client';
import { exactIntegerField } from 'src/common/json/exact-integer-field';
import { KeyedSerialQueue } from 'src/common/messaging/keyed-serial-queue';
import { RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import {
  MessageHeader,
  ORDER_PREFETCH,
  ORDER_QUEUES,
  orderQueueArguments,
  ORDERS_IN_FLIGHT_PER_PARTITION,
} from 'src/common/messaging/topology';
import { ErpMessageRunner, type MessageContext } from 'src/modules/erp';
import { flowOfOrderTopic, FlowPauses } from 'src/modules/flows';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';
import { SyncReturnToErp } from 'src/modules/orders/application/sync-return-to-erp.use-case';
import { decodeReturnWebhook } from 'src/modules/orders/domain/decode-return-webhook';

/**
 * One consumer per order partition. Each partition queue has a single active consumer across all worker processes,
 * which writes up to ORDERS_IN_FLIGHT_PER_PARTITION orders at once but the messages of one order (its events,
 * refunds and returns) one at a time, in delivery order: so they are applied in order, while the ERP connectors batch the
 * customer look-ups of the many orders in flight.
 */
@Injectable()
export class OrderEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderEventsConsumer.name);
  private consumers: Consumer[] = [];
  private readonly perOrder = new KeyedSerialQueue();

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    private readonly runner: ErpMessageRunner,
    private readonly syncOrder: SyncOrderToErp,
    private readonly syncRefund: SyncRefundToErp,
    private readonly syncReturn: SyncReturnToErp,
    // Optional only for specs that build the consumer by hand: the orders module always provides it.
    @Optional() private readonly flows?: FlowPauses,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers = ORDER_QUEUES.map((queue) => {
      const consumer = this.connection.createConsumer(
        {
          queue,
          // Same arguments as the topology declares, so a (re)declare on reconnect can never conflict.
          queueOptions: { queue, durable: true, arguments: orderQueueArguments },
          concurrency: ORDERS_IN_FLIGHT_PER_PARTITION,
          qos: { prefetchCount: ORDER_PREFETCH },
          requeue: true,
        },
        (message: AsyncMessage) =>
          this.perOrder.run(orderKeyOf(message), () =>
            this.runner.run(
              message,
              entityOf(message),
              (context) => this.handle(context, message),
              (context) => this.paused(context),
            ),
          ),
      );
      consumer.on('error', (error: unknown) => this.logger.warn({ queue, err: String(error) }, 'consumer error'));
      return consumer;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.close()));
  }

  /** An operator paused this shop's orders (or refunds): the message is kept for later, untouched. */
  private async paused(context: MessageContext): Promise<boolean> {
    return (await this.flows?.isPaused(context.shop, flowOfOrderTopic(context.topic))) === true;
  }

  private async handle(context: Parameters<SyncOrderToErp['execute']>[0], message: AsyncMessage): Promise<void> {
    const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body));
    if (context.topic === REFUND_TOPIC) {
      await this.syncRefund.execute(context, body);
    } else if (isReturnTopic(context.topic)) {
      await this.syncReturn.execute(context, body);
    } else {
      await this.syncOrder.execute(context, body);
    }
  }
}

const REFUND_TOPIC = 'refunds/create';

function isReturnTopic(topic: unknown): boolean {
  return typeof topic === 'string' && topic.startsWith('returns/');
}

/**
 * The order a message belongs to, within its shop: the resource for an order event, the body's `order_id` for a
 * refund (read exactly from the text). Messages with the same key are handled one at a time, in delivery order.
 */
function orderKeyOf(message: AsyncMessage): string {
  const shop = headerText(message, MessageHeader.Shop);
  if (isReturnTopic(message.headers?.[MessageHeader.Topic])) {
    const body = Buffer.isBuffer(message.body) ? message.body.toString('utf8') : String(message.body);
    try {
      return `${shop}/${decodeReturnWebhook(body).orderId}`;
    } catch {
      // An unreadable body fails in its handler (dead-lettered with the reason); it needs no particular order.
      return `${shop}/`;
    }
  }
  if (message.headers?.[MessageHeader.Topic] === REFUND_TOPIC) {
    const body = Buffer.isBuffer(message.body) ? message.body.toString('utf8') : String(message.body);
    return `${shop}/${exactIntegerField(body, 'order_id') ?? ''}`;
  }
  return `${shop}/${headerText(message, MessageHeader.ResourceId)}`;
}

function headerText(message: AsyncMessage, name: string): string {
  const value: unknown = message.headers?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Refunds and returns share their order's partition (so they follow its events) but are audited as themselves. */
function entityOf(message: AsyncMessage): 'order' | 'refund' | 'return' {
  const topic: unknown = message.headers?.[MessageHeader.Topic];
  return topic === REFUND_TOPIC ? 'refund' : isReturnTopic(topic) ? 'return' : 'order';
}
