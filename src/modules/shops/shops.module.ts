import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { BootstrapShops } from 'src/modules/shops/application/bootstrap-shops.service';
import { RotateSecretsEncryptionKey } from 'src/modules/shops/application/rotate-secrets-encryption-key.use-case';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { SecretCipher } from 'src/modules/shops/domain/secret-cipher';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';

/**
 * The shops of the deployment (every role): the `shops` table, its in-memory directory and the encryption of the
 * secrets it stores. Other modules use `ShopDirectory` only. The DataSource and APP_CONFIG are global.
 */
@Module({
  providers: [
    ShopRepository,
    {
      provide: SecretCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SecretCipher({ current: config.secrets.encryptionKey, previous: config.secrets.previousEncryptionKey }),
    },
    ShopDirectory,
    RotateSecretsEncryptionKey,
    BootstrapShops,
  ],
  exports: [ShopDirectory],
})
export class ShopsModule {}
