import type { ErpStock } from 'src/modules/inventory/domain/quantity-policy';

/** Shopify accepts at most 250 entries in an input array (api-facts A.2), so one call sets at most 250 quantities. */
export const MAX_QUANTITIES_PER_CALL = 250;

/** @description One (SKU, ERP location) level to write to Shopify's `available`. */
export interface InventoryPushItem {
  sku: string;
  erpLocationId: string;
  /** `gid://shopify/InventoryItem/…` */
  inventoryItemId: string;
  /** `gid://shopify/Location/…` */
  locationId: string;
  erp: ErpStock;
  /** The quantity to write (from the quantity policy). */
  quantity: number;
  /** What we believe Shopify has now (`changeFromQuantity`); null only when it is not known. */
  changeFromQuantity: number | null;
  /**
   * `erp_inventory_level.changed_at` of the ERP state this push carries, as PostgreSQL's exact text (microseconds:
   * a JavaScript Date would round it and the level would look changed forever).
   */
  erpChangedAt: string;
}

/** @description Shopify's current quantities at one level, as read back. */
export interface ShopifyLevelQuantities {
  available: number;
  committed: number;
}

export function levelKey(inventoryItemId: string, locationId: string): string {
  return `${inventoryItemId}|${locationId}`;
}
