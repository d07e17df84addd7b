import { levelKey, type ShopifyLevelQuantities } from 'src/modules/inventory/domain/inventory.types';

/**
 * Folds the JSONL objects of the inventory bulk query into Shopify's quantities per `levelKey`. Bulk output is flat:
 * an InventoryItem line `{id, sku}`, then its InventoryLevel lines `{location: {id}, quantities, __parentId}` whose
 * `__parentId` is the item's id (Shopify's documented bulk format).
 */
export function foldBulkLevels(lines: Iterable<Record<string, unknown>>): Map<string, ShopifyLevelQuantities> {
  const out = new Map<string, ShopifyLevelQuantities>();
  for (const line of lines) {
    const parent = line.__parentId;
    const location = line.location as { id?: unknown } | undefined;
    if (typeof parent !== 'string' || typeof location?.id !== 'string' || !Array.isArray(line.quantities)) {
      continue;
    }
    const quantities = line.quantities as Array<{ name?: unknown; quantity?: unknown }>;
    const quantity = (name: string): number => {
      const value = quantities.find((q) => q.name === name)?.quantity;
      return typeof value === 'number' ? value : 0;
    };
    out.set(levelKey(parent, location.id), { available: quantity('available'), committed: quantity('committed') });
  }
  return out;
}
