/**
 * The RabbitMQ topology, declared once at start-up by `declareTopology` and never deleted or re-declared with other
 * arguments at runtime (a quorum queue declared and killed within a second can come back leaderless on 3.10; see
 * docs/reliability.md). Consumers declare their queue *passively* so they never race it.
 */
import type { Channel, Connection } from 'rabbitmq-client';

/** Ingest publishes every verified webhook here, routed by entity and partition. */
export const WEBHOOK_EXCHANGE = 'shopify.webhooks';
/** Webhooks no consumer handles yet wait here (alternate exchange), durable, instead of being dropped. */
export const UNROUTED_EXCHANGE = 'shopify.webhooks.unrouted';
export const UNROUTED_QUEUE = 'shopify.webhooks.unrouted';
/** Delayed retries: TTL queues that dead-letter back to WEBHOOK_EXCHANGE with the original routing key. */
export const RETRY_EXCHANGE = 'erp.retry';
/** Dead letters: explicit (permanent errors) and the broker's own (delivery limit reached). */
export const DEAD_LETTER_EXCHANGE = 'erp.dlx';
export const DEAD_LETTER_QUEUE = 'erp.dead-letters';
/**
 * Dead letters the recorder could not store in PostgreSQL after its delivery limit (a row PostgreSQL refuses even
 * escaped): parked here with the reason (`x-parked-reason`), published through the default exchange, so that the
 * dead-letter queue keeps moving. An operator reads them with the management UI or a shovel.
 */
export const DEAD_LETTER_PARKING_QUEUE = 'erp.dead-letters.parked';

/**
 * Orders are spread over partitions by order id; each partition has a single active consumer, so the events of
 * one order are applied in order. Changing this number re-routes orders: drain the queues first.
 */
export const ORDER_PARTITIONS = 16;
export const orderQueueName = (partition: number): string => `orders.p${String(partition).padStart(2, '0')}`;
export const ORDER_QUEUES: readonly string[] = Array.from({ length: ORDER_PARTITIONS }, (_, i) => orderQueueName(i));
/**
 * Orders a partition's consumer writes at once (messages of one order still one at a time, in delivery order). The
 * orders in flight are what the ERP connectors batch their customer look-ups across: with one per partition a
 * look-up is shared by 4–5 orders, with four by about 20 (docs/orders.md). Operations waiting for an ERP request
 * permit when the ERP's circuit opens send nothing more (ErpWriteGate), so more orders in flight never means more
 * requests to a down ERP.
 */
export const ORDERS_IN_FLIGHT_PER_PARTITION = 4;
/** Unacknowledged messages per partition: the orders in flight and one more ready to start. */
export const ORDER_PREFETCH = ORDERS_IN_FLIGHT_PER_PARTITION + 1;

/** Backstop against crash loops only; ordinary retries are counted by the x-attempt header, not redeliveries. */
export const DELIVERY_LIMIT = 20;

/** Retry tiers (ms). Each has three variants at 0.8x, 1x and 1.2x so that retries are jittered. */
export const RETRY_TIERS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000];
export const RETRY_JITTER_FACTORS: readonly number[] = [0.8, 1, 1.2];
export const retryQueueName = (delayMs: number): string => `erp.retry.${delayMs}ms`;
export const RETRY_DELAYS_MS: readonly number[] = RETRY_TIERS_MS.flatMap((tier) =>
  RETRY_JITTER_FACTORS.map((f) => Math.round(tier * f)),
);
export const RETRY_QUEUES: readonly string[] = RETRY_DELAYS_MS.map(retryQueueName);

/**
 * Shopify catalog webhooks (`products/update`): checked by the products module for echoes of our own writes and for
 * drift of ERP-owned fields; never written to the ERP. Ingest routes non-order topics by topic name.
 */
export const CATALOG_EVENTS_QUEUE = 'shopify.catalog-events';
export const CATALOG_EVENT_TOPICS: readonly string[] = ['products/update'];

