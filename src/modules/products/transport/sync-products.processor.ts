import { Process, Processor } from '@nestjs/bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import {
  SyncProductsToShopify,
  type ProductSyncRun,
} from 'src/modules/products/application/sync-products-to-shopify.use-case';

/** Bull transport of the ERP → Shopify product sync (scheduler role). */
@Processor(QueueName.ShopifyProducts)
export class SyncProductsProcessor {
  constructor(private readonly sync: SyncProductsToShopify) {}

  @Process(JobName.SyncProducts)
  run(): Promise<ProductSyncRun | { busy: string } | { paused: string }> {
    return this.sync.execute();
  }
}
