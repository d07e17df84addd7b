/** A myshopify domain as Shopify sends it in X-Shopify-Shop-Domain: `my-store.myshopify.com`. */
export const SHOP_DOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * @description The shop key every table, message and API argument uses: the myshopify domain, trimmed and lower
 * case; undefined when the text is not one.
 * @example normalizeShopDomain(' My-Store.myshopify.com ') === 'my-store.myshopify.com'
 */
export function normalizeShopDomain(text: string): string | undefined {
  const domain = text.trim().toLowerCase();
  return domain.length <= 255 && SHOP_DOMAIN_PATTERN.test(domain) ? domain : undefined;
}
