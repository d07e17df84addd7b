/** @description ERP_PAYMENT_METHOD_MAP read: Shopify gateway → the ERP's payment method ('' = the ERP's default). */
export type PaymentMethodMapParse = { ok: true; map: Record<string, string> } | { ok: false; reason: string };

/**
 * @description The map used when ERP_PAYMENT_METHOD_MAP is unset: gift cards redeemed as tender are recorded, with the
 * ERP's default payment method; no other gateway is.
 */
export const DEFAULT_PAYMENT_METHOD_MAP: Readonly<Record<string, string>> = { gift_card: '' };

/**
 * @description Reads ERP_PAYMENT_METHOD_MAP, a JSON object of Shopify payment gateway names (`gift_card`,
 * `shopify_payments`, `manual`, …) to the ERP's payment method: a NetSuite payment method internal id, a Business
 * Central payment method code, a Cin7 Core account code, or `""` for the ERP's default. Only the listed gateways' tenders
 * are recorded as ERP payments; `{}` records none. Keys must be non-empty; values strings. Pure.
 */
export function parsePaymentMethodMap(text: string): PaymentMethodMapParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'is not a JSON object' };
  }
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.trim() === '' || typeof value !== 'string') {
      return { ok: false, reason: `entry ${JSON.stringify(key)} needs a non-empty gateway name and a string value` };
    }
    map[key.trim()] = value.trim();
  }
  return { ok: true, map };
}
