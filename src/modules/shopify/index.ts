export { signShopifyBody, verifyShopifyHmac } from 'src/modules/shopify/domain/verify-shopify-hmac';
export { ShopifyIngestModule } from 'src/modules/shopify/shopify.module';
