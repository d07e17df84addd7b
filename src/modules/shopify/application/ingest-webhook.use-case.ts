import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { MessageHeader, WEBHOOK_EXCHANGE } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  WEBHOOK_EVENT_PUBLISHER,
  type WebhookEventPublisher,
} from 'src/modules/shopify/application/webhook-event-publisher.port';
import { IngestRejection, type IngestOutcome } from 'src/modules/shopify/domain/ingest-outcome';
import { verifyShopifyHmac } from 'src/modules/shopify/domain/verify-shopify-hmac';
import {
  ORDER_CHILD_TOPICS,
  ORDER_TOPICS,
  RETURN_TOPICS,
  isValidTopic,
  orderIdOf,
  resourceIdOf,
  routingKeyFor,
} from 'src/modules/shopify/domain/webhook-envelope';
import { IngestOutboxRepository, type OutboxMessage } from 'src/modules/shopify/persistence/ingest-outbox.repository';
import { ShopDirectory, type SecretValue } from 'src/modules/shops';

export interface IngestWebhookInput {
  rawBody: Buffer;
  /** Lower-cased header names (Node lower-cases them; HTTP/2 sends them lower-case anyway). */
  headers: Record<string, string | string[] | undefined>;
  receivedAt: number;
  /**
   * A warm-up request of this process (IngestWarmUp, before the port opens): the whole path runs, but the message is
   * published to a routing key no queue has (the broker drops it), nothing is audited and nothing goes to the outbox.
   */
  warmUp?: boolean;
}

/** Where a warm-up request's message goes: the default exchange drops a message no queue is named after. */
export const WARM_UP_DISCARD_ROUTING_KEY = 'erp-sync.warm-up.discarded';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A publish that has not confirmed within this budget is given up for the outbox (Shopify waits 5 s in all). */
const PUBLISH_BUDGET_MS = 2_000;

