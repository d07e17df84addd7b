import { Injectable } from '@nestjs/common';
import type { ErpItemRow, ProductGroup, PushedFields } from 'src/modules/products/domain/product-sync.types';
import { DataSource } from 'typeorm';

interface RawRow {
  group_id: string;
  group_product_id: string | null;
  sku: string;
  erp_item_id: string;
  parent_erp_item_id: string | null;
  name: string | null;
  price: string | null;
  cost: string | null;
  barcode: string | null;
  options: Record<string, string> | null;
  active: boolean;
  shopify_product_id: string | null;
  shopify_variant_id: string | null;
  shopify_inventory_item_id: string | null;
  changed_at: string;
  shopify_synced_changed_at: string | null;
  shopify_pushed_fields: PushedFields | null;
  shopify_pushed_hash: string | null;
}

/** @description What a sync run records for one SKU. */
export interface SyncMark {
  sku: string;
  /** The row's `changed_at` as read (text, full precision): the change this sync covers. */
  changedAt: string;
  productId?: string | null;
  variantId?: string | null;
  inventoryItemId?: string | null;
  /** What is now in Shopify for the ERP-owned fields (null: leave the last pushed values). */
  fields?: PushedFields | null;
  hash?: string | null;
  /** A write was made for this SKU. */
  pushed: boolean;
  error: string | null;
}

/** @description The last pushed ERP-owned fields of a Shopify variant (echo / drift check). */
export interface PushedVariant {
  connector: string;
  sku: string;
  shopifyVariantId: string;
  pushedFields: PushedFields | null;
}

/**
 * The only code that reads and writes the product-sync state: erp_item_xref's Shopify ids and pushed fields, and
 * shopify_product_xref (the product of each ERP parent item).
 */
@Injectable()
export class ProductSyncRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Up to `limit` groups (ERP parent items, or standalone items) with at least one row not yet synced at its current
   * `changed_at`, in group order after `after`; every row of each group comes along (options and titles need them).
   */
  async pendingGroups(connector: string, limit: number, after: string): Promise<ProductGroup[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `WITH g AS (
         SELECT DISTINCT COALESCE(parent_erp_item_id, erp_item_id) AS group_id
           FROM erp_item_xref
          WHERE connector = $1 AND shopify_synced_changed_at IS DISTINCT FROM changed_at
            -- Rows only an order-line lookup learnt (no item read yet) carry no ERP fields to push.
            AND erp_last_modified IS NOT NULL
            AND COALESCE(parent_erp_item_id, erp_item_id) > $3
          ORDER BY 1
          LIMIT $2)
       SELECT g.group_id, p.shopify_product_id AS group_product_id, x.sku, x.erp_item_id, x.parent_erp_item_id, x.name,
              x.price::text AS price, x.cost::text AS cost, x.barcode, x.options, x.active, x.shopify_product_id,
              x.shopify_variant_id, x.shopify_inventory_item_id, x.changed_at::text AS changed_at,
              x.shopify_synced_changed_at::text AS shopify_synced_changed_at, x.shopify_pushed_fields,
              x.shopify_pushed_hash
         FROM g
         JOIN erp_item_xref x
           ON x.connector = $1 AND x.erp_last_modified IS NOT NULL
          AND (x.parent_erp_item_id = g.group_id OR (x.erp_item_id = g.group_id AND x.parent_erp_item_id IS NULL))
         LEFT JOIN shopify_product_xref p ON p.connector = $1 AND p.erp_group_id = g.group_id
        ORDER BY g.group_id, x.sku`,
      [connector, limit, after],
    );
    const groups = new Map<string, ProductGroup>();
    for (const r of rows) {
      const group = groups.get(r.group_id) ?? { groupId: r.group_id, shopifyProductId: r.group_product_id, rows: [] };
      group.rows.push(toRow(r));
      groups.set(r.group_id, group);
    }
    return [...groups.values()];
  }

  async saveGroupProduct(connector: string, groupId: string, productId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO shopify_product_xref (connector, erp_group_id, shopify_product_id) VALUES ($1, $2, $3)
       ON CONFLICT (connector, erp_group_id) DO UPDATE SET shopify_product_id = EXCLUDED.shopify_product_id, updated_at = now()`,
      [connector, groupId, productId],
    );
  }

  /** Records a sync of some SKUs in one statement. A row changed since it was read stays pending. */
  async mark(connector: string, marks: readonly SyncMark[]): Promise<void> {
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

  async pushedVariants(variantIds: readonly string[]): Promise<PushedVariant[]> {
    if (variantIds.length === 0) {
      return [];
    }
    const rows: Array<{
      connector: string;
      sku: string;
      shopify_variant_id: string;
      shopify_pushed_fields: PushedFields | null;
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

function toRow(r: RawRow): ErpItemRow {
  return {
    sku: r.sku,
    erpItemId: r.erp_item_id,
    parentErpItemId: r.parent_erp_item_id,
    name: r.name,
    price: r.price,
    cost: r.cost,
    barcode: r.barcode,
    options: r.options,
    active: r.active,
    shopifyProductId: r.shopify_product_id,
    shopifyVariantId: r.shopify_variant_id,
    shopifyInventoryItemId: r.shopify_inventory_item_id,
    changedAt: r.changed_at,
    syncedChangedAt: r.shopify_synced_changed_at,
    pushedFields: r.shopify_pushed_fields,
    pushedHash: r.shopify_pushed_hash,
  };
}
