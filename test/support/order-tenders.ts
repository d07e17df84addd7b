import { OrderTenderReader } from 'src/modules/orders/application/order-tender-reader';
import type { ShopifyAdminClients } from 'src/modules/shopify';

/** A tender reader that records no gateway (ERP_PAYMENT_METHOD_MAP `{}`): it never reads Shopify. */
export function noTenders(): OrderTenderReader {
  return new OrderTenderReader({} as ShopifyAdminClients, { orders: { paymentMethodMap: {} } });
}
