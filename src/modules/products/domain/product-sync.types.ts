/** @description One `erp_item_xref` row as the product sync reads it (ERP-owned fields plus Shopify ids and sync state). */
export interface ErpItemRow {
  sku: string;
  erpItemId: string;
  parentErpItemId: string | null;
  name: string | null;
  /** Decimal strings as PostgreSQL returns numeric, e.g. `"12.500000"`. */
  price: string | null;
  cost: string | null;
  barcode: string | null;
  options: Record<string, string> | null;
  active: boolean;
  shopifyProductId: string | null;
  shopifyVariantId: string | null;
  shopifyInventoryItemId: string | null;
  /** ISO timestamp of the row's last ERP-side change (the value a sync run marks as covered). */
  changedAt: string;
  syncedChangedAt: string | null;
  pushedFields: PushedFields | null;
  pushedHash: string | null;
}

/**
 * @description The ERP-owned fields of one variant, normalised, as last pushed to Shopify (DESIGN.md source of truth:
 * SKU, price, cost, barcode; compare-at price and weight are ERP-owned too but the ERP change feed carries neither
 * today). `title` is kept to tell an ERP rename (not written: Shopify owns the title after creation).
 */
export interface PushedFields {
  sku: string;
  price: string | null;
  cost: string | null;
  barcode: string | null;
  title?: string | null;
}

/** @description All rows of one ERP parent item (or one standalone item): one Shopify product. */
export interface ProductGroup {
  /** `parent_erp_item_id`, or the item's own id when it has no parent. */
  groupId: string;
  shopifyProductId: string | null;
  rows: ErpItemRow[];
}
