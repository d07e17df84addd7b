import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { sealShopSettings } from 'src/modules/shops/application/seal-shop-settings';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { toShopView } from 'src/modules/shops/domain/resolve-shop';
import { SecretCipher } from 'src/modules/shops/domain/secret-cipher';
import { parseShopArgument, validateShopSettings, type ShopSettings } from 'src/modules/shops/domain/shop-settings';
import type { ShopFieldError, ShopView } from 'src/modules/shops/domain/shop.types';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';

export type UpdateShopResult =
  { outcome: 'updated'; shop: ShopView } | { outcome: 'invalid'; errors: ShopFieldError[] } | { outcome: 'not_found' };

/**
 * @description Changes a shop: settings, ERP scope, secrets (a new webhook secret with the old one as previous
 * during Shopify's rotation window), enabled or disabled. Every process applies it within SHOPS_REFRESH_INTERVAL_MS.
 */
@Injectable()
export class UpdateShop {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ShopRepository,
    private readonly cipher: SecretCipher,
    private readonly directory: ShopDirectory,
  ) {}

  async execute(shopArgument: string, settings: ShopSettings): Promise<UpdateShopResult> {
    const parsed = parseShopArgument(shopArgument);
    if ('error' in parsed) {
      return { outcome: 'invalid', errors: [parsed.error] };
    }
    const { shop } = parsed;
    const existing = await this.repository.find(shop);
    if (existing === undefined) {
      return { outcome: 'not_found' };
    }
    const errors = validateShopSettings(settings, {
      existing,
      bootstrap: shop === this.directory.bootstrapDomain,
      connector: this.config.erp.connector,
      canStoreSecrets: this.cipher.canEncrypt,
    });
    if (errors.length > 0) {
      return { outcome: 'invalid', errors };
    }
    const row = await this.repository.update(shop, sealShopSettings(shop, settings, this.cipher));
    if (row === undefined) {
      return { outcome: 'not_found' };
    }
    await this.directory.refresh(true);
    return { outcome: 'updated', shop: toShopView(row, this.directory.environmentShop) };
  }
}
