import { randomBytes } from 'node:crypto';
import type { AppConfig } from 'src/config/app-config';
import { sealShopSettings } from 'src/modules/shops/application/seal-shop-settings';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { SecretCipher } from 'src/modules/shops/domain/secret-cipher';
import type { ShopSettings } from 'src/modules/shops/domain/shop-settings';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';
import type { DataSource } from 'typeorm';

/**
 * The shops of a spec on the real `shops` table: the environment's shop (config.shopify.shopDomain) as every process
 * creates it at start, and `add` for more, their secrets sealed as the admin API seals them.
 */
export class TestShops {
  readonly directory: ShopDirectory;
  private readonly repository: ShopRepository;
  private readonly cipher = new SecretCipher({ current: randomBytes(32) });

  constructor(
    dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.repository = new ShopRepository(dataSource);
    this.directory = new ShopDirectory(config, this.repository, this.cipher);
  }

  /** Creates the environment's shop if it is missing, and loads the directory. */
  async start(): Promise<ShopDirectory> {
    await this.repository.insertIfAbsent(this.config.shopify.shopDomain);
    await this.directory.refresh(true);
    return this.directory;
  }

  async add(domain: string, settings: ShopSettings): Promise<void> {
    await this.repository.insert(domain, sealShopSettings(domain, settings, this.cipher));
    await this.directory.refresh(true);
  }

  async update(domain: string, settings: ShopSettings): Promise<void> {
    await this.repository.update(domain, sealShopSettings(domain, settings, this.cipher));
    await this.directory.refresh(true);
  }
}