function header(headers: IngestWebhookInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a Shopify webhook and makes it durable: a confirmed publish to RabbitMQ or, when the broker is
 * unreachable, a row in the PostgreSQL outbox. Does no ERP work. Nothing unverified is ever queued.
 */
@Injectable()
export class IngestWebhook {
  private readonly logger = new Logger(IngestWebhook.name);

  constructor(
    private readonly shops: ShopDirectory,
    @Inject(WEBHOOK_EVENT_PUBLISHER) private readonly publisher: WebhookEventPublisher,
    private readonly outbox: IngestOutboxRepository,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
  ) {}

  async execute(input: IngestWebhookInput): Promise<IngestOutcome> {
    const { headers, rawBody } = input;
    const topicHeader = header(headers, 'x-shopify-topic') ?? '';
    const shop = (header(headers, 'x-shopify-shop-domain') ?? '').toLowerCase();
    if (shop.length === 0) {
      return {
        kind: 'rejected',
        reason: IngestRejection.Malformed,
        detail: 'missing X-Shopify-Shop-Domain',
        topic: topicHeader,
      };
    }
    // The shop's own secrets, from memory (ShopDirectory): no database read per webhook.
    const known = this.shops.get(shop);
    if (known === undefined) {
      return { kind: 'rejected', reason: IngestRejection.UnknownShop, detail: 'unknown shop', topic: topicHeader };
    }
    if (!verifyShopifyHmac(rawBody, header(headers, 'x-shopify-hmac-sha256'), known.webhookSecrets.map(revealed))) {
      return {
        kind: 'rejected',
        reason: IngestRejection.Unauthenticated,
        detail: 'invalid or missing HMAC',
        topic: topicHeader,
      };
    }
    if (!known.enabled) {
      return {
        kind: 'rejected',
        reason: IngestRejection.Unauthenticated,
        detail: 'shop is disabled',
        topic: topicHeader,
      };
    }
    if (!isValidTopic(topicHeader)) {
      return {
        kind: 'rejected',
        reason: IngestRejection.Malformed,
        detail: 'missing or malformed X-Shopify-Topic',
        topic: topicHeader,
      };
    }
    const topic = topicHeader;
    let payload: unknown;
    let bodyText: string;
    try {
      // fatal: invalid UTF-8 is refused instead of being silently replaced with U+FFFD.
      bodyText = UTF8.decode(rawBody);
      payload = JSON.parse(bodyText);
    } catch {
      return { kind: 'rejected', reason: IngestRejection.Malformed, detail: 'body is not valid UTF-8 JSON', topic };
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { kind: 'rejected', reason: IngestRejection.Malformed, detail: 'body is not a JSON object', topic };
    }
    const resourceId = resourceIdOf(payload as Record<string, unknown>);
    if (ORDER_TOPICS.has(topic) && resourceId === undefined) {
      return { kind: 'rejected', reason: IngestRejection.Malformed, detail: 'order payload has no id', topic };
    }
    const orderId = orderIdOf(topic, resourceId, bodyText);
    if (ORDER_CHILD_TOPICS.has(topic) && orderId === undefined) {
      return { kind: 'rejected', reason: IngestRejection.Malformed, detail: `${topic} payload has no order id`, topic };
    }

    // Shopify always sends both ids; if a proxy stripped them, the body hash still dedupes exact replays.
    const webhookId = header(headers, 'x-shopify-webhook-id') ?? `sha256:${rawBodyDigest(rawBody)}`;
    const eventId = header(headers, 'x-shopify-event-id') ?? webhookId;
    const message: OutboxMessage = {
      exchange: input.warmUp === true ? '' : WEBHOOK_EXCHANGE,
      routingKey: input.warmUp === true ? WARM_UP_DISCARD_ROUTING_KEY : routingKeyFor(topic, orderId),
      messageId: randomUUID(),
      headers: {
        [MessageHeader.Shop]: shop,
        [MessageHeader.Topic]: topic,
        [MessageHeader.WebhookId]: webhookId,
        [MessageHeader.EventId]: eventId,
        [MessageHeader.ApiVersion]: header(headers, 'x-shopify-api-version') ?? '',
        [MessageHeader.TriggeredAt]: header(headers, 'x-shopify-triggered-at') ?? '',
        [MessageHeader.ReceivedAt]: new Date(input.receivedAt).toISOString(),
        [MessageHeader.ResourceId]: resourceId ?? '',
        [MessageHeader.Attempt]: 0,
      },
      body: rawBody,
    };
    if (input.warmUp === true) {
      return (await this.publish(message))
        ? { kind: 'accepted', durability: 'queue', topic, eventId }
        : { kind: 'unavailable', topic };
    }
    const entity = ORDER_TOPICS.has(topic)
      ? 'order'
      : RETURN_TOPICS.has(topic)
        ? 'return'
        : ORDER_CHILD_TOPICS.has(topic)
          ? 'refund'
          : 'webhook';
    this.audit.record({ eventId, entity, topic, shop, shopifyId: resourceId, status: AuditStatus.Received });

    if (await this.publish(message)) {
      this.audit.record({ eventId, entity, topic, shop, shopifyId: resourceId, status: AuditStatus.Queued });
      return { kind: 'accepted', durability: 'queue', topic, eventId };
    }
    try {
      await this.outbox.insert(message);
    } catch (error: unknown) {
      this.logger.error({ eventId, topic, err: String(error) }, 'broker and outbox both unavailable');
      return { kind: 'unavailable', topic };
    }
    this.metrics.outboxPending.inc();
    this.audit.record({ eventId, entity, topic, shop, shopifyId: resourceId, status: AuditStatus.QueuedOutbox });
    return { kind: 'accepted', durability: 'outbox', topic, eventId };
  }

  /** True once RabbitMQ has confirmed the message; false (never throws) when it cannot within the budget. */
  private async publish(message: OutboxMessage): Promise<boolean> {
    if (!this.publisher.connected) {
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const sent = this.publisher.publish(message);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('publish confirm timed out')), PUBLISH_BUDGET_MS);
      });
      await Promise.race([sent, timeout]);
      return true;
    } catch (error: unknown) {
      // A late confirm after this point leaves a copy in both places; the consumer's inbox dedupes it.
      this.logger.warn({ err: String(error) }, 'confirmed publish failed, using the outbox');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

function revealed(secret: SecretValue): string {
  return secret.reveal();
}

function rawBodyDigest(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
