import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RotateSecretsEncryptionKey } from 'src/modules/shops/application/rotate-secrets-encryption-key.use-case';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';

/** A stored secret that the keys configured cannot open, or a rotation that cannot run: the process must not start. */
export class ShopsStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = ShopsStartupError.name;
  }
}

/**
 * @description At start-up, in every role: creates the row of the shop SHOPIFY_SHOP_DOMAIN names if it is missing
 * (never changing an existing one: what the API set stays; the columns left unset follow the environment, see
 * `resolveShop`), re-encrypts secrets sealed with the previous key, then loads the shops into the directory. A stored
 * secret that does not open stops the start with a message naming the shop and field.
 */
@Injectable()
export class BootstrapShops implements OnModuleInit {
  private readonly logger = new Logger(BootstrapShops.name);

  constructor(
    private readonly repository: ShopRepository,
    private readonly directory: ShopDirectory,
    private readonly rotation: RotateSecretsEncryptionKey,
  ) {}

  async onModuleInit(): Promise<void> {
    const domain = this.directory.bootstrapDomain;
    if (await this.repository.insertIfAbsent(domain)) {
      this.logger.log({ shop: domain }, 'shop bootstrapped from the environment');
    }
    if (await this.rotation.needed()) {
      const result = await this.rotation.execute();
      if (result.outcome === 'unreadable') {
        throw new ShopsStartupError(`shop ${result.shop}: stored ${result.field} ${result.reason}`);
      }
      if (result.outcome === 'rotated') {
        this.logger.log({ keyId: result.keyId, reEncrypted: result.reEncrypted }, 'stored secrets re-encrypted');
      }
    }
    await this.directory.start();
  }
}
