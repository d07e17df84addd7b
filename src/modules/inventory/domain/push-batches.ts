import { createHash } from 'node:crypto';
import type { InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';

/** Splits `items` into consecutive batches of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`batch size must be a positive integer, got ${size}`);
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** The two halves of a failing batch (binary split until the bad item is alone). */
export function splitInHalf<T>(items: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(items.length / 2);
  return [items.slice(0, middle), items.slice(middle)];
}

/**
 * The `@idempotent` key of one `inventorySetQuantities` call: a UUID derived from everything the call carries (name,
 * reason, each level's item, location, quantity and changeFromQuantity) plus the ERP change time of each level. A
 * retry of the same batch after a lost response therefore sends the same key and Shopify replays the first result
 * instead of applying it twice; a later, different push of the same numbers (the ERP went 5→6→5→6) carries other
 * change times, so it is never mistaken for a replay. Order-independent.
 */
export function idempotencyKeyFor(name: string, reason: string, items: readonly InventoryPushItem[]): string {
  const lines = items
    .map((i) => [i.inventoryItemId, i.locationId, i.quantity, i.changeFromQuantity ?? 'null', i.erpChangedAt].join(' '))
    .sort();
  const digest = createHash('sha256')
    .update([name, reason, ...lines].join('\n'))
    .digest();
  // Shape it as an RFC 4122 UUID (version 5 style: name-based, SHA digest).
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
