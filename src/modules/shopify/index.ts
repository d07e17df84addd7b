export { ShopifyIngestModule } from 'src/modules/shopify/shopify.module';
export { verifyShopifyHmac, signShopifyBody } from 'src/modules/shopify/domain/verify-shopify-hmac';
