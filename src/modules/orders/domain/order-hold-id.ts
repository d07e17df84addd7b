import { ORDER_ID_PATTERN } from 'src/modules/orders/domain/order-replay';

/** The legacy id of a Shopify order id given as digits or as a GID; undefined when it is neither. */
export function legacyOrderId(id: string): string | undefined {
  if (!ORDER_ID_PATTERN.test(id)) {
    return undefined;
  }
  return id.slice(id.lastIndexOf('/') + 1);
}
