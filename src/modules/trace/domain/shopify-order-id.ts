const NUMERIC_ID = /^\d{1,20}$/;
const ORDER_GID = /^gid:\/\/shopify\/Order\/(\d{1,20})(\?.*)?$/;

/**
 * The numeric Shopify order id of `input`, given as the id (`5612345678901`) or as its GID
 * (`gid://shopify/Order/5612345678901`); undefined when it is neither. The modules keep an order in different forms
 * (the order writer and the audit: the numeric id; the fulfilment writer: the GID), so the trace reads each by this.
 */
export function normalizeShopifyOrderId(input: string): string | undefined {
  const text = input.trim();
  if (NUMERIC_ID.test(text)) {
    return text;
  }
  return ORDER_GID.exec(text)?.[1];
}

/** The GID form of a numeric Shopify order id. */
export function shopifyOrderGid(orderId: string): string {
  return `gid://shopify/Order/${orderId}`;
}
