import { orderRoutingKey } from 'src/common/messaging/partition';

/** Topics whose payload is a full order and that the order pipeline applies (latest `updated_at` wins). */
export const ORDER_TOPICS: ReadonlySet<string> = new Set([
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/paid',
]);

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

/** Where a verified webhook goes: order topics to the order's partition; anything else to its topic key. */
export function routingKeyFor(topic: string, resourceId: string | undefined): string {
  if (ORDER_TOPICS.has(topic) && resourceId !== undefined) {
    return orderRoutingKey(resourceId);
  }
  return topic;
}
