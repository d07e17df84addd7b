import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';

export type ResyncInventoryLocationResult =
  | {
      outcome: 'queued';
      shop: string;
      erpLocationId: string;
      shopifyLocationId: string;
      jobId: string;
      queuedAt: Date;
    }
  | { outcome: 'unknown_shop' }
  | { outcome: 'unknown_location' };

/**
 * An operator's re-sync of one stock location of a shop: the location's levels are read from Shopify and every one
 * that differs from what the ERP says (under the shop's quantity policy) is written, as the full reconciliation does,
 * the shop's other locations untouched. The location is named by its ERP id, its Shopify location GID or its numeric
 * Shopify id, and must be one the shop's mapping pairs. Queued now; the scheduler's inventory writer runs it (one
 * inventory write at a time per shop; a paused inventory flow, or quantities owned by Shopify, skip it).
 */
@Injectable()
export class ResyncInventoryLocation {
  constructor(
    private readonly shops: ShopDirectory,
    private readonly locations: ShopStockLocations,
    @InjectQueue(QueueName.ShopifyInventory) private readonly queue: Pick<Queue, 'add'>,
  ) {}

  async execute(input: { shop: string; location: string }): Promise<ResyncInventoryLocationResult> {
    const domain = normalizeShopDomain(input.shop);
    const shop = domain === undefined ? undefined : await this.shops.find(domain);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const wanted = input.location.trim();
    const stocked = await this.locations.of({ domain: shop.domain, bootstrap: shop.bootstrap });
    const pair = [...stocked].find(
      ([erpId, gid]) => erpId === wanted || gid === wanted || gid === `gid://shopify/Location/${wanted}`,
    );
    if (pair === undefined) {
      return { outcome: 'unknown_location' };
    }
    const [erpLocationId, shopifyLocationId] = pair;
    const data: JobPayloads[JobName.InventoryReconcile] = {
      trigger: 'operator',
      shop: shop.domain,
      location: erpLocationId,
    };
    const job = await this.queue.add(JobName.InventoryReconcile, data, { removeOnComplete: 50, removeOnFail: 50 });
    return {
      outcome: 'queued',
      shop: shop.domain,
      erpLocationId,
      shopifyLocationId,
      jobId: String(job.id),
      queuedAt: new Date(job.timestamp),
    };
  }
}
