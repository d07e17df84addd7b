import type { OutboxMessage } from 'src/modules/shopify/persistence/ingest-outbox.repository';

/** Nest token of the `WebhookEventPublisher` that ingest and the outbox relay publish through. */
export const WEBHOOK_EVENT_PUBLISHER = Symbol('WEBHOOK_EVENT_PUBLISHER');

/**
 * @description The message broker as webhook ingest sees it: confirmed publishes of verified webhooks. The use
 * cases decide what to do when it is down (the PostgreSQL outbox); the adapter owns the broker client.
 */
export interface WebhookEventPublisher {
  /**
   * False while the broker is unreachable or blocks publishing (a memory or disk alarm): a publish would only wait, so
   * ingest uses the outbox and the relay pauses.
   */
  readonly connected: boolean;
  /**
   * Resolves once the broker confirmed the message, rejects if it refused it. May hold the message a few
   * milliseconds so that it goes with others (ingest's hot path, `WEBHOOK_PUBLISH_LINGER_MS`).
   */
  publish(message: OutboxMessage): Promise<void>;
  /** The same, written at once (the outbox relay, whose batches are large already). */
  publishNow(message: OutboxMessage): Promise<void>;
}
