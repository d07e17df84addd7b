import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { sealShopSettings } from 'src/modules/shops/application/seal-shop-settings';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { toShopView } from 'src/modules/shops/domain/resolve-shop';
import { SecretCipher } from 'src/modules/shops/domain/secret-cipher';
import { parseShopArgument, validateShopSettings, type ShopSettings } from 'src/modules/shops/domain/shop-settings';
import type { ShopFieldError, ShopView } from 'src/modules/shops/domain/shop.types';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';

export type AddShopResult =
  { outcome: 'added'; shop: ShopView } | { outcome: 'invalid'; errors: ShopFieldError[] } | { outcome: 'exists' };

/**
 * @description Adds a Shopify store to the deployment: its webhooks are accepted (signed with its own secret) within
 * SHOPS_REFRESH_INTERVAL_MS on every process, at once on this one.
 */
@Injectable()
export class AddShop {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ShopRepository,
    private readonly cipher: SecretCipher,
    private readonly directory: ShopDirectory,
  ) {}

  async execute(shopArgument: string, settings: ShopSettings): Promise<AddShopResult> {
    const parsed = parseShopArgument(shopArgument);
    if ('error' in parsed) {
      return { outcome: 'invalid', errors: [parsed.error] };
    }
    const { shop } = parsed;
    const bootstrap = shop === this.directory.bootstrapDomain;
    const errors = validateShopSettings(settings, {
      bootstrap,
      connector: this.config.erp.connector,
      canStoreSecrets: this.cipher.canEncrypt,
    });
    if (!bootstrap && (settings.webhookSecret === undefined || settings.webhookSecret === null)) {
      errors.push({
        field: 'webhookSecret',
        message: 'is required: without it no webhook of the shop can be verified',
      });
    }
    if (errors.length > 0) {
      return { outcome: 'invalid', errors };
    }
    const row = await this.repository.insert(shop, sealShopSettings(shop, settings, this.cipher));
    if (row === undefined) {
      return { outcome: 'exists' };
    }
    await this.directory.refresh(true);
    return { outcome: 'added', shop: toShopView(row, this.directory.environmentShop) };
  }
}
