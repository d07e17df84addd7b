import { Injectable } from '@nestjs/common';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';

/** @description One location pair of a shop's mapping, read for stock: the ERP location and the Shopify location GID. */
export interface StockLocationPair {
  erpLocation: string;
  shopifyLocationGid: string;
}

/**
 * The location pairs of a shop's active mapping version, read backwards for stock: which Shopify location each ERP
 * location's quantities go to (the inventory writer), as Shopify location GIDs. A `*` pair (any Shopify location,
 * for orders) names no location to put stock at and is left out; an ERP location paired with several Shopify
 * locations sends its stock to the first.
 */
@Injectable()
export class MappingLocations {
  constructor(private readonly repository: MappingVersionRepository) {}

  /** Undefined while the shop has no mapping version yet. */
  async stockLocations(shop: string): Promise<StockLocationPair[] | undefined> {
    const active = await this.repository.active(shop);
    if (active === null) {
      return undefined;
    }
    const pairs = new Map<string, string>();
    for (const pair of active.config.locations) {
      const id = pair.shopifyLocationId.trim();
      if (/^\d+$/.test(id) && !pairs.has(pair.erpLocation)) {
        pairs.set(pair.erpLocation, `gid://shopify/Location/${id}`);
      }
    }
    return [...pairs].map(([erpLocation, shopifyLocationGid]) => ({ erpLocation, shopifyLocationGid }));
  }
}