/** Shopify inventory webhooks (`inventory_levels/update`): the inventory module's echo / drift check. */
export const INVENTORY_EVENTS_QUEUE = 'shopify.inventory-events';
export const INVENTORY_EVENT_TOPICS: readonly string[] = ['inventory_levels/update'];

/** Which queue takes each topic-routed (non-order) webhook topic: a consumer forwards what belongs elsewhere. */
export function queueOfTopic(topic: string): string | undefined {
  if (CATALOG_EVENT_TOPICS.includes(topic)) {
    return CATALOG_EVENTS_QUEUE;
  }
  return INVENTORY_EVENT_TOPICS.includes(topic) ? INVENTORY_EVENTS_QUEUE : undefined;
}

/**
 * Bindings of earlier versions, removed whenever the topology is declared, so that a deployment upgraded in place
 * routes each topic to one queue. Until the inventory module had a queue of its own, the catalog queue also took
 * `inventory_levels/update`. Unbinding a binding that does not exist is a no-op.
 */
export const RETIRED_BINDINGS: ReadonlyArray<{ queue: string; routingKey: string }> = [
  { queue: CATALOG_EVENTS_QUEUE, routingKey: 'inventory_levels/update' },
];

export const ALL_QUEUE_NAMES: readonly string[] = [
  ...ORDER_QUEUES,
  ...RETRY_QUEUES,
  UNROUTED_QUEUE,
  DEAD_LETTER_QUEUE,
  DEAD_LETTER_PARKING_QUEUE,
  CATALOG_EVENTS_QUEUE,
  INVENTORY_EVENTS_QUEUE,
];

/** AMQP headers the pipeline sets on every message. */
export const MessageHeader = {
  Shop: 'x-shop',
  Topic: 'x-topic',
  WebhookId: 'x-webhook-id',
  EventId: 'x-event-id',
  ApiVersion: 'x-api-version',
  TriggeredAt: 'x-triggered-at',
  ReceivedAt: 'x-received-at',
  ResourceId: 'x-resource-id',
  /** How many times processing failed transiently and was retried. */
  Attempt: 'x-attempt',
  // Not x-prefixed: a headers exchange ignores x- headers when matching bindings.
  RetryDelay: 'retry-delay-ms',
  DeadLetterReason: 'x-dead-letter-reason',
  DeadLetterError: 'x-last-error',
  DeadLetterAttempts: 'x-attempts',
  /** The class of the error that dead-lettered a message: its AppError code, or `UNEXPECTED`. */
  DeadLetterErrorClass: 'x-dead-letter-error-class',
  OriginalRoutingKey: 'x-original-routing-key',
  /** How many times processing failed with an unexpected error (a bug, not an AppError nor an outage). */
  UnexpectedAttempts: 'x-unexpected-attempts',
  /** Why the dead-letter recorder parked a dead letter instead of storing it. */
  ParkedReason: 'x-parked-reason',
  /** Set by RabbitMQ on a quorum queue's redelivery: how many times the message was delivered before. */
  DeliveryCount: 'x-delivery-count',
  ReplayOf: 'x-replay-of',
  /** `force` on an operator's forced order re-sync: the writer applies the version it already holds once more. */
  ReplayMode: 'x-replay-mode',
  /** The queue a consumer forwarded the message from, because its topic belongs to another queue. */
  ForwardedFrom: 'x-forwarded-from',
} as const;

const quorum = {
  'x-queue-type': 'quorum',
  'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
  'x-dead-letter-strategy': 'at-least-once',
  // at-least-once dead-lettering requires reject-publish overflow.
  'x-overflow': 'reject-publish',
  'x-delivery-limit': DELIVERY_LIMIT,
} as const;

export const orderQueueArguments = { ...quorum, 'x-single-active-consumer': true } as const;
export const catalogQueueArguments = { ...quorum } as const;
export const inventoryQueueArguments = { ...quorum } as const;

/**
 * Declares every exchange, queue and binding. Idempotent with identical arguments. Uses a channel of its own: a
 * failing passive declare elsewhere (a health check before the queues exist) closes the connection's shared channel,
 * and must not abort this.
 */
