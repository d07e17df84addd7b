import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { ErpModule, ErpPersistenceModule } from 'src/modules/erp';
import { FlowsModule } from 'src/modules/flows';
import { MappingPolicyModule } from 'src/modules/mapping';
import { HandleProductUpdate } from 'src/modules/products/application/handle-product-update.use-case';
import { ResyncProduct } from 'src/modules/products/application/resync-product.use-case';
import { SyncProductsToShopify } from 'src/modules/products/application/sync-products-to-shopify.use-case';
import { ProductSyncRepository } from 'src/modules/products/persistence/product-sync.repository';
import { PRODUCT_SYNC_SETTINGS, type ProductSyncSettings } from 'src/modules/products/products.constants';
import { productSchedules } from 'src/modules/products/schedules';
import { CatalogEventsConsumer } from 'src/modules/products/transport/catalog-events.consumer';
import { ProductResyncController } from 'src/modules/products/transport/product-resync.controller';
import { ProductResyncResolver } from 'src/modules/products/transport/product-resync.resolver';
import { SyncProductsProcessor } from 'src/modules/products/transport/sync-products.processor';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

const settingsProvider = {
  provide: PRODUCT_SYNC_SETTINGS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): ProductSyncSettings => ({
    connector: config.erp.connector,
    shop: config.shopify.shopDomain,
    concurrency: 4,
  }),
};

/** Scheduler role: ERP items → Shopify products and variants, on Bull (repeatable + after item reads). */
@Module({
  imports: [
    AuditModule,
    MappingPolicyModule,
    FlowsModule,
    ShopsModule,
    ErpPersistenceModule,
    ShopifyAdminModule,
    BullModule.registerQueue({ name: QueueName.ShopifyProducts }),
  ],
  providers: [
    settingsProvider,
    AdvisoryLocks,
    ProductSyncRepository,
    SyncProductsToShopify,
    SyncProductsProcessor,
    provideSchedules('products', productSchedules),
  ],
})
export class ProductSyncModule {}

/** Worker role: the catalog-events consumer (`products/update` echo / drift; inventory has its own consumer). */
@Module({
  imports: [AuditModule, ErpModule.forRoot(), ErpPersistenceModule],
  providers: [settingsProvider, ProductSyncRepository, HandleProductUpdate, CatalogEventsConsumer],
})
export class CatalogEventsModule {}

/** Api role: an operator's re-sync of one SKU (`resyncProduct`); it queues the product sync the scheduler runs. */
@Module({
  imports: [ShopsModule, ErpPersistenceModule, BullModule.registerQueue({ name: QueueName.ShopifyProducts })],
  providers: [settingsProvider, ProductSyncRepository, ResyncProduct, ProductResyncResolver],
  controllers: [ProductResyncController],
})
export class ProductAdminModule {}
