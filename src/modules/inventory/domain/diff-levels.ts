import { levelKey, type InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';

/** @description The outcome of comparing what the ERP wants in Shopify with what Shopify has. */
export interface LevelDiff {
  /** Shopify differs: write, with `changeFromQuantity` = the quantity just read. */
  toWrite: InventoryPushItem[];
  /** Shopify already has the quantity: no write; the belief becomes what was read. */
  equal: InventoryPushItem[];
  /** Shopify has no level for the item at that location (not stocked there): not written. */
  missing: InventoryPushItem[];
}

/**
 * Compares desired levels with Shopify's `available` read for the same (inventory item, location), keyed by
 * `levelKey`. Only differences are written, and each write's `changeFromQuantity` is the fresh read, so a change made
 * in Shopify between the read and the write is caught (CHANGE_FROM_QUANTITY_STALE) instead of overwritten.
 */
export function diffLevels(
  desired: readonly InventoryPushItem[],
  shopifyAvailable: ReadonlyMap<string, number>,
): LevelDiff {
  const diff: LevelDiff = { toWrite: [], equal: [], missing: [] };
  for (const item of desired) {
    const current = shopifyAvailable.get(levelKey(item.inventoryItemId, item.locationId));
    if (current === undefined) {
      diff.missing.push(item);
    } else if (current === item.quantity) {
      diff.equal.push({ ...item, changeFromQuantity: current });
    } else {
      diff.toWrite.push({ ...item, changeFromQuantity: current });
    }
  }
  return diff;
}
