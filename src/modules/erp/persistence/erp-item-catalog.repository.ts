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
  /** Absent on rows pushed before the sync wrote it: read as null. */
  compareAtPrice?: string | null;
  /** `"<value> <unit>"` (e.g. `"1.25 KILOGRAMS"`); absent on rows pushed before the sync wrote it: read as null. */
  weight?: string | null;
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
  compareAtPrice: string | null;
  weightValue: string | null;
  /** Shopify's WeightUnit name (GRAMS, KILOGRAMS, OUNCES, POUNDS), with `weightValue`. */
  weightUnit: string | null;
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
 * @description The shop whose Shopify ids and sync state a read or write is about. The environment's shop
 * (`bootstrap`) keeps them on erp_item_xref, where they have been since before shops; every other shop on
 * erp_item_shop_xref, keyed by its domain. The shops module's `Shop` is one.
 */
export interface CatalogueShop {
  domain: string;
  bootstrap: boolean;
}

/** The Shopify-side columns of a row, aliased as ErpItemSyncRow names them, from `x` (the shop's own) or `s`. */
function shopifyColumns(alias: 'x' | 's'): string {
  return `${alias}.shopify_product_id AS "shopifyProductId", ${alias}.shopify_variant_id AS "shopifyVariantId",
          ${alias}.shopify_inventory_item_id AS "shopifyInventoryItemId",
          ${alias}.shopify_synced_changed_at::text AS "syncedChangedAt",
          ${alias}.shopify_pushed_fields AS "pushedFields", ${alias}.shopify_pushed_hash AS "pushedHash"`;
}

/**
 * erp_item_xref as the Shopify side sees it: the ERP-owned item fields the delta reads store, and the Shopify ids
 * and sync state the product sync (products module) records on the same rows, so that "changed since last synced"
 * stays one indexed comparison within one table (for the environment's shop; another shop's state is on
 * erp_item_shop_xref, joined by SKU). Other modules read and write these columns only through here.
 */
