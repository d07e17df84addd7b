import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Publisher } from 'rabbitmq-client';
import { orderRoutingKey } from 'src/common/messaging/partition';
import { RABBIT_PUBLISHER } from 'src/common/messaging/rabbitmq.module';
import { MessageHeader, WEBHOOK_EXCHANGE } from 'src/common/messaging/topology';

/**
 * @description An order-pipeline event the middleware makes itself: the reconciliation's, in place of a webhook that
 * never came, and an operator's replay or re-sync.
 */
export interface SyntheticOrderEvent {
  shop: string;
  topic: 'orders/create' | 'orders/updated' | 'refunds/create';
  /** The order the event belongs to: it picks the partition, as ingest does. */
  orderId: string;
  /** The resource itself: the order, or the refund. */
  resourceId: string;
  /** Deterministic (`reconcile:order:<id>:<updated_at ms>`, `replay:order:…`), used as webhook id and event id. */
  eventId: string;
  apiVersion: string;
  body: Buffer;
  /** An operator's forced re-sync: the writer applies it even at the version it already holds. */
  force?: boolean;
}

export const ORDER_EVENT_PUBLISHER = Symbol('ORDER_EVENT_PUBLISHER');

/** @description Where synthetic order events go: the same exchange and partition routing as webhook ingest. */
export interface OrderEventPublisher {
  /** Resolves once RabbitMQ confirmed the message; rejects otherwise. */
  publish(event: SyntheticOrderEvent): Promise<void>;
}

/** Publishes with the same headers ingest sets, so the order consumer cannot tell the two apart. */
@Injectable()
export class RabbitOrderEventPublisher implements OrderEventPublisher {
  constructor(@Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher) {}

  async publish(event: SyntheticOrderEvent): Promise<void> {
    const now = new Date().toISOString();
    await this.publisher.send(
      {
        exchange: WEBHOOK_EXCHANGE,
        routingKey: orderRoutingKey(event.orderId),
        messageId: randomUUID(),
        durable: true,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        headers: {
          [MessageHeader.Shop]: event.shop,
          [MessageHeader.Topic]: event.topic,
          [MessageHeader.WebhookId]: event.eventId,
          [MessageHeader.EventId]: event.eventId,
          [MessageHeader.ApiVersion]: event.apiVersion,
          [MessageHeader.TriggeredAt]: now,
          [MessageHeader.ReceivedAt]: now,
          [MessageHeader.ResourceId]: event.resourceId,
          [MessageHeader.Attempt]: 0,
          ...(event.force === true ? { [MessageHeader.ReplayMode]: 'force' } : {}),
        },
      },
      event.body,
    );
  }
}
