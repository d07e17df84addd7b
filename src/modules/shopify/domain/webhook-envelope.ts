import { exactIntegerField } from 'src/common/json/exact-integer-field';
import { orderRoutingKey } from 'src/common/messaging/partition';

/** Topics whose payload is a full order and that the order pipeline applies (latest `updated_at` wins). */
export const ORDER_TOPICS: ReadonlySet<string> = new Set([
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/paid',
  // A shop whose trigger is `fulfilled` writes the order when this comes (docs/orders.md).
  'orders/fulfilled',
]);

/**
 * Return topics (Admin API 2026-10 `WebhookSubscriptionTopic` RETURNS_*) whose payload names the return's order:
 * `returns/request`, `returns/approve` and `returns/decline` carry `order.admin_graphql_api_id`, the others `order_id`.
 * `returns/process` and `returns/update` carry no order and are not routed to the order pipeline.
 */
export const RETURN_TOPICS: ReadonlySet<string> = new Set([
  'returns/request',
  'returns/approve',
  'returns/decline',
  'returns/cancel',
  'returns/close',
  'returns/reopen',
]);

/** Topics about an order that are applied on the order's partition, after the order's own events. */
export const ORDER_CHILD_TOPICS: ReadonlySet<string> = new Set(['refunds/create', ...RETURN_TOPICS]);

const TOPIC = /^[a-z_]+\/[a-z_]+$/;

export function isValidTopic(topic: string): boolean {
  return TOPIC.test(topic) && topic.length <= 64;
}

/**
 * The resource id as a string. JSON.parse loses precision above 2^53 (Shopify's own samples have such ids), so
 * the numeric tail of `admin_graphql_api_id` is preferred when present.
 */
export function resourceIdOf(payload: Record<string, unknown>): string | undefined {
  const gid = payload.admin_graphql_api_id;
  if (typeof gid === 'string') {
    const match = /\/(\d+)(\?.*)?$/.exec(gid);
    if (match?.[1] !== undefined) {
      return match[1];
    }
  }
  const id = payload.id;
  if (typeof id === 'string' && id.length > 0) {
    return id;
  }
  if (typeof id === 'number' && Number.isFinite(id)) {
    return String(id);
  }
  return undefined;
}

/**
 * The Shopify order a webhook belongs to: the resource itself for order topics; the body's `order_id` (read exactly
 * from the text) for refunds and returns. Undefined for topics not about one order.
 */
export function orderIdOf(topic: string, resourceId: string | undefined, bodyText: string): string | undefined {
  if (ORDER_TOPICS.has(topic)) {
    return resourceId;
  }
  if (RETURN_TOPICS.has(topic)) {
    return returnOrderIdOf(bodyText);
  }
  if (ORDER_CHILD_TOPICS.has(topic)) {
    return exactIntegerField(bodyText, 'order_id');
  }
  return undefined;
}

/**
 * The order of a `returns/*` body, read exactly from the text: the tail of `order.admin_graphql_api_id` (the only
 * `gid://shopify/Order/` in the body), else the top-level `order_id`.
 */
export function returnOrderIdOf(bodyText: string): string | undefined {
  return /"gid:\/\/shopify\/Order\/(\d+)"/.exec(bodyText)?.[1] ?? exactIntegerField(bodyText, 'order_id');
}

/** Where a verified webhook goes: anything about one order to the order's partition; anything else to its topic. */
export function routingKeyFor(topic: string, orderId: string | undefined): string {
  return orderId === undefined ? topic : orderRoutingKey(orderId);
}
