/** Shopify's order GID of a legacy id (`5123`) or a GID given as it is. */
export function orderGid(id: string): string {
  return id.startsWith('gid://') ? id : `gid://shopify/Order/${id}`;
}

/** An order id as operators give it: a legacy id (digits) or an Order GID. */
export const ORDER_ID_PATTERN = /^(?:\d{1,20}|gid:\/\/shopify\/Order\/\d{1,20})$/;

/**
 * The event id of a replayed order version (also its webhook id). Without `forceId` it names the version alone
 * (`replay:order:<id>:<updated_at ms>`), so replaying the same version twice is one event to the inbox. A forced
 * re-sync adds its own id: the inbox must not drop it as a redelivery of an earlier replay, while a redelivery of
 * the forced event itself is still dropped.
 */
export function replayEventId(orderId: string, updatedAt: string, forceId?: string): string {
  const base = `replay:order:${orderId}:${Date.parse(updatedAt)}`;
  return forceId === undefined ? base : `${base}:force:${forceId}`;
}

/** The Admin API search of the orders created in [from, to] (both inclusive), e.g. for a replay. */
export function createdRangeQuery(from: Date, to: Date): string {
  return `created_at:>='${from.toISOString()}' AND created_at:<='${to.toISOString()}'`;
}

/** The most orders one background replay may name by id, and the widest date range it may cover. */
export const MAX_REPLAY_ORDER_IDS = 5_000;
export const MAX_REPLAY_RANGE_DAYS = 366;
/** Orders read and published per second by a background replay, unless the operator asks otherwise. */
export const DEFAULT_REPLAY_RATE_PER_SECOND = 10;
export const MAX_REPLAY_RATE_PER_SECOND = 50;

export type ReplayTargetProblem = 'empty' | 'too-many-ids' | 'bad-order-id' | 'range-reversed' | 'range-too-wide';

/** What is wrong with a replay's target, or null: ids, or a created-at range, exactly one of them. */
export function checkReplayTarget(
  target: { orderIds: readonly string[] } | { createdFrom: Date; createdTo: Date },
): ReplayTargetProblem | null {
  if ('orderIds' in target) {
    if (target.orderIds.length === 0) {
      return 'empty';
    }
    if (target.orderIds.length > MAX_REPLAY_ORDER_IDS) {
      return 'too-many-ids';
    }
    return target.orderIds.every((id) => ORDER_ID_PATTERN.test(id)) ? null : 'bad-order-id';
  }
  const span = target.createdTo.getTime() - target.createdFrom.getTime();
  if (!(span >= 0)) {
    return 'range-reversed';
  }
  return span > MAX_REPLAY_RANGE_DAYS * 86_400_000 ? 'range-too-wide' : null;
}