@Injectable()
export class ErpItemCatalogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Up to `limit` groups (ERP parent items, or standalone items) with at least one row not yet synced at its current
   * `changed_at`, in group order after `after`; every row of each group comes along (options and titles need them).
   * Rows come in group, then SKU, order.
   */
  async pendingSyncGroups(
    connector: string,
    shop: CatalogueShop,
    limit: number,
    after: string,
  ): Promise<ErpItemSyncRow[]> {
    if (!shop.bootstrap) {
      return this.pendingShopSyncGroups(connector, shop.domain, limit, after);
    }
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
              x.barcode, x.compare_at_price::text AS "compareAtPrice", x.weight_value::text AS "weightValue",
              x.weight_unit AS "weightUnit", x.options, x.active, x.changed_at::text AS "changedAt", ${shopifyColumns('x')}
         FROM g
         JOIN erp_item_xref x
           ON x.connector = $1 AND x.erp_last_modified IS NOT NULL
          AND (x.parent_erp_item_id = g.group_id OR (x.erp_item_id = g.group_id AND x.parent_erp_item_id IS NULL))
        ORDER BY g.group_id, x.sku`,
      [connector, limit, after],
    );
  }

  /** pendingSyncGroups for a shop other than the environment's: its state joined by SKU (none yet: never synced). */
  private async pendingShopSyncGroups(
    connector: string,
    shop: string,
    limit: number,
    after: string,
  ): Promise<ErpItemSyncRow[]> {
    return this.dataSource.query<ErpItemSyncRow[]>(
      `WITH g AS (
         SELECT DISTINCT COALESCE(x.parent_erp_item_id, x.erp_item_id) AS group_id
           FROM erp_item_xref x
           LEFT JOIN erp_item_shop_xref s ON s.connector = x.connector AND s.shop = $4 AND s.sku = x.sku
          WHERE x.connector = $1 AND s.shopify_synced_changed_at IS DISTINCT FROM x.changed_at
            AND x.erp_last_modified IS NOT NULL
            AND COALESCE(x.parent_erp_item_id, x.erp_item_id) > $3
          ORDER BY 1
          LIMIT $2)
       SELECT g.group_id AS "groupId", x.sku, x.erp_item_id AS "erpItemId",
              x.parent_erp_item_id AS "parentErpItemId", x.name, x.price::text AS price, x.cost::text AS cost,
              x.barcode, x.compare_at_price::text AS "compareAtPrice", x.weight_value::text AS "weightValue",
              x.weight_unit AS "weightUnit", x.options, x.active, x.changed_at::text AS "changedAt", ${shopifyColumns('s')}
         FROM g
         JOIN erp_item_xref x
           ON x.connector = $1 AND x.erp_last_modified IS NOT NULL
          AND (x.parent_erp_item_id = g.group_id OR (x.erp_item_id = g.group_id AND x.parent_erp_item_id IS NULL))
         LEFT JOIN erp_item_shop_xref s ON s.connector = x.connector AND s.shop = $4 AND s.sku = x.sku
        ORDER BY g.group_id, x.sku`,
      [connector, limit, after, shop],
    );
  }

  /** Records a product sync of some SKUs in one statement. A row changed since it was read stays pending. */
  async recordSync(connector: string, shop: CatalogueShop, marks: readonly ErpItemSyncMark[]): Promise<void> {
    if (marks.length === 0) {
      return;
    }
    if (!shop.bootstrap) {
      return this.recordShopSync(connector, shop.domain, marks);
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
      [connector, marksJson(marks)],
    );
  }

  /** recordSync for a shop other than the environment's: its row is created at its first sync. */
  private async recordShopSync(connector: string, shop: string, marks: readonly ErpItemSyncMark[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_item_shop_xref AS x (connector, shop, sku, shopify_product_id, shopify_variant_id,
                                            shopify_inventory_item_id, shopify_synced_changed_at, shopify_pushed_at,
                                            shopify_pushed_fields, shopify_pushed_hash, shopify_push_error)
       SELECT $1, $2, r.sku, r.product_id, r.variant_id, r.inventory_item_id, r.changed_at::timestamptz,
              CASE WHEN r.pushed THEN now() END, r.fields, r.hash, r.error
         FROM json_to_recordset($3::json) AS r(sku text, changed_at text, product_id text, variant_id text,
              inventory_item_id text, fields jsonb, hash text, pushed boolean, error text)
       ON CONFLICT (connector, shop, sku) DO UPDATE
          SET shopify_product_id = COALESCE(EXCLUDED.shopify_product_id, x.shopify_product_id),
              shopify_variant_id = COALESCE(EXCLUDED.shopify_variant_id, x.shopify_variant_id),
              shopify_inventory_item_id = COALESCE(EXCLUDED.shopify_inventory_item_id, x.shopify_inventory_item_id),
              shopify_synced_changed_at = EXCLUDED.shopify_synced_changed_at,
              shopify_pushed_at = COALESCE(EXCLUDED.shopify_pushed_at, x.shopify_pushed_at),
              shopify_pushed_fields = COALESCE(EXCLUDED.shopify_pushed_fields, x.shopify_pushed_fields),
              shopify_pushed_hash = COALESCE(EXCLUDED.shopify_pushed_hash, x.shopify_pushed_hash),
              shopify_push_error = EXCLUDED.shopify_push_error,
              updated_at = now()`,
      [connector, shop, marksJson(marks)],
    );
  }

  /**
   * Drops the Shopify ids and pushed fields kept on these SKUs' rows (Shopify said the product or variant no longer
   * exists): the next sync finds them again by SKU and pushes every ERP-owned field, as to a product never synced.
   */
  async forgetShopifyIds(connector: string, shop: CatalogueShop, skus: readonly string[]): Promise<void> {
    if (skus.length === 0) {
      return;
    }
    if (!shop.bootstrap) {
      await this.dataSource.query(
        `UPDATE erp_item_shop_xref
            SET shopify_product_id = NULL, shopify_variant_id = NULL, shopify_inventory_item_id = NULL,
                shopify_pushed_fields = NULL, shopify_pushed_hash = NULL, updated_at = now()
          WHERE connector = $1 AND shop = $2 AND sku = ANY($3::text[])`,
        [connector, shop.domain, skus],
      );
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

  /**
   * An operator's re-sync of one SKU: it becomes pending with nothing recorded as pushed, so the next product sync
   * writes every ERP-owned field of it (price included) from what the ERP last said. False when the ERP never told us
   * of the SKU (no item read).
   */
  async requestResync(connector: string, shop: CatalogueShop, sku: string): Promise<boolean> {
    const known: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM erp_item_xref WHERE connector = $1 AND sku = $2 AND erp_last_modified IS NOT NULL',
      [connector, sku],
    );
    if (known.length === 0) {
      return false;
    }
    // A shop without a row for the SKU has never synced it: it is pending already.
    await this.dataSource.query(
      shop.bootstrap
        ? `UPDATE erp_item_xref SET shopify_synced_changed_at = NULL, shopify_pushed_fields = NULL,
                  shopify_pushed_hash = NULL, updated_at = now()
            WHERE connector = $1 AND sku = $2`
        : `UPDATE erp_item_shop_xref SET shopify_synced_changed_at = NULL, shopify_pushed_fields = NULL,
                  shopify_pushed_hash = NULL, updated_at = now()
            WHERE connector = $1 AND sku = $2 AND shop = $3`,
      shop.bootstrap ? [connector, sku] : [connector, sku, shop.domain],
    );
    return true;
  }

  /** What was last pushed to these Shopify variants (any connector, any shop: Shopify's ids are global). */
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
        WHERE shopify_variant_id = ANY($1::text[])
       UNION ALL
       SELECT connector, sku, shopify_variant_id, shopify_pushed_fields FROM erp_item_shop_xref
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

function marksJson(marks: readonly ErpItemSyncMark[]): string {
  return JSON.stringify(
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
  );
}
