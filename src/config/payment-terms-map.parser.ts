/** @description ERP_PAYMENT_TERMS_MAP read: Shopify payment terms name → the ERP's terms, or why it is malformed. */
export type PaymentTermsMapParse = { ok: true; map: Record<string, string> } | { ok: false; reason: string };

/**
 * @description Reads a JSON object of Shopify payment terms names to the ERP's terms, e.g.
 * `{"Net 30":"2","Net 60":"3"}`: NetSuite term internal ids, Business Central payment terms codes or Cin7 Core
 * payment term names, for whichever ERP_CONNECTOR selects. Every key and value must be a non-empty string. Pure.
 */
export function parsePaymentTermsMap(text: string): PaymentTermsMapParse {
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
    if (key.trim() === '' || typeof value !== 'string' || value.trim() === '') {
      return { ok: false, reason: `entry ${JSON.stringify(key)} needs a non-empty Shopify name and ERP value` };
    }
    map[key.trim()] = value.trim();
  }
  return { ok: true, map };
}
