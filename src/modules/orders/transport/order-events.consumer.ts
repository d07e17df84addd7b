import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AsyncMessage, Connection, Consumer } from 'rabbitmq-client';
import { RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { MessageHeader, ORDER_QUEUES, orderQueueArguments } from 'src/common/messaging/topology';
import { ErpMessageRunner } from 'src/modules/erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';

/**
 * One consumer per order partition. Each partition queue has a single active consumer across all worker
 * processes and handles one message at a time, so the events of one order (and its refunds) are applied in order.
 */
@Injectable()
export class OrderEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderEventsConsumer.name);
  private consumers: Consumer[] = [];

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    private readonly runner: ErpMessageRunner,
    private readonly syncOrder: SyncOrderToErp,
    private readonly syncRefund: SyncRefundToErp,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers = ORDER_QUEUES.map((queue) => {
      const consumer = this.connection.createConsumer(
        {
          queue,
          // Same arguments as the topology declares, so a (re)declare on reconnect can never conflict.
          queueOptions: { queue, durable: true, arguments: orderQueueArguments },
          concurrency: 1,
          qos: { prefetchCount: 2 },
          requeue: true,
        },
        (message: AsyncMessage) =>
          this.runner.run(message, entityOf(message), (context) => this.handle(context, message)),
      );
      consumer.on('error', (error: unknown) => this.logger.warn({ queue, err: String(error) }, 'consumer error'));
      return consumer;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.close()));
  }

  private async handle(context: Parameters<SyncOrderToErp['execute']>[0], message: AsyncMessage): Promise<void> {
    const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body));
    if (context.topic === REFUND_TOPIC) {
      await this.syncRefund.execute(context, body);
    } else {
      await this.syncOrder.execute(context, body);
    }
  }
}

const REFUND_TOPIC = 'refunds/create';

/** Refunds share their order's partition (so they follow its events) but are audited as refunds. */
function entityOf(message: AsyncMessage): 'order' | 'refund' {
  return message.headers?.[MessageHeader.Topic] === REFUND_TOPIC ? 'refund' : 'order';
}
