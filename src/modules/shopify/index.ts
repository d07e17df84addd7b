export { paginate, type ConnectionPage } from 'src/modules/shopify/admin/paginate';
export {
  ShopifyAdminClients,
  type ShopifyAdminClientFactory,
  type ShopifyShopTarget,
} from 'src/modules/shopify/admin/shopify-admin-clients';
export {
  ShopifyAdminError,
  ShopifyAdminErrorCode,
  ShopifyUserErrorsError,
  assertNoUserErrors,
} from 'src/modules/shopify/admin/shopify-admin.errors';
export { ShopifyAdminModule } from 'src/modules/shopify/admin/shopify-admin.module';
export {
  shopifyDocument,
  type ShopifyAdminPort,
  type ShopifyDocument,
  type ShopifyQueryCost,
  type ShopifyRequestOptions,
  type ShopifyResponse,
  type ShopifyUserError,
} from 'src/modules/shopify/admin/shopify-admin.port';
export { signShopifyBody, verifyShopifyHmac } from 'src/modules/shopify/domain/verify-shopify-hmac';
export { ShopifyIngestModule } from 'src/modules/shopify/shopify.module';
export { IngestWarmUp, type IngestWarmUpReport } from 'src/modules/shopify/transport/ingest-warm-up';
export { ShopifyWebhookHttpHandler } from 'src/modules/shopify/transport/shopify-webhook.http-handler';
export { shopifyWebhookOpenApi } from 'src/modules/shopify/transport/shopify-webhook.openapi';
