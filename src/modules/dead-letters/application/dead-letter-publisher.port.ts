/** Nest token of the `DeadLetterPublisher` that a retry sends through. */
export const DEAD_LETTER_PUBLISHER = Symbol('DEAD_LETTER_PUBLISHER');

/** @description A dead letter on its way back into the pipeline: the stored message with its headers reset. */
export interface RepublishedMessage {
  /** Where it was going when it died (an order partition, a catalog topic). */
  routingKey: string;
  headers: Record<string, unknown>;
  body: Buffer;
}

/** @description Sends a dead letter back into the pipeline, the way ingest sent it the first time. */
export interface DeadLetterPublisher {
  /** Resolves once the broker confirmed the message under a fresh message id; rejects otherwise. */
  republish(message: RepublishedMessage): Promise<void>;
}
