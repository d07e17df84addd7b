import type { ErpPaymentTerms } from 'src/modules/erp/port/erp.types';

/**
 * @description The ERP's value for a B2B order's payment terms from the configured map (ERP_PAYMENT_TERMS_MAP):
 * Shopify's name as written, else the same name in another case (`NET 30` for `Net 30`). Undefined when the order
 * has no terms or the map lacks the name: the ERP then applies its own default (the customer's terms). Pure.
 */
export function mappedPaymentTerms(
  terms: ErpPaymentTerms | undefined,
  map: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (terms === undefined || map === undefined) {
    return undefined;
  }
  const exact = map[terms.name];
  if (exact !== undefined) {
    return exact;
  }
  const wanted = terms.name.trim().toLowerCase();
  return Object.entries(map).find(([name]) => name.trim().toLowerCase() === wanted)?.[1];
}
