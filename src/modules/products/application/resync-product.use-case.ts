import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { ProductSyncRepository } from 'src/modules/products/persistence/product-sync.repository';
import { PRODUCT_SYNC_SETTINGS, type ProductSyncSettings } from 'src/modules/products/products.constants';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';

export type ResyncProductResult =
  | { outcome: 'queued'; shop: string; sku: string; jobId: string; queuedAt: Date }
  | { outcome: 'unknown_shop' }
  | { outcome: 'unknown_sku' };

/**
 * An operator's re-sync of one SKU (variant) from the ERP to Shopify: the SKU is made pending with nothing recorded
 * as pushed, and a product sync run is queued (scheduler role), which writes every ERP-owned field of it — SKU, price,
 * compare-at price, cost, barcode — from the ERP's last item read, through the same plan and writes as any change
 * (Shopify-owned fields untouched; a paused products flow waits). The other variants of its product are written
 * only if they changed.
 */
@Injectable()
export class ResyncProduct {
  constructor(
    private readonly repository: ProductSyncRepository,
    private readonly shops: ShopDirectory,
    @Inject(PRODUCT_SYNC_SETTINGS) private readonly settings: ProductSyncSettings,
    @InjectQueue(QueueName.ShopifyProducts) private readonly queue: Pick<Queue, 'add'>,
  ) {}

  async execute(input: { shop: string; sku: string }): Promise<ResyncProductResult> {
    const domain = normalizeShopDomain(input.shop);
    const shop = domain === undefined ? undefined : await this.shops.find(domain);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const known = await this.repository.requestResync(
      this.settings.connector,
      { domain: shop.domain, bootstrap: shop.bootstrap },
      input.sku,
    );
    if (!known) {
      return { outcome: 'unknown_sku' };
    }
    const data: JobPayloads[JobName.SyncProducts] = {};
    const job = await this.queue.add(JobName.SyncProducts, data, { removeOnComplete: 50, removeOnFail: 50 });
    return {
      outcome: 'queued',
      shop: shop.domain,
      sku: input.sku,
      jobId: String(job.id),
      queuedAt: new Date(job.timestamp),
    };
  }
}
