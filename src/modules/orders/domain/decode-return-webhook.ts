import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

/** @description The ids a `returns/*` webhook body carries: the rest is read from the Admin API. */
export interface ReturnWebhook {
  returnId: string;
  orderId: string;
}

/**
 * Reads the return id (`admin_graphql_api_id` `gid://shopify/Return/…`, else `id`) and its order id
 * (`order.admin_graphql_api_id`, else `order_id`) exactly from the body text: Shopify's ids can exceed 2^53.
 *
 * @throws OrderError(InvalidPayload) when the body is not JSON or either id is missing.
 */
export function decodeReturnWebhook(text: string): ReturnWebhook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OrderError(OrderErrorCode.InvalidPayload, 'message body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OrderError(OrderErrorCode.InvalidPayload, 'return payload must be a JSON object');
  }
  const returnId =
    /"gid:\/\/shopify\/Return\/(\d+)"/.exec(text)?.[1] ?? /^\s*\{\s*"id"\s*:\s*"?(\d+)"?/.exec(text)?.[1];
  if (returnId === undefined) {
    throw new OrderError(
      OrderErrorCode.InvalidPayload,
      'return payload has no admin_graphql_api_id (gid://shopify/Return/…)',
    );
  }
  const orderId = /"gid:\/\/shopify\/Order\/(\d+)"/.exec(text)?.[1] ?? /"order_id"\s*:\s*"?(\d+)"?/.exec(text)?.[1];
  if (orderId === undefined) {
    throw new OrderError(
      OrderErrorCode.InvalidPayload,
      'return payload has no order (order.admin_graphql_api_id or order_id)',
    );
  }
  return { returnId, orderId };
}
