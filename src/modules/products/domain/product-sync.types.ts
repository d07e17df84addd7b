import type { ErpItemSyncRow, ShopifyPushedFields } from 'src/modules/erp';

/**
 * @description One `erp_item_xref` row as the product sync reads it through the erp module (ERP-owned fields plus
 * the Shopify ids and sync state the sync keeps on the row).
 */
export type ErpItemRow = Omit<ErpItemSyncRow, 'groupId'>;

/**
 * @description The ERP-owned fields of one variant, normalised, as last pushed to Shopify (docs/architecture.md, source of truth:
 * SKU, price, cost, barcode, compare-at price and weight — the last two where the connector's feed carries them).
 * `title` is kept to tell an ERP rename (not written: Shopify owns the title after creation).
 */
export type PushedFields = ShopifyPushedFields;

/** @description All rows of one ERP parent item (or one standalone item): one Shopify product. */
export interface ProductGroup {
  /** `parent_erp_item_id`, or the item's own id when it has no parent. */
  groupId: string;
  shopifyProductId: string | null;
  rows: ErpItemRow[];
}
