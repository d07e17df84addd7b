import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AsyncMessage, Connection, Consumer, Publisher } from 'rabbitmq-client';
import { RABBIT_CONNECTION, RABBIT_CONSUMER_CONNECTION, RABBIT_PUBLISHER } from 'src/common/messaging/rabbitmq.module';
import {
  CATALOG_EVENTS_QUEUE,
  MessageHeader,
  WEBHOOK_EXCHANGE,
  catalogQueueArguments,
  declareTopology,
  queueOfTopic,
} from 'src/common/messaging/topology';
import { ErpMessageRunner, type MessageContext } from 'src/modules/erp';
import { HandleProductUpdate } from 'src/modules/products/application/handle-product-update.use-case';
import {
  CatalogEventError,
  CatalogEventErrorCode,
  decodeCatalogEvent,
} from 'src/modules/products/domain/catalog-event.error';

/**
 * Consumer of Shopify's catalog webhooks (worker role): `products/update`, to its echo / drift check. A message of a
 * topic that has a queue of its own (`inventory_levels/update`, since the inventory module consumes it) is sent on
 * to that queue. Transport only; failures go through the shared runner (retry, dead-letter).
 */
@Injectable()
export class CatalogEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CatalogEventsConsumer.name);
  private consumer?: Consumer;
  private topologyDeclared?: Promise<void>;

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    @Inject(RABBIT_CONNECTION) private readonly publishConnection: Connection,
    @Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher,
    private readonly runner: ErpMessageRunner,
    private readonly products: HandleProductUpdate,
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
    if (context.topic === 'products/update') {
      const body = decodeCatalogEvent(Buffer.isBuffer(message.body) ? message.body : Buffer.from(String(message.body)));
      await this.products.execute(body, context.eventId, context.shop || undefined);
      return;
    }
    const home = queueOfTopic(context.topic);
    if (home !== undefined && home !== CATALOG_EVENTS_QUEUE) {
      await this.forward(message, context.topic, home);
      return;
    }
    throw new CatalogEventError(CatalogEventErrorCode.UnknownTopic, `no catalog handler for ${context.topic}`);
  }

  /**
   * Sends on a message whose topic has a queue of its own: one that waited here since before that queue existed,
   * or one that an earlier version's binding (put back by an old process during a rolling deploy) still routes here.
   * The topology is declared first, so the topic's own queue is bound when the copy is published; a copy that comes
   * back here through the old binding is then a duplicate of the one its queue received, and is dropped. (A webhook
   * that the old binding delivered to both queues is checked twice: the check only audits, so that is harmless.)
   */
  private async forward(message: AsyncMessage, topic: string, home: string): Promise<void> {
    const headers = (message.headers ?? {}) as Record<string, unknown>;
    if (headers[MessageHeader.ForwardedFrom] === CATALOG_EVENTS_QUEUE) {
      this.logger.debug({ messageId: message.messageId, home }, 'forwarded copy came back; its queue has one');
      return;
    }
    this.topologyDeclared ??= declareTopology(this.publishConnection).catch((error: unknown) => {
      this.topologyDeclared = undefined;
      throw error;
    });
    await this.topologyDeclared;
    const {
      'x-death': _death,
      'x-first-death-exchange': _e,
      'x-first-death-queue': _q,
      'x-first-death-reason': _r,
      ...kept
    } = headers;
    await this.publisher.send(
      {
        exchange: WEBHOOK_EXCHANGE,
        // Topic-routed queues are bound by topic name (as ingest routes them), whatever brought the message here.
        routingKey: topic,
        messageId: message.messageId,
        durable: true,
        contentType: message.contentType ?? 'application/json',
        contentEncoding: message.contentEncoding ?? 'utf-8',
        headers: { ...kept, [MessageHeader.ForwardedFrom]: CATALOG_EVENTS_QUEUE },
      },
      message.body as Buffer,
    );
    this.logger.log({ messageId: message.messageId, topic, home }, 'forwarded to its own queue');
  }
}
