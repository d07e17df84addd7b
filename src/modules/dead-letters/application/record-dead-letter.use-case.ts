import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MessageHeader } from 'src/common/messaging/topology';
import type { DeadLetteredMessage } from 'src/modules/dead-letters/domain/dead-letter.types';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;
}

/** The broker's own dead-letter record (`x-death`), present when RabbitMQ dead-lettered it (delivery limit). */
function firstDeath(headers: Record<string, unknown>): { reason?: string; count?: number } {
  const deaths = headers['x-death'];
  if (Array.isArray(deaths) && deaths.length > 0) {
    const death = deaths[0] as Record<string, unknown>;
    return { reason: text(death.reason), count: typeof death.count === 'number' ? death.count : undefined };
  }
  return {};
}

/**
 * Persists a dead-lettered message in PostgreSQL, where operators list and retry it. Handles both our explicit
 * dead letters (reason, attempts and last error in headers) and the broker's (delivery limit reached).
 */
@Injectable()
export class RecordDeadLetter {
  constructor(private readonly repository: DeadLetterRepository) {}

  async execute(message: DeadLetteredMessage): Promise<void> {
    const { headers, body } = message;
    const death = firstDeath(headers);
    const topic = text(headers[MessageHeader.Topic]);
    await this.repository.insert({
      // A broker dead letter keeps the original message id; make it unique per death so none is folded away.
      messageId: text(headers[MessageHeader.DeadLetterReason])
        ? (message.messageId ?? randomUUID())
        : `${message.messageId ?? randomUUID()}:${death.reason ?? 'dead'}:${death.count ?? 0}:${text(headers[MessageHeader.Attempt]) ?? '0'}`,
      eventId: text(headers[MessageHeader.EventId]),
      webhookId: text(headers[MessageHeader.WebhookId]),
      entity: topic?.startsWith('orders/') ? 'order' : 'webhook',
      topic,
      shop: text(headers[MessageHeader.Shop]),
      shopifyId: text(headers[MessageHeader.ResourceId]),
      routingKey: text(headers[MessageHeader.OriginalRoutingKey]) ?? message.routingKey,
      headers,
      body,
      reason:
        text(headers[MessageHeader.DeadLetterReason]) ??
        (death.reason === 'delivery_limit' ? 'delivery limit reached (crash loop)' : (death.reason ?? 'unknown')),
      lastError: text(headers[MessageHeader.DeadLetterError]),
      attempts: Number(headers[MessageHeader.DeadLetterAttempts] ?? death.count ?? 0) || 0,
    });
  }
}
