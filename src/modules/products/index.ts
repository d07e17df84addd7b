export {
  HandleProductUpdate,
  type ProductUpdateOutcome,
  type ProductUpdatePayload,
} from 'src/modules/products/application/handle-product-update.use-case';
export {
  SyncProductsToShopify,
  type ProductSyncRun,
} from 'src/modules/products/application/sync-products-to-shopify.use-case';
export { decodeCatalogEvent } from 'src/modules/products/domain/catalog-event.error';
export { CatalogEventsModule, ProductAdminModule, ProductSyncModule } from 'src/modules/products/products.module';
