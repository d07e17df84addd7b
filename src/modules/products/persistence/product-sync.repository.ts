import { Injectable } from '@nestjs/common';
import {
  ErpItemCatalogRepository,
  type CatalogueShop,
  type ErpItemPushedVariant,
  type ErpItemSyncMark,
} from 'src/modules/erp';
import type { ProductGroup } from 'src/modules/products/domain/product-sync.types';
import { DataSource } from 'typeorm';

/** @description What a sync run records for one SKU (kept on the item's erp_item_xref row, see the erp module). */
export type SyncMark = ErpItemSyncMark;

/** @description The last pushed ERP-owned fields of a Shopify variant (echo / drift check). */
export type PushedVariant = ErpItemPushedVariant;

/**
 * The product-sync state of each shop: shopify_product_xref (the product of each ERP parent item in the shop), which
 * only this repository touches, and the Shopify ids and pushed fields of each SKU in the shop, which the erp module
 * keeps (erp_item_xref for the environment's shop, erp_item_shop_xref for the others) and which are read and written
 * through its ErpItemCatalogRepository. shopify_product_xref names the environment's shop '' (its rows are older than
 * shops), another shop by its domain.
 */
@Injectable()
export class ProductSyncRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: ErpItemCatalogRepository,
  ) {}

  /**
   * Up to `limit` groups (ERP parent items, or standalone items) with at least one row not yet synced at its current
   * `changed_at`, in group order after `after`; every row of each group comes along (options and titles need them).
   */
  async pendingGroups(connector: string, shop: CatalogueShop, limit: number, after: string): Promise<ProductGroup[]> {
    const rows = await this.items.pendingSyncGroups(connector, shop, limit, after);
    const products = await this.groupProducts(connector, shop, [...new Set(rows.map((r) => r.groupId))]);
    const groups = new Map<string, ProductGroup>();
    for (const { groupId, ...row } of rows) {
      const group = groups.get(groupId) ?? { groupId, shopifyProductId: products.get(groupId) ?? null, rows: [] };
      group.rows.push(row);
      groups.set(groupId, group);
    }
    return [...groups.values()];
  }

  /** One SKU made pending with nothing recorded as pushed (an operator's re-sync); false for a SKU the ERP never sent. */
  requestResync(connector: string, shop: CatalogueShop, sku: string): Promise<boolean> {
    return this.items.requestResync(connector, shop, sku);
  }

  async saveGroupProduct(connector: string, shop: CatalogueShop, groupId: string, productId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO shopify_product_xref (connector, shop, erp_group_id, shopify_product_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (connector, shop, erp_group_id)
       DO UPDATE SET shopify_product_id = EXCLUDED.shopify_product_id, updated_at = now()`,
      [connector, shopKey(shop), groupId, productId],
    );
  }

  /**
   * Forgets the Shopify product of a group and the variant and inventory-item ids of its SKUs (Shopify answered
   * that they no longer exist), so that they are looked up again by SKU.
   */
  async forgetShopifyIds(
    connector: string,
    shop: CatalogueShop,
    groupId: string,
    skus: readonly string[],
  ): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM shopify_product_xref WHERE connector = $1 AND shop = $2 AND erp_group_id = $3',
      [connector, shopKey(shop), groupId],
    );
    await this.items.forgetShopifyIds(connector, shop, skus);
  }

  /** Records a sync of some SKUs in one statement. A row changed since it was read stays pending. */
  async mark(connector: string, shop: CatalogueShop, marks: readonly SyncMark[]): Promise<void> {
    await this.items.recordSync(connector, shop, marks);
  }

  async pushedVariants(variantIds: readonly string[]): Promise<PushedVariant[]> {
    return this.items.pushedVariants(variantIds);
  }

  /** The Shopify product of each of these groups that has one (one statement for the page). */
  private async groupProducts(
    connector: string,
    shop: CatalogueShop,
    groupIds: readonly string[],
  ): Promise<Map<string, string>> {
    if (groupIds.length === 0) {
      return new Map();
    }
    const rows: Array<{ erp_group_id: string; shopify_product_id: string }> = await this.dataSource.query(
      `SELECT erp_group_id, shopify_product_id FROM shopify_product_xref
        WHERE connector = $1 AND shop = $2 AND erp_group_id = ANY($3::text[])`,
      [connector, shopKey(shop), groupIds],
    );
    return new Map(rows.map((r) => [r.erp_group_id, r.shopify_product_id]));
  }
}

/** The shop column of shopify_product_xref: '' for the environment's shop (rows from before shops), else the domain. */
function shopKey(shop: CatalogueShop): string {
  return shop.bootstrap ? '' : shop.domain;
}