export async function declareTopology(connection: Connection): Promise<void> {
  const channel = await connection.acquire();
  try {
    await declareOn(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Passive declares on a channel of their own; resolves with each queue's ready-message count, rejects if one is missing. */
export async function queueDepths(connection: Connection, queues: readonly string[]): Promise<Map<string, number>> {
  const channel = await connection.acquire();
  try {
    const depths = new Map<string, number>();
    for (const queue of queues) {
      const ok = await channel.queueDeclare({ queue, passive: true });
      depths.set(queue, ok.messageCount);
    }
    return depths;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function declareOn(connection: Channel): Promise<void> {
  await connection.exchangeDeclare({ exchange: UNROUTED_EXCHANGE, type: 'fanout', durable: true });
  await connection.exchangeDeclare({
    exchange: WEBHOOK_EXCHANGE,
    type: 'direct',
    durable: true,
    arguments: { 'alternate-exchange': UNROUTED_EXCHANGE },
  });
  await connection.exchangeDeclare({ exchange: RETRY_EXCHANGE, type: 'headers', durable: true });
  await connection.exchangeDeclare({ exchange: DEAD_LETTER_EXCHANGE, type: 'fanout', durable: true });

  await connection.queueDeclare({
    queue: DEAD_LETTER_QUEUE,
    durable: true,
    arguments: { 'x-queue-type': 'quorum' as const },
  });
  await connection.queueBind({ queue: DEAD_LETTER_QUEUE, exchange: DEAD_LETTER_EXCHANGE });
  await connection.queueDeclare({
    queue: DEAD_LETTER_PARKING_QUEUE,
    durable: true,
    arguments: { 'x-queue-type': 'quorum' as const },
  });
  await connection.queueDeclare({
    queue: UNROUTED_QUEUE,
    durable: true,
    arguments: { 'x-queue-type': 'quorum' as const },
  });
  await connection.queueBind({ queue: UNROUTED_QUEUE, exchange: UNROUTED_EXCHANGE });

  for (const queue of ORDER_QUEUES) {
    await connection.queueDeclare({ queue, durable: true, arguments: orderQueueArguments });
    await connection.queueBind({ queue, exchange: WEBHOOK_EXCHANGE, routingKey: queue });
  }
  await connection.queueDeclare({ queue: CATALOG_EVENTS_QUEUE, durable: true, arguments: catalogQueueArguments });
  for (const topic of CATALOG_EVENT_TOPICS) {
    await connection.queueBind({ queue: CATALOG_EVENTS_QUEUE, exchange: WEBHOOK_EXCHANGE, routingKey: topic });
  }
  await connection.queueDeclare({ queue: INVENTORY_EVENTS_QUEUE, durable: true, arguments: inventoryQueueArguments });
  for (const topic of INVENTORY_EVENT_TOPICS) {
    await connection.queueBind({ queue: INVENTORY_EVENTS_QUEUE, exchange: WEBHOOK_EXCHANGE, routingKey: topic });
  }
  // Only once the new bindings exist: in between, a topic would reach no queue (the unrouted one) instead of two.
  for (const retired of RETIRED_BINDINGS) {
    await connection.queueUnbind({ queue: retired.queue, exchange: WEBHOOK_EXCHANGE, routingKey: retired.routingKey });
  }
  for (const delayMs of RETRY_DELAYS_MS) {
    const queue = retryQueueName(delayMs);
    await connection.queueDeclare({
      queue,
      durable: true,
      arguments: {
        'x-queue-type': 'quorum' as const,
        'x-message-ttl': delayMs,
        // Expired messages go back to the work exchange with their original routing key (the partition).
        'x-dead-letter-exchange': WEBHOOK_EXCHANGE,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish' as const,
      },
    });
    await connection.queueBind({
      queue,
      exchange: RETRY_EXCHANGE,
      arguments: { 'x-match': 'all', [MessageHeader.RetryDelay]: String(delayMs) },
    });
  }
}
