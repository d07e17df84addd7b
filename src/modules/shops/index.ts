export { forEachShop } from 'src/modules/shops/application/for-each-shop';
export { SHOPS_REFRESH_INTERVAL_MS, ShopDirectory } from 'src/modules/shops/application/shop-directory';
export { SHOP_DOMAIN_PATTERN, normalizeShopDomain } from 'src/modules/shops/domain/shop-domain';
export {
  ORDER_TRIGGERS,
  SecretValue,
  type OrderTrigger,
  type Shop,
  type ShopErpScope,
} from 'src/modules/shops/domain/shop.types';
export { ShopsAdminModule, ShopsModule } from 'src/modules/shops/shops.module';
