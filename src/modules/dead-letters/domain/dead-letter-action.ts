/**
 * @description What an operator did to a dead letter, as its own trail records it. `republish_failed`: a retry was
 * accepted but the broker refused the message, so the dead letter went back to `dead`.
 */
export type DeadLetterActionKind = 'retried' | 'edited_and_retried' | 'discarded' | 'republish_failed';

/**
 * @description One changed path of an edited payload. `before`/`after` are the JSON values, or `[redacted]` for a
 * path that may hold a secret or a customer's personal data; absent for an added (`before`) or removed (`after`) path.
 */
export interface PayloadChange {
  /** In the decoder's notation: `line_items[0].sku`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** @description One entry of a dead letter's trail: who did what, when, and for an edit what changed. */
export interface DeadLetterAction {
  id: string;
  deadLetterId: string;
  action: DeadLetterActionKind;
  actor: string;
  note: string | null;
  /** The edit's changed paths (edited_and_retried only). */
  changes: PayloadChange[] | null;
  createdAt: Date;
}
