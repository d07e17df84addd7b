import {
  RECONCILE_ORDER,
  RECONCILE_ORDER_LINE_ITEMS,
  type GqlOrder,
} from 'src/modules/orders/application/order-reconciliation.shopify-graphql';
import { paginate, type ShopifyAdminPort } from 'src/modules/shopify';

/**
 * @description Reads one order through the Admin API with every line (a large order's lines page by page: the ERP
 * must get them all), as the orders webhooks would carry it once mapped by `mapGraphqlOrderToWebhook`. Null when the
 * order no longer exists. Shared by the reconciliation and the gap report's replay.
 */
export async function readOrderInFull(shopify: ShopifyAdminPort, orderGid: string): Promise<GqlOrder | null> {
  const { data } = await shopify.request(RECONCILE_ORDER, { id: orderGid });
  const order = data.order;
  if (order === null) {
    return null;
  }
  const more = order.lineItems.pageInfo;
  if (more?.hasNextPage === true && more.endCursor !== null) {
    for await (const line of paginate(
      shopify,
      RECONCILE_ORDER_LINE_ITEMS,
      { id: orderGid, after: more.endCursor },
      (page) => page.order?.lineItems ?? { nodes: [], pageInfo: { hasNextPage: false } },
    )) {
      order.lineItems.nodes.push(line);
    }
  }
  return order;
}
