import type { DeadLetterStatus } from 'src/modules/dead-letters/domain/dead-letter.types';

/** At most this many dead letters are acted on by one bulk call; the answer says when more match. */
export const MAX_BULK_BATCH = 500;
export const DEFAULT_BULK_BATCH = 100;
/** At most this many ids are named per skip reason in a bulk answer (the counts are complete). */
export const MAX_SKIPPED_IDS = 50;

/**
 * @description Which dead letters a bulk retry or discard acts on: every given criterion must hold. `ids` names them
 * explicitly (other criteria still narrow); `status` defaults to `dead`, the only status an action changes.
 */
export interface DeadLetterSelection {
  ids?: readonly string[];
  /** `order` or `webhook` (the dead letter's entity). */
  entity?: string;
  /** The Shopify topic, e.g. `orders/create`, `refunds/create`, `products/update`. */
  topic?: string;
  /** Only these shops (lower-cased myshopify domains); undefined: every shop. */
  shops?: readonly string[];
  /** Case-insensitive substring of the reason or the last error. */
  reasonContains?: string;
  /** The error class: an AppError code such as `ORDER_INVALID_PAYLOAD`, or `UNEXPECTED`, `DELIVERY_LIMIT`. */
  errorClass?: string;
  /** Dead-lettered at or after. */
  createdFrom?: Date;
  /** Dead-lettered before. */
  createdTo?: Date;
  status?: DeadLetterStatus;
}

/**
 * True when a selection names nothing but the shops and the status: a bulk action over every dead letter is refused,
 * so that a forgotten filter cannot resend (or discard) a whole queue by accident.
 */
export function isUnfocusedSelection(selection: DeadLetterSelection): boolean {
  return (
    selection.ids === undefined &&
    selection.entity === undefined &&
    selection.topic === undefined &&
    selection.reasonContains === undefined &&
    selection.errorClass === undefined &&
    selection.createdFrom === undefined &&
    selection.createdTo === undefined
  );
}

/** Why a selected dead letter was left as it was. */
export type BulkSkipReason = 'not_found' | 'already_retried' | 'already_discarded' | 'republish_failed';

/** @description The result of one bulk call: how many were changed, which were skipped and why, and whether more match. */
export interface BulkActionReport {
  /** Dead letters the call looked at (at most the batch size). */
  matched: number;
  /** Retried (bulk retry) or discarded (bulk discard) by this call. */
  changed: number;
  skipped: Array<{ reason: BulkSkipReason; count: number; ids: string[] }>;
  /** More dead letters match than this batch took: call again. */
  hasMore: boolean;
}

/** Folds per-letter skips into the report's list, in a fixed reason order, ids capped at MAX_SKIPPED_IDS. */
export function summariseSkips(
  skips: ReadonlyArray<{ id: string; reason: BulkSkipReason }>,
): BulkActionReport['skipped'] {
  const order: BulkSkipReason[] = ['not_found', 'already_retried', 'already_discarded', 'republish_failed'];
  return order
    .map((reason) => {
      const ids = skips.filter((s) => s.reason === reason).map((s) => s.id);
      return { reason, count: ids.length, ids: ids.slice(0, MAX_SKIPPED_IDS) };
    })
    .filter((s) => s.count > 0);
}
