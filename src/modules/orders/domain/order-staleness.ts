import type { ErpSalesOrderStatus } from 'src/modules/erp';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

/** @description The version of an order: Shopify's `updated_at` (ISO 8601 with offset) and the status it carries. */
export interface OrderVersion {
  updatedAt: string;
  status: ErpSalesOrderStatus;
}

/**
 * @description Whether an order event should be applied. Skips are expected outcomes (Shopify delivers at least
 * once and out of order), returned as values so that they are audited rather than thrown.
 */
export type OrderFreshness = { apply: true } | { apply: false; reason: 'stale' | 'duplicate' };

/**
 * @description How the event came: `force` is an operator's forced re-sync (`resyncOrder(force: true)`, a forced
 * replay), read from Shopify at that moment. It rewrites the version the ERP already holds (e.g. after a mapping
 * change); the ERP write is the same upsert by external id, so it updates the one document, never adds one.
 */
export interface FreshnessOptions {
  force?: boolean;
}

/**
 * Decides whether `incoming` is newer than the version last applied to the ERP. Timestamps are compared as instants,
 * because Shopify writes them in the shop's offset (`+02:00`) while stored ones come back as `Z`.
 *
 * - nothing applied yet, or incoming is newer → apply;
 * - same instant → duplicate, except a cancel of an order applied as open: Shopify timestamps have one-second
 *   resolution, so a cancel in the same second as the last update must not be lost;
 * - older → stale.
 *
 * A forced re-sync applies the version already applied too (same instant), but never an older one: a replay must
 * not take the ERP back to a version Shopify has since changed.
 */
export function decideOrderFreshness(
  incoming: OrderVersion,
  applied: OrderVersion | null,
  options: FreshnessOptions = {},
): OrderFreshness {
  if (applied === null) {
    return { apply: true };
  }
  const incomingAt = instantOf(incoming.updatedAt, 'incoming updatedAt');
  const appliedAt = instantOf(applied.updatedAt, 'applied updatedAt');
  if (incomingAt > appliedAt) {
    return { apply: true };
  }
  if (incomingAt < appliedAt) {
    return { apply: false, reason: 'stale' };
  }
  if (options.force === true) {
    return { apply: true };
  }
  return incoming.status === 'cancelled' && applied.status === 'open'
    ? { apply: true }
    : { apply: false, reason: 'duplicate' };
}

function instantOf(timestamp: string, label: string): number {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) {
    throw new OrderError(OrderErrorCode.InvalidPayload, `${label} is not a timestamp: ${JSON.stringify(timestamp)}`);
  }
  return ms;
}
