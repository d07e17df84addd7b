import { Inject, Injectable } from '@nestjs/common';
import { MessageHeader } from 'src/common/messaging/topology';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  DEAD_LETTER_PUBLISHER,
  type DeadLetterPublisher,
} from 'src/modules/dead-letters/application/dead-letter-publisher.port';
import type { PayloadChange } from 'src/modules/dead-letters/domain/dead-letter-action';
import type { DeadLetterRow } from 'src/modules/dead-letters/domain/dead-letter.types';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

/** Headers of a dying message that must not travel with its replay (the replay starts afresh). */
const STRIPPED = new Set<string>([
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  MessageHeader.DeadLetterReason,
  MessageHeader.DeadLetterError,
  MessageHeader.DeadLetterAttempts,
  MessageHeader.DeadLetterErrorClass,
  MessageHeader.OriginalRoutingKey,
  MessageHeader.RetryDelay,
  MessageHeader.UnexpectedAttempts,
  MessageHeader.DeliveryCount,
]);

/** At most this many changed paths are named in the audit row of an edit (the trail has them all). */
const AUDITED_PATHS = 10;

/** An operator's edit of the payload, checked already: the body to send instead of the stored one, and what changed. */
export interface DeadLetterEdit {
  body: Buffer;
  changes: readonly PayloadChange[];
}

/**
 * The one way a dead letter goes back into the pipeline (single retry, bulk retry, edit and retry): marked retried
 * by its operator first — atomically, only if still `dead`, so two operators (or a repeated bulk call) never send it
 * twice — then republished with a fresh attempt count, then audited. A publish the broker refuses puts it back to
 * `dead` and rethrows. The event id is kept, so the audit trail joins up and the consumer's dedupe still holds.
 */
@Injectable()
export class DeadLetterReplay {
  constructor(
    private readonly repository: DeadLetterRepository,
    @Inject(DEAD_LETTER_PUBLISHER) private readonly publisher: DeadLetterPublisher,
    private readonly audit: AuditWriter,
  ) {}

  /** False when the dead letter was no longer `dead` (retried or discarded meanwhile): nothing was sent. */
  async replay(deadLetter: DeadLetterRow, actor: string, edit?: DeadLetterEdit): Promise<boolean> {
    const marked = await this.repository.markRetried(
      deadLetter.id,
      actor,
      edit === undefined ? { action: 'retried' } : { action: 'edited_and_retried', changes: edit.changes },
    );
    if (!marked) {
      return false;
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
      await this.publisher.republish({
        routingKey: deadLetter.routingKey,
        headers,
        body: edit?.body ?? deadLetter.body,
      });
    } catch (error: unknown) {
      await this.repository.markDead(deadLetter.id, actor, 'the broker did not take the message');
      throw error;
    }
    this.audit.record({
      eventId: deadLetter.eventId ?? deadLetter.messageId,
      entity: deadLetter.entity === 'order' ? 'order' : 'webhook',
      topic: deadLetter.topic,
      shop: deadLetter.shop ?? '',
      shopifyId: deadLetter.shopifyId,
      status: AuditStatus.Replayed,
      reason:
        edit === undefined ? `dead letter ${deadLetter.id} retried by ${actor}` : editReason(deadLetter, actor, edit),
    });
    return true;
  }
}

/** The audit reason of an edit: who, and the changed paths (never their values: the trail keeps those, redacted). */
function editReason(deadLetter: DeadLetterRow, actor: string, edit: DeadLetterEdit): string {
  const paths = edit.changes.map((c) => c.path);
  const named = paths.slice(0, AUDITED_PATHS).join(', ');
  const more = paths.length > AUDITED_PATHS ? ` and ${paths.length - AUDITED_PATHS} more` : '';
  return `dead letter ${deadLetter.id} edited by ${actor} and retried; changed ${named}${more}`;
}
