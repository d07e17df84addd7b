import type { DeadLetterRow, DeadLetterStatus } from 'src/modules/dead-letters/domain/dead-letter.types';

/**
 * @description A dead letter as operators see it, in REST and GraphQL alike. The message body, headers and routing
 * key are deliberately absent: they may hold customer data (names, addresses, emails) the admin APIs have no need to
 * show.
 */
export interface DeadLetterView {
  id: string;
  messageId: string;
  eventId: string | null;
  webhookId: string | null;
  entity: string;
  topic: string | null;
  shop: string | null;
  shopifyId: string | null;
  /** Why it was dead-lettered. */
  reason: string;
  lastError: string | null;
  errorClass: string | null;
  attempts: number;
  status: DeadLetterStatus;
  createdAt: Date;
  retriedAt: Date | null;
  retriedBy: string | null;
  discardedAt: Date | null;
  discardedBy: string | null;
}

/**
 * @description A stored dead letter without its message (body, headers, routing key): what a list of dead letters
 * reads. A body may be up to 2 MiB, and a page of them is what an operator looks at first; the body is read for one
 * dead letter (its retry) only.
 */
export type DeadLetterSummary = Omit<DeadLetterRow, 'body' | 'headers' | 'routingKey'>;

/** Field by field, so that nothing added to the row (body, headers) can leak through. */
export function toDeadLetterView(row: DeadLetterSummary): DeadLetterView {
  return {
    id: row.id,
    messageId: row.messageId,
    eventId: row.eventId ?? null,
    webhookId: row.webhookId ?? null,
    entity: row.entity,
    topic: row.topic ?? null,
    shop: row.shop ?? null,
    shopifyId: row.shopifyId ?? null,
    reason: row.reason,
    lastError: row.lastError ?? null,
    errorClass: row.errorClass ?? null,
    attempts: row.attempts,
    status: row.status === 'retried' || row.status === 'discarded' ? row.status : 'dead',
    createdAt: row.createdAt,
    retriedAt: row.retriedAt,
    retriedBy: row.retriedBy ?? null,
    discardedAt: row.discardedAt ?? null,
    discardedBy: row.discardedBy ?? null,
  };
}
