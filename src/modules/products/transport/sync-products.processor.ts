import { Process, Processor } from '@nestjs/bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import {
  SyncProductsToShopify,
  type ProductSyncOutcome,
} from 'src/modules/products/application/sync-products-to-shopify.use-case';

/** Bull transport of the ERP → Shopify product sync (scheduler role). */
@Processor(QueueName.ShopifyProducts)
export class SyncProductsProcessor {
  constructor(private readonly sync: SyncProductsToShopify) {}

  @Process(JobName.SyncProducts)
  run(): Promise<Array<ProductSyncOutcome & { shop: string }>> {
    return this.sync.executeForCatalogueShops();
  }
}
