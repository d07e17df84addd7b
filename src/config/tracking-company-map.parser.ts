/** @description SHOPIFY_TRACKING_COMPANY_MAP read: ERP carrier → Shopify tracking company, or why it is malformed. */
export type TrackingCompanyMapParse = { ok: true; map: Record<string, string> } | { ok: false; reason: string };

/**
 * @description Reads a JSON object of ERP carrier / ship-method names to Shopify tracking company names, e.g.
 * `{"Next Day Pallet":"Palletways","PRIORITY":"USPS"}`. Every key and value must be a non-empty string. Pure.
 */
export function parseTrackingCompanyMap(text: string): TrackingCompanyMapParse {
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
      return { ok: false, reason: `entry ${JSON.stringify(key)} needs a non-empty ERP name and Shopify company name` };
    }
    map[key.trim()] = value.trim();
  }
  return { ok: true, map };
}
