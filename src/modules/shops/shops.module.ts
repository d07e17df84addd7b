import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AddShop } from 'src/modules/shops/application/add-shop.use-case';
import { BootstrapShops } from 'src/modules/shops/application/bootstrap-shops.service';
import { RotateSecretsEncryptionKey } from 'src/modules/shops/application/rotate-secrets-encryption-key.use-case';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { UpdateShop } from 'src/modules/shops/application/update-shop.use-case';
import { SecretCipher } from 'src/modules/shops/domain/secret-cipher';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';
import { ShopsController } from 'src/modules/shops/transport/shops.controller';
import { ShopsResolver } from 'src/modules/shops/transport/shops.resolver';

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
    AddShop,
    UpdateShop,
    BootstrapShops,
  ],
  exports: [ShopDirectory, AddShop, UpdateShop, RotateSecretsEncryptionKey],
})
export class ShopsModule {}

/** The operators' shop API (api role): GraphQL `shops`/`shop`/`addShop`/`updateShop`/`disableShop`/`rotateSecretsEncryptionKey`, REST `/admin/shops`. */
@Module({ imports: [ShopsModule], providers: [ShopsResolver], controllers: [ShopsController] })
export class ShopsAdminModule {}
