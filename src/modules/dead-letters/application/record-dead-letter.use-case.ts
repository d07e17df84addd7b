import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDataRejection } from 'src/common/errors/infrastructure-failure';
import { MessageHeader } from 'src/common/messaging/topology';
import { escapeUnstorableJson, escapeUnstorableText, toStorableInteger } from 'src/common/persistence/postgres-text';
import type { DeadLetterRecord, DeadLetteredMessage } from 'src/modules/dead-letters/domain/dead-letter.types';
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

/** `record` with every text PostgreSQL cannot hold (NUL, lone surrogates) escaped; the body (bytea) as it is. */
function escaped(record: DeadLetterRecord): DeadLetterRecord {
  const optional = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : escapeUnstorableText(value);
  return {
    ...record,
    messageId: escapeUnstorableText(record.messageId),
    eventId: optional(record.eventId),
    webhookId: optional(record.webhookId),
    entity: escapeUnstorableText(record.entity),
    topic: optional(record.topic),
    shop: optional(record.shop),
    shopifyId: optional(record.shopifyId),
    routingKey: escapeUnstorableText(record.routingKey),
    headers: escapeUnstorableJson(record.headers) as Record<string, unknown>,
    reason: escapeUnstorableText(record.reason),
    lastError: optional(record.lastError),
    errorClass: optional(record.errorClass),
  };
}

/**
 * Persists a dead-lettered message in PostgreSQL, where operators list and retry it. Handles both our explicit
 * dead letters (reason, attempts and last error in headers) and the broker's (delivery limit reached).
 *
 * Idempotent on the message id: our dead letters keep the id of the message they stand for, so a dead letter
 * published twice (a worker that crashed between the publish and its ack, then ran the message again) is one row.
 * A row PostgreSQL refuses for its text (an ERP error message with a NUL byte) is stored with that text escaped.
 */
@Injectable()
export class RecordDeadLetter {
  private readonly logger = new Logger(RecordDeadLetter.name);

  constructor(private readonly repository: DeadLetterRepository) {}

  async execute(message: DeadLetteredMessage): Promise<void> {
    const record = toRecord(message);
    try {
      await this.repository.insert(record);
    } catch (error: unknown) {
      if (!isDataRejection(error)) {
        throw error;
      }
      this.logger.warn(
        { messageId: record.messageId, err: error instanceof Error ? error.message : String(error) },
        'PostgreSQL refused a dead letter as it came: storing it with its text escaped',
      );
      await this.repository.insert(escaped(record));
    }
  }
}

function toRecord(message: DeadLetteredMessage): DeadLetterRecord {
  const { headers, body } = message;
  const death = firstDeath(headers);
  const topic = text(headers[MessageHeader.Topic]);
  return {
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
    errorClass:
      text(headers[MessageHeader.DeadLetterErrorClass]) ??
      (death.reason === 'delivery_limit' ? 'DELIVERY_LIMIT' : death.reason?.toUpperCase()),
    attempts: toStorableInteger(Number(headers[MessageHeader.DeadLetterAttempts] ?? death.count ?? 0) || 0, 0),
  };
}
