import { Injectable, Optional } from '@nestjs/common';
import type { CatalogueShop } from 'src/modules/erp';
import { InventoryRepository, type StockLocations } from 'src/modules/inventory/persistence/inventory.repository';
import { MappingLocations } from 'src/modules/mapping';

/**
 * Where a shop puts each ERP location's stock: the location pairs of its active mapping version (the mapping module,
 * read backwards). The environment's shop, whose pairs were kept in `inventory_location_map` before mappings
 * existed, keeps that table's rows until it has a mapping version, and after that the rows an operator set there
 * (source other than `config`) for ERP locations its mapping does not pair; its `config` rows (SHOPIFY_LOCATION_MAP)
 * are what its version 1 holds.
 */
@Injectable()
export class ShopStockLocations {
  constructor(
    private readonly repository: InventoryRepository,
    @Optional() private readonly mapping?: MappingLocations,
  ) {}

  async of(shop: CatalogueShop): Promise<StockLocations> {
    const pairs = await this.mapping?.stockLocations(shop.domain);
    const mapped = new Map((pairs ?? []).map((pair) => [pair.erpLocation, pair.shopifyLocationGid]));
    if (!shop.bootstrap) {
      return mapped;
    }
    const table = await this.repository.locationMap();
    if (pairs === undefined) {
      return new Map(table.map((row) => [row.erpLocationId, row.shopifyLocationId]));
    }
    for (const row of table) {
      if (row.source !== 'config' && !mapped.has(row.erpLocationId)) {
        mapped.set(row.erpLocationId, row.shopifyLocationId);
      }
    }
    return mapped;
  }
}
