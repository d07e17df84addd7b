import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AsyncMessage, Connection, Consumer } from 'rabbitmq-client';
import { RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { INVENTORY_EVENTS_QUEUE, INVENTORY_EVENT_TOPICS, inventoryQueueArguments } from 'src/common/messaging/topology';
import { ErpMessageRunner, type MessageContext } from 'src/modules/erp';
import { HandleInventoryLevelUpdate } from 'src/modules/inventory/application/handle-inventory-level-update.use-case';
import { decodeInventoryLevelUpdate } from 'src/modules/inventory/domain/decode-inventory-level-update';
import { InventoryEventError, InventoryEventErrorCode } from 'src/modules/inventory/domain/inventory-event.errors';

/**
 * Consumer of Shopify's inventory webhooks (worker role): `inventory_levels/update`, decoded, to the echo / drift
 * check. Transport only; failures go through the shared runner (a payload that does not decode is dead-lettered
 * with the reason).
 */
@Injectable()
export class InventoryEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InventoryEventsConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    private readonly runner: ErpMessageRunner,
    private readonly levelUpdates: HandleInventoryLevelUpdate,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer = this.connection.createConsumer(
      {
        queue: INVENTORY_EVENTS_QUEUE,
        // Same arguments as the topology declares, so a (re)declare on reconnect can never conflict.
        queueOptions: { queue: INVENTORY_EVENTS_QUEUE, durable: true, arguments: inventoryQueueArguments },
        concurrency: 4,
        qos: { prefetchCount: 8 },
        requeue: true,
      },
      (message: AsyncMessage) => this.runner.run(message, 'webhook', (context) => this.handle(context, message)),
    );
    this.consumer.on('error', (error: unknown) => this.logger.warn({ err: String(error) }, 'consumer error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.close();
  }

  private async handle(context: MessageContext, message: AsyncMessage): Promise<void> {
    if (!INVENTORY_EVENT_TOPICS.includes(context.topic)) {
      throw new InventoryEventError(InventoryEventErrorCode.UnknownTopic, `no inventory handler for ${context.topic}`);
    }
    const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body));
    await this.levelUpdates.execute(decodeInventoryLevelUpdate(body), context.eventId, context.shop || undefined);
  }
}
