import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AsyncMessage, Connection, Consumer } from 'rabbitmq-client';
import { RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { CATALOG_EVENTS_QUEUE, catalogQueueArguments } from 'src/common/messaging/topology';
import { ErpMessageRunner, type MessageContext } from 'src/modules/erp';
import { HandleInventoryLevelUpdate, type InventoryLevelUpdate } from 'src/modules/inventory';
import { HandleProductUpdate } from 'src/modules/products/application/handle-product-update.use-case';
import {
  CatalogEventError,
  CatalogEventErrorCode,
  decodeCatalogEvent,
} from 'src/modules/products/domain/catalog-event.error';

/**
 * Consumer of Shopify's catalog webhooks (worker role): `products/update` and `inventory_levels/update`, routed by
 * topic to their echo / drift checks. Transport only; failures go through the shared runner (retry, dead-letter).
 */
@Injectable()
export class CatalogEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CatalogEventsConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    private readonly runner: ErpMessageRunner,
    private readonly products: HandleProductUpdate,
    private readonly inventory: HandleInventoryLevelUpdate,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer = this.connection.createConsumer(
      {
        queue: CATALOG_EVENTS_QUEUE,
        queueOptions: { queue: CATALOG_EVENTS_QUEUE, durable: true, arguments: catalogQueueArguments },
        concurrency: 4,
        qos: { prefetchCount: 8 },
        requeue: true,
      },
      (message: AsyncMessage) => this.runner.run(message, 'webhook', (context) => this.route(context, message)),
    );
    this.consumer.on('error', (error: unknown) => this.logger.warn({ err: String(error) }, 'consumer error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.close();
  }

  private async route(context: MessageContext, message: AsyncMessage): Promise<void> {
    const body = decodeCatalogEvent(Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body)));
    switch (context.topic) {
      case 'products/update':
        await this.products.execute(body, context.eventId);
        return;
      case 'inventory_levels/update':
        await this.inventory.execute(body as unknown as InventoryLevelUpdate, context.eventId);
        return;
      default:
        throw new CatalogEventError(CatalogEventErrorCode.UnknownTopic, `no catalog handler for ${context.topic}`);
    }
  }
}
