import { Injectable } from '@nestjs/common';
import type { CatalogueShop } from 'src/modules/erp/persistence/erp-item-catalog.repository';
import { DataSource } from 'typeorm';

/** @description One ERP stock level's key: SKU and ERP location. */
export interface ErpLevelKey {
  sku: string;
  erpLocationId: string;
}

/** @description One erp_inventory_level row with the Shopify inventory item of its SKU in one shop. */
export interface ErpInventoryLevelRow extends ErpLevelKey {
  onHand: number;
  available: number;
  committed: number | null;
  /** PostgreSQL's exact text of `changed_at` (microseconds): compared again later, it must not lose precision. */
  changedAt: string;
  /** Null until the product sync has written the SKU's Shopify ids in the shop. */
  shopifyInventoryItemId: string | null;
}

/** @description Which levels a page reads: at these locations, in key order after `after`, changed since. */
export interface ErpLevelPageQuery {
  erpLocationIds: readonly string[];
  /** A timestamptz as text; levels changed before it are left out (none left out when absent). */
  changedSince?: string;
  after?: ErpLevelKey;
  limit: number;
}

/** Aliased to the row's own names: the rows come back as ErpInventoryLevelRow. */
const LEVEL_COLUMNS = `l.sku, l.erp_location_id AS "erpLocationId", l.on_hand::float8 AS "onHand",
       l.available::float8 AS available, l.committed::float8 AS committed, l.changed_at::text AS "changedAt",
       x.shopify_inventory_item_id AS "shopifyInventoryItemId"`;

/**
 * Where the shop's inventory item ids are, as `x` (see CatalogueShop): erp_item_xref for the environment's shop,
 * erp_item_shop_xref for another (`$shopParam` its domain).
 */
function itemJoin(shop: CatalogueShop, shopParam: string): string {
  return shop.bootstrap
    ? 'LEFT JOIN erp_item_xref x ON x.connector = l.connector AND x.sku = l.sku'
    : `LEFT JOIN erp_item_shop_xref x ON x.connector = l.connector AND x.shop = ${shopParam} AND x.sku = l.sku`;
}

/**
 * The stock levels the ERP delta reads stored (erp_inventory_level), for the Shopify-side inventory writer. Reads
 * come in bulk, keyed and ordered by (SKU, location), so the caller can join them with its own state in one
 * statement per page.
 */
@Injectable()
export class ErpInventoryLevelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of levels in (SKU, location) order (keyset on the primary key: a drain reads on from `after`). */
  async page(connector: string, shop: CatalogueShop, query: ErpLevelPageQuery): Promise<ErpInventoryLevelRow[]> {
    if (query.erpLocationIds.length === 0) {
      return [];
    }
    return this.dataSource.query<ErpInventoryLevelRow[]>(
      `SELECT ${LEVEL_COLUMNS}
         FROM erp_inventory_level l
         ${itemJoin(shop, '$7')}
        WHERE l.connector = $1
          AND l.erp_location_id = ANY($2::text[])
          AND l.changed_at >= COALESCE($3::timestamptz, '-infinity'::timestamptz)
          AND (l.sku, l.erp_location_id) > ($4, $5)
        ORDER BY l.sku, l.erp_location_id
        LIMIT $6`,
      [
        connector,
        query.erpLocationIds,
        query.changedSince ?? null,
        query.after?.sku ?? '',
        query.after?.erpLocationId ?? '',
        query.limit,
        ...(shop.bootstrap ? [] : [shop.domain]),
      ],
    );
  }

  /** These levels (those that exist), in (SKU, location) order. */
  async byKeys(connector: string, shop: CatalogueShop, keys: readonly ErpLevelKey[]): Promise<ErpInventoryLevelRow[]> {
    if (keys.length === 0) {
      return [];
    }
    return this.dataSource.query<ErpInventoryLevelRow[]>(
      `SELECT ${LEVEL_COLUMNS}
         FROM json_to_recordset($2::json) AS k(sku text, erp_location_id text)
         JOIN erp_inventory_level l ON l.connector = $1 AND l.sku = k.sku AND l.erp_location_id = k.erp_location_id
         ${itemJoin(shop, '$3')}
        ORDER BY l.sku, l.erp_location_id`,
      [
        connector,
        JSON.stringify(keys.map((k) => ({ sku: k.sku, erp_location_id: k.erpLocationId }))),
        ...(shop.bootstrap ? [] : [shop.domain]),
      ],
    );
  }
}
