import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * @description The ERP-owned fields of one variant, as the product sync last pushed them to Shopify (kept on the
 * item's erp_item_xref row for the echo / drift check of `products/update`).
 */
export interface ShopifyPushedFields {
  sku: string;
  price: string | null;
  cost: string | null;
  barcode: string | null;
  title?: string | null;
}

/** @description One erp_item_xref row with the Shopify ids and sync state the product sync keeps on it. */
export interface ErpItemSyncRow {
  /** `parent_erp_item_id`, or the item's own id when it has no parent: one Shopify product per group. */
  groupId: string;
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
  /** PostgreSQL's exact text of `changed_at`: the last ERP-side change of the row. */
  changedAt: string;
  syncedChangedAt: string | null;
  pushedFields: ShopifyPushedFields | null;
  pushedHash: string | null;
}

/** @description What a product sync run records on one SKU's row. */
export interface ErpItemSyncMark {
  sku: string;
  /** The row's `changed_at` as read (text, full precision): the change this sync covers. */
  changedAt: string;
  productId?: string | null;
  variantId?: string | null;
  inventoryItemId?: string | null;
  /** What is now in Shopify for the ERP-owned fields (null: leave the last pushed values). */
  fields?: ShopifyPushedFields | null;
  hash?: string | null;
  /** A write was made for this SKU. */
  pushed: boolean;
  error: string | null;
}

/** @description The last pushed ERP-owned fields of a Shopify variant (echo / drift check). */
export interface ErpItemPushedVariant {
  connector: string;
  sku: string;
  shopifyVariantId: string;
  pushedFields: ShopifyPushedFields | null;
}

/**
 * erp_item_xref as the Shopify side sees it: the ERP-owned item fields the delta reads store, and the Shopify ids
 * and sync state the product sync (products module) records on the same rows, so that "changed since last synced"
 * stays one indexed comparison within one table. Other modules read and write these columns only through here.
 */
@Injectable()
export class ErpItemCatalogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Up to `limit` groups (ERP parent items, or standalone items) with at least one row not yet synced at its current
   * `changed_at`, in group order after `after`; every row of each group comes along (options and titles need them).
   * Rows come in group, then SKU, order.
   */
  async pendingSyncGroups(connector: string, limit: number, after: string): Promise<ErpItemSyncRow[]> {
    // Columns aliased to the row's own names: the rows come back as ErpItemSyncRow.
    return this.dataSource.query<ErpItemSyncRow[]>(
      `WITH g AS (
         SELECT DISTINCT COALESCE(parent_erp_item_id, erp_item_id) AS group_id
           FROM erp_item_xref
          WHERE connector = $1 AND shopify_synced_changed_at IS DISTINCT FROM changed_at
            -- Rows only an order-line lookup learnt (no item read yet) carry no ERP fields to push.
            AND erp_last_modified IS NOT NULL
            AND COALESCE(parent_erp_item_id, erp_item_id) > $3
          ORDER BY 1
          LIMIT $2)
       SELECT g.group_id AS "groupId", x.sku, x.erp_item_id AS "erpItemId",
              x.parent_erp_item_id AS "parentErpItemId", x.name, x.price::text AS price, x.cost::text AS cost,
              x.barcode, x.options, x.active, x.shopify_product_id AS "shopifyProductId",
              x.shopify_variant_id AS "shopifyVariantId", x.shopify_inventory_item_id AS "shopifyInventoryItemId",
              x.changed_at::text AS "changedAt", x.shopify_synced_changed_at::text AS "syncedChangedAt",
              x.shopify_pushed_fields AS "pushedFields", x.shopify_pushed_hash AS "pushedHash"
         FROM g
         JOIN erp_item_xref x
           ON x.connector = $1 AND x.erp_last_modified IS NOT NULL
          AND (x.parent_erp_item_id = g.group_id OR (x.erp_item_id = g.group_id AND x.parent_erp_item_id IS NULL))
        ORDER BY g.group_id, x.sku`,
      [connector, limit, after],
    );
  }

  /** Records a product sync of some SKUs in one statement. A row changed since it was read stays pending. */
  async recordSync(connector: string, marks: readonly ErpItemSyncMark[]): Promise<void> {
    if (marks.length === 0) {
      return;
    }
    await this.dataSource.query(
      `UPDATE erp_item_xref x
          SET shopify_product_id = COALESCE(r.product_id, x.shopify_product_id),
              shopify_variant_id = COALESCE(r.variant_id, x.shopify_variant_id),
              shopify_inventory_item_id = COALESCE(r.inventory_item_id, x.shopify_inventory_item_id),
              shopify_synced_changed_at = r.changed_at::timestamptz,
              shopify_pushed_at = CASE WHEN r.pushed THEN now() ELSE x.shopify_pushed_at END,
              shopify_pushed_fields = COALESCE(r.fields, x.shopify_pushed_fields),
              shopify_pushed_hash = COALESCE(r.hash, x.shopify_pushed_hash),
              shopify_push_error = r.error,
              updated_at = now()
         FROM json_to_recordset($2::json) AS r(sku text, changed_at text, product_id text, variant_id text,
              inventory_item_id text, fields jsonb, hash text, pushed boolean, error text)
        WHERE x.connector = $1 AND x.sku = r.sku`,
      [
        connector,
        JSON.stringify(
          marks.map((m) => ({
            sku: m.sku,
            changed_at: m.changedAt,
            product_id: m.productId ?? null,
            variant_id: m.variantId ?? null,
            inventory_item_id: m.inventoryItemId ?? null,
            fields: m.fields ?? null,
            hash: m.hash ?? null,
            pushed: m.pushed,
            error: m.error,
          })),
        ),
      ],
    );
  }

  /**
   * Drops the Shopify ids and pushed fields kept on these SKUs' rows (Shopify said the product or variant no longer
   * exists): the next sync finds them again by SKU and pushes every ERP-owned field, as to a product never synced.
   */
  async forgetShopifyIds(connector: string, skus: readonly string[]): Promise<void> {
    if (skus.length === 0) {
      return;
    }
    await this.dataSource.query(
      `UPDATE erp_item_xref
          SET shopify_product_id = NULL, shopify_variant_id = NULL, shopify_inventory_item_id = NULL,
              shopify_pushed_fields = NULL, shopify_pushed_hash = NULL, updated_at = now()
        WHERE connector = $1 AND sku = ANY($2::text[])`,
      [connector, skus],
    );
  }

  /** What was last pushed to these Shopify variants (any connector). */
  async pushedVariants(variantIds: readonly string[]): Promise<ErpItemPushedVariant[]> {
    if (variantIds.length === 0) {
      return [];
    }
    const rows: Array<{
      connector: string;
      sku: string;
      shopify_variant_id: string;
      shopify_pushed_fields: ShopifyPushedFields | null;
    }> = await this.dataSource.query(
      `SELECT connector, sku, shopify_variant_id, shopify_pushed_fields FROM erp_item_xref
        WHERE shopify_variant_id = ANY($1::text[])`,
      [variantIds],
    );
    return rows.map((r) => ({
      connector: r.connector,
      sku: r.sku,
      shopifyVariantId: r.shopify_variant_id,
      pushedFields: r.shopify_pushed_fields,
    }));
  }
}
