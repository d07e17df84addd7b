/**
 * @description `dead`: waiting for an operator. `retried`: sent back through the pipeline (once). `discarded`: an
 * operator decided it is not to be sent; the row stays, with who and when.
 */
export type DeadLetterStatus = 'dead' | 'retried' | 'discarded';

/**
 * @description A message the pipeline gave up on, as it arrived from the broker's dead-letter queue: our own dead
 * letters carry reason, attempts and last error in headers; the broker's (delivery limit) carry `x-death`.
 */
export interface DeadLetteredMessage {
  messageId?: string;
  routingKey: string;
  headers: Record<string, unknown>;
  body: Buffer;
}

/** @description What is stored of a dead letter: where it was going, the whole message, and why it was given up. */
export interface DeadLetterRecord {
  messageId: string;
  eventId?: string;
  webhookId?: string;
  entity: string;
  topic?: string;
  shop?: string;
  shopifyId?: string;
  routingKey: string;
  headers: Record<string, unknown>;
  body: Buffer;
  reason: string;
  lastError?: string;
  /** The class of the error that killed it: an AppError code (`ORDER_INVALID_PAYLOAD`), `UNEXPECTED`, `DELIVERY_LIMIT`. */
  errorClass?: string;
  attempts: number;
}

/** @description A stored dead letter, with its id and where it stands. */
export interface DeadLetterRow extends DeadLetterRecord {
  id: string;
  status: DeadLetterStatus;
  createdAt: Date;
  retriedAt: Date | null;
  /** Who retried it (`api-key:ops (#7)`); null when not retried, or retried before this was recorded. */
  retriedBy: string | null;
  discardedAt: Date | null;
  discardedBy: string | null;
}
