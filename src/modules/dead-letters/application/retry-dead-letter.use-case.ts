import { Inject, Injectable } from '@nestjs/common';
import { MessageHeader } from 'src/common/messaging/topology';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  DEAD_LETTER_PUBLISHER,
  type DeadLetterPublisher,
} from 'src/modules/dead-letters/application/dead-letter-publisher.port';
import type { DeadLetterRow } from 'src/modules/dead-letters/domain/dead-letter.types';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

export type RetryDeadLetterResult =
  | { outcome: 'retried'; deadLetter: DeadLetterRow }
  | { outcome: 'not_found' }
  | { outcome: 'already_retried'; deadLetter: DeadLetterRow };

const STRIPPED = new Set<string>([
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  MessageHeader.DeadLetterReason,
  MessageHeader.DeadLetterError,
  MessageHeader.DeadLetterAttempts,
  MessageHeader.OriginalRoutingKey,
  MessageHeader.RetryDelay,
  MessageHeader.UnexpectedAttempts,
  MessageHeader.DeliveryCount,
]);

/**
 * Sends a dead letter back through the pipeline (after the operator fixed its cause, e.g. a SKU mapping) with a
 * fresh attempt count. The event id is kept, so the audit trail joins up and processing stays idempotent.
 */
@Injectable()
export class RetryDeadLetter {
  constructor(
    private readonly repository: DeadLetterRepository,
    @Inject(DEAD_LETTER_PUBLISHER) private readonly publisher: DeadLetterPublisher,
    private readonly audit: AuditWriter,
  ) {}

  /** `shops`: the shops the operator may act on (undefined: every shop); another shop's dead letter is not found. */
  async execute(id: string, shops?: readonly string[]): Promise<RetryDeadLetterResult> {
    const deadLetter = await this.repository.findById(id);
    if (deadLetter === null || (shops !== undefined && !shops.includes(deadLetter.shop ?? ''))) {
      return { outcome: 'not_found' };
    }
    if (!(await this.repository.markRetried(id))) {
      return { outcome: 'already_retried', deadLetter };
    }
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(deadLetter.headers)) {
      if (!STRIPPED.has(name)) {
        headers[name] = value;
      }
    }
    headers[MessageHeader.Attempt] = 0;
    headers[MessageHeader.ReplayOf] = deadLetter.id;
    try {
      await this.publisher.republish({ routingKey: deadLetter.routingKey, headers, body: deadLetter.body });
    } catch (error: unknown) {
      await this.repository.markDead(id);
      throw error;
    }
    this.audit.record({
      eventId: deadLetter.eventId ?? deadLetter.messageId,
      entity: deadLetter.entity === 'order' ? 'order' : 'webhook',
      topic: deadLetter.topic,
      shop: deadLetter.shop ?? '',
      shopifyId: deadLetter.shopifyId,
      status: AuditStatus.Replayed,
      reason: `dead letter ${deadLetter.id} retried by an operator`,
    });
    return { outcome: 'retried', deadLetter: { ...deadLetter, status: 'retried', retriedAt: new Date() } };
  }
}
