/**
 * The first value of the integer field `key` exactly as written in a JSON text (bare or quoted digits). JSON.parse
 * rounds integers above 2^53, and Shopify ids can be that large, so ids that matter are read from the text.
 * Only for fields whose every occurrence in the document carries the same value (e.g. a refund's `order_id`).
 */
export function exactIntegerField(jsonText: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`"${escaped}"\\s*:\\s*"?(\\d+)"?`).exec(jsonText)?.[1];
}
